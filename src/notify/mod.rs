//! Telling people: Slack messages (a notice per sighting, a digest per
//! period), the issues and comments of the private leads repository, and
//! the Slack client that posts.

mod blocks;
pub mod buttons;
mod correction_text;
mod digest;
mod evidence;
pub mod issue_text;
mod markdown;
mod moved_text;
mod notices;
mod product_digest;
mod slack;
mod slack_error;
pub mod slack_message;
mod text;

pub use correction_text::{Answer, answered, correction_comment, correction_marker};
pub use digest::{Digest, DigestAccount, LINKS_PER_ACCOUNT};
pub use evidence::evidence_line;
pub use issue_text::{
    account_marker, delivery_marker, sighting_comment, sighting_issue, tracking_issue,
};
pub use moved_text::moved_sentence;
pub use notices::Notices;
pub use product_digest::{ProductDigest, product_digest};
pub use slack::{DEFAULT_API_BASE, Destination, Slack};
pub use slack_error::SlackError;
pub use slack_message::{Message, ShadowNote, digest, notice};

#[cfg(test)]
mod snapshot_tests;
