//! The store: the delivery ledger and the work queue behind one small trait,
//! so the SQLite default and a PostgreSQL implementation are interchangeable.

mod insights;
mod insights_fold;
mod insights_query;
mod ledger;
mod migrate;
mod postgres;
mod sessions;
mod sqlite;

pub use insights::Insights;
pub use ledger::{ActionRecord, ActionState, Ledger, Purged};
pub use sessions::{DashboardSession, Sessions};

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
    /// Try again at `at`.
    Retry {
        error: String,
        at: Millis,
    },
    /// Give up: no further attempts.
    Dead {
        error: String,
    },
}

impl Outcome {
    /// The status, next attempt time and error the store records for it.
    pub fn into_row(self, now: Millis) -> (Status, Millis, Option<String>) {
        match self {
            Outcome::Done => (Status::Done, now, None),
            Outcome::Retry { error, at } => (Status::Failed, at, Some(error)),
            Outcome::Dead { error } => (Status::Dead, now, Some(error)),
        }
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
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::Queued,
        Status::Processing,
        Status::Done,
        Status::Failed,
        Status::Dead,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Queued => "queued",
            Status::Processing => "processing",
            Status::Done => "done",
            Status::Failed => "failed",
            Status::Dead => "dead",
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
pub trait Store: Ledger + Insights + Sessions + Send + Sync {
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
