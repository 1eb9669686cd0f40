//! The role the actions need from Slack: posting a message to a channel.
//! The real client implements it; tests use a small fake.

use super::{Destination, Message, Slack, SlackError};
use async_trait::async_trait;

#[async_trait]
pub trait Notices: Send + Sync {
    /// Posts `message` to `to`; an `Err` says whether trying again may help.
    async fn post(&self, to: &Destination, message: &Message) -> Result<(), SlackError>;
}

#[async_trait]
impl Notices for Slack {
    async fn post(&self, to: &Destination, message: &Message) -> Result<(), SlackError> {
        Slack::post(self, to, message).await
    }
}
