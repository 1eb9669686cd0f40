//! The store: the delivery ledger, the work queue and what orgradar keeps
//! (its action ledger, sightings, sessions, ...), one small trait per role,
//! so the SQLite default and a PostgreSQL implementation are interchangeable.
//!
//! The SQL that is the same on both is written once, with `$N` placeholders,
//! in the role's module here, against [`sql::Sql`], which each store
//! implements; `sqlite/` and `postgres/` hold only what differs (how each
//! commits, the queue's claims and batched outcomes).

mod actors;
mod checkpoints;
mod deliveries;
mod error;
mod forget;
pub mod insights;
mod ledger;
mod locks;
#[cfg(test)]
mod loud_tests;
mod migrate;
mod people;
mod postgres;
mod queue;
mod retention;
mod sessions;
mod sightings;
pub(crate) mod sql;
mod sqlite;
mod topics;

pub use actors::ActorCache;
pub use checkpoints::Checkpoints;
pub use deliveries::{AttemptRow, Deliveries, DeliveryRow, ListFilter, Requeue, Status};
pub use error::StoreError;
pub use forget::Forgotten;
pub use insights::Insights;
pub use ledger::{ActionRecord, ActionState, Ledger};
pub use locks::{Locks, locked};
pub use migrate::Migrated;
pub use people::People;
pub use queue::{
    Claimed, Ingested, Lease, NewDelivery, Outcome, Priority, Queue, TakeOver, background_share,
    pick_due,
};
pub use retention::{Purged, Retention};
pub use sessions::{DashboardSession, Sessions};
pub use sightings::Sightings;
pub use topics::{ASKING_LIMIT, Topics};

pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;

use crate::config::DatabaseUrl;
use async_trait::async_trait;
use std::sync::Arc;

/// What the actions need: the ledger and the sightings, locks, the digests'
/// checkpoints and topics, and retention.
pub trait ActionStore:
    Ledger + Sightings + Locks + Checkpoints + Topics + Retention + People
{
}

impl<T: Ledger + Sightings + Locks + Checkpoints + Topics + Retention + People + ?Sized> ActionStore
    for T
{
}

/// What the decision reads and the worker notes about people: earlier
/// sightings, the answers given about them, where they were seen.
pub trait Recall: Sightings + People {}

impl<T: Sightings + People + ?Sized> Recall for T {}

/// What a correction's follow-up needs: the answers, the answered
/// delivery's state, and the ledger.
pub trait CorrectionStore: People + Deliveries + Ledger {}

impl<T: People + Deliveries + Ledger + ?Sized> CorrectionStore for T {}

/// Every role of the store, for those that need all of it (start-up, the
/// CLI's `deliveries`).
#[async_trait]
pub trait Store:
    Queue
    + Deliveries
    + ActorCache
    + ActionStore
    + Recall
    + CorrectionStore
    + Insights
    + Sessions
    + Send
    + Sync
{
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

/// Opens the store at `url` and applies what it lacks (`orgradar migrate`).
pub async fn migrate(url: &DatabaseUrl) -> Result<Migrated, StoreError> {
    let applied = match url {
        DatabaseUrl::Sqlite(path) => {
            let path = path.clone();
            tokio::task::spawn_blocking(move || migrate::sqlite(&mut sqlite::connect(&path)?))
                .await??
        }
        DatabaseUrl::Postgres(url) => {
            let pool = sqlx::postgres::PgPoolOptions::new()
                .max_connections(1)
                .acquire_timeout(std::time::Duration::from_secs(5))
                .connect(url)
                .await
                .map_err(|e| StoreError::Connect {
                    url: crate::config::redact_password(url),
                    source: std::sync::Arc::new(e),
                })?;
            let applied = migrate::postgres(&pool).await;
            pool.close().await;
            applied?
        }
    };
    Ok(Migrated {
        applied,
        version: migrate::latest(),
    })
}
