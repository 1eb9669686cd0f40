//! Slack Block Kit blocks within Slack's limits.

use super::text::truncate;
use serde_json::{Value, json};

/// Characters of a section's (or a context element's) text.
pub const MAX_SECTION: usize = 3000;
/// Characters of a header's text.
pub const MAX_HEADER: usize = 150;
/// Blocks in one message.
pub const MAX_BLOCKS: usize = 50;
/// Characters of the plain fallback text.
pub const MAX_TEXT: usize = 3000;

/// A header (plain text, no markup).
pub fn header(text: &str) -> Value {
    json!({
        "type": "header",
        "text": { "type": "plain_text", "text": truncate(text, MAX_HEADER), "emoji": true }
    })
}

/// A section of mrkdwn (already escaped).
pub fn section(mrkdwn: &str) -> Value {
    json!({
        "type": "section",
        "text": { "type": "mrkdwn", "text": truncate(mrkdwn, MAX_SECTION) }
    })
}

/// A context line of mrkdwn (already escaped).
pub fn context(mrkdwn: &str) -> Value {
    json!({
        "type": "context",
        "elements": [{ "type": "mrkdwn", "text": truncate(mrkdwn, MAX_SECTION) }]
    })
}

/// `<url|text>`: `text` must already be escaped.
pub fn link(url: &str, text: &str) -> String {
    format!("<{}|{text}>", super::text::safe_url(url))
}
