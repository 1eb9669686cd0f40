//! The store: the delivery ledger and the work queue behind one small trait,
//! so the SQLite default and a PostgreSQL implementation are interchangeable.

mod insights;
mod insights_fold;
mod insights_query;
mod ledger;
mod migrate;
pub use migrate::{Migrated, run as migrate};
mod postgres;
mod sessions;
mod sqlite;
mod topics;

pub use insights::Insights;
pub use ledger::{ActionRecord, ActionState, Ledger, Purged};
pub use sessions::{DashboardSession, Sessions};
pub use topics::{ASKING_LIMIT, Topics};

pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;

use crate::config::DatabaseUrl;
use crate::time::Millis;
use async_trait::async_trait;
use serde::Serialize;
use std::fmt;
use std::sync::Arc;

/// A verified delivery, as ingress hands it to the store.
#[derive(Debug, Clone)]
pub struct NewDelivery {
    pub id: String,
    pub event: String,
    pub action: Option<String>,
    pub installation_id: Option<i64>,
    pub repository: Option<String>,
    pub received_at: Millis,
    /// The slim payload (JSON) the worker decodes.
    pub payload: String,
}

/// Where a delivery stands in the queue: those that can label or notify
/// (issues, pull requests, discussions, comments) are claimed before those
/// that only count people (stars, forks). Stored as 0 and 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Priority {
    Now = 0,
    Background = 1,
}

impl Priority {
    pub fn of_event(event: &str) -> Self {
        if crate::event::Handled::background(event) {
            Priority::Background
        } else {
            Priority::Now
        }
    }
}

/// Of the deliveries one claim takes, at least this many are background
/// ones when any are due, so a stream of issues never starves the stars.
pub fn background_share(limit: usize) -> usize {
    limit.div_ceil(4)
}

/// The order one claim takes due deliveries in: expired leases first (their
/// worker died), then the background share, then the rest of the `Now`
/// deliveries, then more background ones; each list oldest first.
pub fn pick_due<T>(expired: Vec<T>, now: Vec<T>, background: Vec<T>, limit: usize) -> Vec<T> {
    let mut picked: Vec<T> = expired.into_iter().take(limit).collect();
    let mut background = background.into_iter();
    let share = background_share(limit).min(limit - picked.len());
    picked.extend(background.by_ref().take(share));
    let room = limit - picked.len();
    picked.extend(now.into_iter().take(room));
    let room = limit - picked.len();
    picked.extend(background.take(room));
    picked
}

/// What became of an ingested delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ingested {
    Queued,
    /// The delivery id was seen before; nothing was written.
    Duplicate,
}

/// A delivery a worker has taken, with the lease that makes it its own.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub id: String,
    pub event: String,
    pub action: Option<String>,
    pub received_at: Millis,
    pub payload: String,
    /// This attempt's number (1 for the first ever).
    pub attempt: u32,
    /// Attempts made since the delivery was last requeued by hand, this one included.
    pub budget_used: u32,
    pub owner: String,
}

/// How an attempt ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Done,
    /// Done, with nothing to do, and why (an ignored person, no rule matched):
    /// kept as the delivery's note.
    Noted {
        note: String,
    },
    /// Try again at `at`.
    Retry {
        error: String,
        at: Millis,
    },
    /// Give up: no further attempts.
    Dead {
        error: String,
    },
    /// Not a failure: wait until `at` (GitHub's rate limit, or its budget kept
    /// for more urgent work). The attempt is not counted against the budget.
    Wait {
        reason: String,
        at: Millis,
    },
}

impl Outcome {
    /// The status, next attempt time and error the store records for it.
    pub fn into_row(self, now: Millis) -> (Status, Millis, Option<String>) {
        match self {
            Outcome::Done => (Status::Done, now, None),
            Outcome::Noted { note } => (Status::Done, now, Some(note)),
            Outcome::Retry { error, at } => (Status::Failed, at, Some(error)),
            Outcome::Dead { error } => (Status::Dead, now, Some(error)),
            Outcome::Wait { reason, at } => (Status::Waiting, at, Some(reason)),
        }
    }

    /// Attempts given back to the delivery's budget: a wait is not a failure.
    pub fn refund(&self) -> i32 {
        i32::from(matches!(self, Outcome::Wait { .. }))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Queued,
    Processing,
    Done,
    Failed,
    Dead,
    /// Waiting for GitHub (a rate limit, the lookup budget, a batched lookup)
    /// until `next_attempt_at`; no attempt was spent.
    Waiting,
}

impl Status {
    pub const ALL: [Status; 6] = [
        Status::Queued,
        Status::Processing,
        Status::Done,
        Status::Failed,
        Status::Dead,
        Status::Waiting,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Queued => "queued",
            Status::Processing => "processing",
            Status::Done => "done",
            Status::Failed => "failed",
            Status::Dead => "dead",
            Status::Waiting => "waiting",
        }
    }

    pub fn parse(text: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One delivery as `deliveries list` shows it.
#[derive(Debug, Clone, Serialize)]
pub struct DeliveryRow {
    pub id: String,
    pub event: String,
    pub action: Option<String>,
    pub status: Status,
    pub attempts: u32,
    pub received_at: Millis,
    pub installation_id: Option<i64>,
    pub repository: Option<String>,
    pub next_attempt_at: Millis,
    pub last_error: Option<String>,
    pub updated_at: Millis,
}

/// One attempt at processing a delivery.
#[derive(Debug, Clone, Serialize)]
pub struct AttemptRow {
    pub attempt: u32,
    pub worker: String,
    pub started_at: Millis,
    pub finished_at: Option<Millis>,
    /// done, failed, dead, interrupted; `None` while it runs.
    pub outcome: Option<String>,
    pub error: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub status: Option<Status>,
    pub limit: usize,
}

/// The answer to a manual retry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requeue {
    Requeued,
    NotFound,
    /// Already waiting or running; nothing changed.
    Pending(Status),
    /// Done already; requeue only when forced.
    Done,
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(String),
    #[error(
        "the database schema is at version {found}, newer than this orgradar knows ({known}); run a newer orgradar"
    )]
    SchemaTooNew { found: i64, known: i64 },
    #[error("the store is shutting down")]
    Closed,
}

/// The delivery ledger and queue.
#[async_trait]
pub trait Store: Ledger + Insights + Sessions + Topics + Send + Sync {
    /// Commits a delivery durably, or reports it as a duplicate.
    async fn ingest(&self, delivery: NewDelivery) -> Result<Ingested, StoreError>;

    /// Leases up to `limit` deliveries that are due (queued, failed and due, or
    /// processing with an expired lease) to `owner` until `now + lease_ms`.
    async fn claim(
        &self,
        owner: &str,
        limit: usize,
        now: Millis,
        lease_ms: i64,
    ) -> Result<Vec<Claimed>, StoreError>;

    /// Records how an attempt ended. `false` when the lease had been lost, in
    /// which case nothing is written.
    async fn finish(
        &self,
        claimed: &Claimed,
        outcome: Outcome,
        now: Millis,
    ) -> Result<bool, StoreError>;

    /// Hands back every lease held by `owner` (or by anyone when `None`):
    /// those deliveries are queued again and their attempts marked interrupted.
    async fn release(&self, owner: Option<&str>, now: Millis) -> Result<u64, StoreError>;

    /// Extends `owner`'s leases on `ids` to `until` (the worker's heartbeat),
    /// so a live worker keeps what it is working on and a dead one's expire soon.
    async fn extend_leases(
        &self,
        owner: &str,
        ids: &[String],
        until: Millis,
    ) -> Result<u64, StoreError>;

    /// Makes the `waiting` deliveries among `ids` due at `now` (what they
    /// waited for has arrived).
    async fn wake(&self, ids: &[String], now: Millis) -> Result<u64, StoreError>;

    async fn list(&self, filter: &ListFilter) -> Result<Vec<DeliveryRow>, StoreError>;

    async fn get(&self, id: &str) -> Result<Option<(DeliveryRow, Vec<AttemptRow>)>, StoreError>;

    /// Queues a delivery again with a fresh attempt budget.
    async fn requeue(&self, id: &str, force: bool, now: Millis) -> Result<Requeue, StoreError>;

    /// How many deliveries are in each status but `done` (which only grows).
    async fn backlog(&self) -> Result<Vec<(Status, u64)>, StoreError>;

    /// The value of checkpoint `name`, if it was ever set.
    async fn checkpoint(&self, name: &str) -> Result<Option<i64>, StoreError>;

    async fn set_checkpoint(&self, name: &str, value: i64, now: Millis) -> Result<(), StoreError>;

    /// Takes the lock `name` for `owner` until `until`, if nobody else holds
    /// it now (an expired lock is free). `true` when taken.
    async fn try_lock(
        &self,
        name: &str,
        owner: &str,
        until: Millis,
        now: Millis,
    ) -> Result<bool, StoreError>;

    async fn unlock(&self, name: &str, owner: &str) -> Result<(), StoreError>;

    /// Which of `ids` are in the delivery ledger.
    async fn known(&self, ids: &[String]) -> Result<std::collections::HashSet<String>, StoreError>;

    /// The cached facts about `login` (lowercased) fetched at or after `fresh_since`.
    async fn actor(&self, login: &str, fresh_since: Millis) -> Result<Option<String>, StoreError>;

    /// Caches the facts (JSON) about `login` (lowercased).
    async fn cache_actor(&self, login: &str, facts: &str, now: Millis) -> Result<(), StoreError>;

    /// Whether one process owns the store (SQLite): then whatever an earlier
    /// run left `processing` can be taken back at start-up without waiting
    /// for its lease to expire.
    fn single_process(&self) -> bool {
        true
    }

    /// Whether the store takes writes now (for `/readyz`).
    async fn ready(&self) -> Result<(), StoreError> {
        self.backlog().await.map(|_| ())
    }

    /// Waits for pending writes and closes the store.
    async fn close(&self);
}

/// Opens the store named by `DATABASE_URL` and brings its schema up to date.
pub async fn open(url: &DatabaseUrl) -> Result<Arc<dyn Store>, StoreError> {
    match url {
        DatabaseUrl::Sqlite(path) => Ok(Arc::new(SqliteStore::open(path).await?)),
        DatabaseUrl::Postgres(url) => Ok(Arc::new(PostgresStore::open(url).await?)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_claim_takes_the_urgent_first_but_keeps_a_share_for_the_background() {
        let now: Vec<u32> = (0..10).collect();
        let background: Vec<u32> = (100..110).collect();
        assert_eq!(
            pick_due(vec![], now.clone(), background.clone(), 8),
            vec![100, 101, 0, 1, 2, 3, 4, 5]
        );
        // Few urgent ones: the background fills the claim.
        assert_eq!(
            pick_due(vec![], vec![0], background.clone(), 4),
            vec![100, 0, 101, 102]
        );
        // Expired leases come first; nothing beyond the limit.
        assert_eq!(
            pick_due(vec![50, 51], now, background, 3),
            vec![50, 51, 100]
        );
        assert_eq!(Priority::of_event("star"), Priority::Background);
        assert_eq!(Priority::of_event("issue_comment"), Priority::Now);
    }
}
