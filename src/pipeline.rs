//! What the worker does with one delivery: decode it into an [`Event`] and act
//! on it. The stages after decoding (who the actor is, which organization,
//! which rules, which actions) join here as they are built.

use crate::event::{Event, Payload};
use crate::github::SharedGitHub;
use crate::store::Claimed;
use async_trait::async_trait;

/// Why processing a delivery failed.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ProcessError {
    /// Worth another attempt later (a timeout, a 5xx, a rate limit).
    #[error("{0}")]
    Transient(String),
    /// Will fail the same way every time; the delivery goes straight to `dead`.
    #[error("{0}")]
    Permanent(String),
}

/// Processes one claimed delivery.
#[async_trait]
pub trait Handler: Send + Sync {
    async fn handle(&self, delivery: &Claimed) -> Result<(), ProcessError>;
}

/// The production handler.
#[derive(Clone, Default)]
pub struct Pipeline {
    pub github: SharedGitHub,
}

impl Pipeline {
    /// Decodes a stored delivery into the event it carries, if orgradar acts on it.
    pub fn decode(delivery: &Claimed) -> Result<Option<Event>, ProcessError> {
        let payload: Payload = serde_json::from_str(&delivery.payload).map_err(|e| {
            ProcessError::Permanent(format!(
                "the stored payload does not have the shape this version expects ({e}); after upgrading orgradar, run `orgradar deliveries retry {}`",
                delivery.id
            ))
        })?;
        Event::decode(&delivery.event, payload).map_err(|e| ProcessError::Permanent(e.to_string()))
    }
}

#[async_trait]
impl Handler for Pipeline {
    async fn handle(&self, delivery: &Claimed) -> Result<(), ProcessError> {
        let Some(event) = Self::decode(delivery)? else {
            tracing::debug!("nothing to do for this delivery");
            return Ok(());
        };
        if let Event::Installation {
            action,
            installation_id,
            ..
        } = &event
            && let Some(github) = self.github.get()
        {
            match action.as_str() {
                "deleted" | "suspend" => github.forget_installation(*installation_id),
                "created" | "unsuspend" => github.allow_installation(*installation_id),
                _ => {}
            }
        }
        tracing::info!(event = %event.summary(), "processed");
        Ok(())
    }
}
