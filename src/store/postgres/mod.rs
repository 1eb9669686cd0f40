//! The PostgreSQL store, for several `orgradar serve` processes sharing the
//! work: deliveries are taken with `FOR UPDATE SKIP LOCKED`, so each goes to
//! exactly one worker; the dedupe key and the attempt log are enforced by
//! primary keys; a dead worker's leases expire and its deliveries are taken
//! again. Ingest commits many deliveries per transaction.

use super::{Store, StoreError, migrate};
use crate::config::redact_password as env_redact_password;
use async_trait::async_trait;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;

mod ingest;
mod outcomes;
mod queue;
mod sql;

/// Rows written by one statement at most (deliveries, outcomes).
const MAX_BATCH: usize = 512;

pub struct PostgresStore {
    pool: PgPool,
    /// The worker's bookkeeping (claims, outcomes, leases): connections whose
    /// commits do not wait for the WAL flush (see [`BOOKKEEPING`]).
    relaxed: PgPool,
    ingest: mpsc::Sender<ingest::Pending>,
    finishes: mpsc::Sender<outcomes::Finish>,
}

/// The worker's own bookkeeping (claims, outcomes) does not wait for the WAL
/// flush: an orgradar crash loses none of it, and after a crash of PostgreSQL
/// itself a delivery may be processed once more (actions are ledgered
/// separately). Acknowledged deliveries are always committed in full, on the
/// other pool. Each claim and each batch of outcomes is one statement, so one
/// round trip, on a connection set up this way.
const BOOKKEEPING: (&str, &str) = ("synchronous_commit", "off");

/// Every connection: PostgreSQL's JIT compiler off (see [`PostgresStore::open`]).
const NO_JIT: (&str, &str) = ("jit", "off");

impl PostgresStore {
    /// Connects (waiting at most a few seconds) and migrates.
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        let unreachable = |e: sqlx::Error| StoreError::Connect {
            url: env_redact_password(url),
            source: Arc::new(e),
        };
        // No JIT: its compilation (hundreds of milliseconds) dwarfs the
        // dashboard's queries, which its cost estimates would otherwise send to it.
        let options = PgConnectOptions::from_str(url)
            .map_err(unreachable)?
            .options([NO_JIT]);
        let pool = PgPoolOptions::new()
            .max_connections(24)
            // Well inside GitHub's 10 s, so a delivery that cannot be stored gets its 503 in time.
            .acquire_timeout(Duration::from_secs(5))
            .connect_with(options.clone())
            .await
            .map_err(unreachable)?;
        migrate::postgres(&pool).await?;
        let relaxed = PgPoolOptions::new()
            .max_connections(4)
            .acquire_timeout(Duration::from_secs(5))
            .connect_lazy_with(options.options([BOOKKEEPING]));
        let (tx, rx) = mpsc::channel(8192);
        tokio::spawn(ingest::collect(pool.clone(), rx));
        let (finishes, finished) = mpsc::channel(8192);
        tokio::spawn(outcomes::collect(relaxed.clone(), finished));
        Ok(Self {
            pool,
            relaxed,
            ingest: tx,
            finishes,
        })
    }
}

/// `first` and whatever else waits in `rx` now, up to [`MAX_BATCH`] in all.
fn take_batch<T>(first: T, rx: &mut mpsc::Receiver<T>) -> Vec<T> {
    let mut batch = vec![first];
    while batch.len() < MAX_BATCH {
        match rx.try_recv() {
            Ok(next) => batch.push(next),
            Err(_) => break,
        }
    }
    batch
}

#[async_trait]
impl Store for PostgresStore {
    fn single_process(&self) -> bool {
        false
    }

    async fn close(&self) {
        self.pool.close().await;
        self.relaxed.close().await;
    }
}
