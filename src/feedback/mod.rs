//! Answers from the people who read the notices: a click on a Slack button,
//! a form on the dashboard, `orgradar people set`. Each becomes a
//! [`Correction`] kept in the store (the next decision about the person
//! follows it at once) and a job in the queue that puts right, exactly once
//! and through the action ledger, what was done on the strength of the
//! wrong answer, and shows the answer on the Slack message it was given on.

mod job;
pub mod metrics;

pub use job::FollowUp;

use crate::people::Correction;
use crate::store::{NewDelivery, People, StoreError};
use serde::{Deserialize, Serialize};

/// The `event` of a correction's job in the queue (no GitHub event is
/// called so).
pub const JOB_EVENT: &str = "orgradar.correction";

/// Where an answer given in Slack is shown once its work is done.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reply {
    /// The interaction's `response_url`: replaces the message the button
    /// was on (Slack takes up to 5 posts within 30 minutes).
    pub response_url: String,
    /// That message's blocks, as Slack sent them back with the click.
    #[serde(default)]
    pub blocks: Vec<serde_json::Value>,
    /// That message's text.
    #[serde(default)]
    pub text: String,
}

/// The job a correction leaves in the queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Job {
    /// The correction's id.
    pub correction: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply: Option<Reply>,
}

/// The queue entry of `correction`'s job: its id is the correction's.
pub fn job(correction: &Correction, reply: Option<Reply>) -> Result<NewDelivery, StoreError> {
    let payload = serde_json::to_string(&Job {
        correction: correction.id.clone(),
        reply,
    })?;
    Ok(NewDelivery {
        id: correction.id.clone(),
        event: JOB_EVENT.to_string(),
        action: Some(correction.verdict.as_str().to_string()),
        installation_id: None,
        repository: None,
        received_at: correction.at,
        payload,
    })
}

/// Keeps `correction` and queues its job; `false` when a correction with
/// its id was kept before (a click replayed), and nothing changed.
pub async fn submit(
    store: &dyn People,
    correction: &Correction,
    reply: Option<Reply>,
) -> Result<bool, StoreError> {
    store.correct(correction, &job(correction, reply)?).await
}

/// A fresh id for an answer given on the dashboard or the command line:
/// `dashboard-…`/`cli-…` and 16 random hex digits.
pub fn new_id(via: crate::people::Via) -> String {
    format!("{}-{:016x}", via.as_str(), fastrand::u64(..))
}
