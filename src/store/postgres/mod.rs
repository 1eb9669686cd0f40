//! The PostgreSQL store, for several `orgradar serve` processes sharing the
//! work: deliveries are taken with `FOR UPDATE SKIP LOCKED`, so each goes to
//! exactly one worker; the dedupe key and the attempt log are enforced by
//! primary keys; a dead worker's leases expire and its deliveries are taken
//! again. Ingest commits many deliveries per transaction.

use super::{
    AttemptRow, Claimed, DeliveryRow, Ingested, ListFilter, NewDelivery, Outcome, Priority,
    Requeue, Status, Store, StoreError, migrate,
};
use crate::config::redact_password as env_redact_password;
use crate::time::Millis;
use async_trait::async_trait;
use sqlx::Row;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions, PgRow};
use std::collections::{HashMap, HashSet};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Semaphore, mpsc, oneshot};

mod insights;
mod ledger;
mod sessions;
mod topics;

/// Deliveries inserted by one statement at most.
const MAX_BATCH: usize = 512;
/// Ingest transactions in flight at once (each waits for its own WAL flush).
const FLUSHERS: usize = 4;

type Pending = (NewDelivery, oneshot::Sender<Result<Ingested, StoreError>>);

/// An outcome waiting to be recorded.
#[derive(Clone)]
struct FinishRow {
    id: String,
    owner: String,
    attempt: i32,
    status: &'static str,
    next: Millis,
    error: Option<String>,
    at: Millis,
    /// Attempts given back to the budget (a wait is not a failure).
    refund: i32,
}

type Finish = (FinishRow, oneshot::Sender<Result<bool, StoreError>>);

pub struct PostgresStore {
    pool: PgPool,
    /// The worker's bookkeeping (claims, outcomes, leases): connections whose
    /// commits do not wait for the WAL flush (see [`BOOKKEEPING`]).
    relaxed: PgPool,
    ingest: mpsc::Sender<Pending>,
    finishes: mpsc::Sender<Finish>,
}

fn db(e: sqlx::Error) -> StoreError {
    StoreError::Database(e.to_string())
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
        let unreachable = |e: sqlx::Error| {
            StoreError::Database(format!(
                "cannot connect to PostgreSQL at {}: {e}; check DATABASE_URL and that the server accepts connections",
                env_redact_password(url)
            ))
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
        tokio::spawn(collect(pool.clone(), rx));
        let (finishes, finished) = mpsc::channel(8192);
        tokio::spawn(collect_finishes(relaxed.clone(), finished));
        Ok(Self {
            pool,
            relaxed,
            ingest: tx,
            finishes,
        })
    }
}

/// Gathers waiting deliveries into batches and commits each in its own
/// transaction, a few at a time.
async fn collect(pool: PgPool, mut rx: mpsc::Receiver<Pending>) {
    let flushers = Arc::new(Semaphore::new(FLUSHERS));
    while let Some(first) = rx.recv().await {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(next) => batch.push(next),
                Err(_) => break,
            }
        }
        let Ok(permit) = flushers.clone().acquire_owned().await else {
            break;
        };
        let pool = pool.clone();
        tokio::spawn(async move {
            flush(&pool, batch).await;
            drop(permit);
        });
    }
    // Closing: wait for the flushes in flight.
    let _ = flushers.acquire_many(FLUSHERS as u32).await;
}

async fn flush(pool: &PgPool, batch: Vec<Pending>) {
    // The first of several deliveries with one id is inserted; the others are duplicates.
    let mut seen = HashSet::new();
    let (first, repeats): (Vec<_>, Vec<_>) = batch
        .into_iter()
        .partition(|(d, _)| seen.insert(d.id.clone()));
    let column =
        |f: fn(&NewDelivery) -> Option<String>| first.iter().map(|(d, _)| f(d)).collect::<Vec<_>>();
    let ids = column(|d| Some(d.id.clone()));
    let events = column(|d| Some(d.event.clone()));
    let actions = column(|d| d.action.clone());
    let repositories = column(|d| d.repository.clone());
    let payloads = column(|d| Some(d.payload.clone()));
    let installations: Vec<Option<i64>> = first.iter().map(|(d, _)| d.installation_id).collect();
    let received: Vec<i64> = first.iter().map(|(d, _)| d.received_at).collect();
    let priorities: Vec<i32> = first
        .iter()
        .map(|(d, _)| Priority::of_event(&d.event) as i32)
        .collect();
    let inserted = sqlx::query_scalar::<_, String>(
        "INSERT INTO deliveries (id, event, action, installation_id, repository, received_at, payload, \
         status, next_attempt_at, updated_at, priority) \
         SELECT id, event, action, installation_id, repository, received_at, payload, 'queued', received_at, received_at, priority \
         FROM UNNEST($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::bigint[], $7::text[], $8::int[]) \
         AS t(id, event, action, installation_id, repository, received_at, payload, priority) \
         ON CONFLICT (id) DO NOTHING RETURNING id",
    )
    .bind(&ids)
    .bind(&events)
    .bind(&actions)
    .bind(&installations)
    .bind(&repositories)
    .bind(&received)
    .bind(&payloads)
    .bind(&priorities)
    .fetch_all(pool)
    .await;
    match inserted {
        Ok(new) => {
            let new: HashSet<String> = new.into_iter().collect();
            for (d, reply) in first {
                let answer = if new.contains(&d.id) {
                    Ingested::Queued
                } else {
                    Ingested::Duplicate
                };
                let _ = reply.send(Ok(answer));
            }
            for (_, reply) in repeats {
                let _ = reply.send(Ok(Ingested::Duplicate));
            }
        }
        Err(e) => {
            let err = db(e);
            tracing::error!(error = %err, "a batch of deliveries could not be committed");
            for (_, reply) in first.into_iter().chain(repeats) {
                let _ = reply.send(Err(err.clone()));
            }
        }
    }
}

/// Records outcomes many at a time: one transaction for all that wait.
async fn collect_finishes(pool: PgPool, mut rx: mpsc::Receiver<Finish>) {
    while let Some(first) = rx.recv().await {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(next) => batch.push(next),
                Err(_) => break,
            }
        }
        let rows: Vec<_> = batch.iter().map(|(row, _)| row.clone()).collect();
        match finish_many(&pool, &rows).await {
            Ok(recorded) => {
                for (row, reply) in batch {
                    let _ = reply.send(Ok(recorded.contains(&row.id)));
                }
            }
            Err(e) => {
                for (_, reply) in batch {
                    let _ = reply.send(Err(e.clone()));
                }
            }
        }
    }
}

/// Records outcomes whose lease still holds; returns the ids recorded.
async fn finish_many(pool: &PgPool, rows: &[FinishRow]) -> Result<HashSet<String>, StoreError> {
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    let owners: Vec<&str> = rows.iter().map(|r| r.owner.as_str()).collect();
    let attempts: Vec<i32> = rows.iter().map(|r| r.attempt).collect();
    let statuses: Vec<&str> = rows.iter().map(|r| r.status).collect();
    let nexts: Vec<i64> = rows.iter().map(|r| r.next).collect();
    let errors: Vec<Option<&str>> = rows.iter().map(|r| r.error.as_deref()).collect();
    let nows: Vec<i64> = rows.iter().map(|r| r.at).collect();
    let refunds: Vec<i32> = rows.iter().map(|r| r.refund).collect();
    // One statement: the outcome, where the lease still holds, and its attempt record.
    let recorded: Vec<String> = sqlx::query_scalar(
        "WITH recorded AS ( \
           UPDATE deliveries d SET status = v.status, next_attempt_at = v.next, last_error = v.error, \
             lease_owner = NULL, lease_until = NULL, updated_at = v.at, \
             budget_start = d.budget_start + v.refund \
           FROM UNNEST($1::text[], $2::text[], $3::int[], $4::text[], $5::bigint[], $6::text[], $7::bigint[], $8::int[]) \
             AS v(id, owner, attempt, status, next, error, at, refund) \
           WHERE d.id = v.id AND d.status = 'processing' AND d.lease_owner = v.owner AND d.attempts = v.attempt \
           RETURNING d.id, v.attempt, v.status, v.error, v.at), \
         attempts AS ( \
           UPDATE delivery_attempts a SET outcome = r.status, error = r.error, finished_at = r.at \
           FROM recorded r WHERE a.delivery_id = r.id AND a.attempt = r.attempt) \
         SELECT id FROM recorded",
    )
    .bind(&ids)
    .bind(&owners)
    .bind(&attempts)
    .bind(&statuses)
    .bind(&nexts)
    .bind(&errors)
    .bind(&nows)
    .bind(&refunds)
    .fetch_all(pool)
    .await
    .map_err(db)?;
    Ok(recorded.into_iter().collect())
}

/// One claim, as one statement: each source in its own index-ordered scan,
/// oldest first, skipping rows other instances hold (queued, failed and
/// waiting ones of each priority, expired leases), ranked as
/// [`super::pick_due`] ranks them (expired, the background share, the
/// urgent, the rest of the background) and taken only as far as the limit
/// ($2) needs; then the lease, the end of any attempt left open, and the new
/// attempt's record.
const CLAIM: &str = "WITH \
   now_queued AS (SELECT id, priority, next_attempt_at FROM deliveries WHERE status = 'queued' \
     AND priority = 0 AND next_attempt_at <= $1 ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED), \
   now_failed AS (SELECT id, priority, next_attempt_at FROM deliveries WHERE status = 'failed' \
     AND priority = 0 AND next_attempt_at <= $1 ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED), \
   now_waiting AS (SELECT id, priority, next_attempt_at FROM deliveries WHERE status = 'waiting' \
     AND priority = 0 AND next_attempt_at <= $1 ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED), \
   bg_queued AS (SELECT id, priority, next_attempt_at FROM deliveries WHERE status = 'queued' \
     AND priority = 1 AND next_attempt_at <= $1 ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED), \
   bg_failed AS (SELECT id, priority, next_attempt_at FROM deliveries WHERE status = 'failed' \
     AND priority = 1 AND next_attempt_at <= $1 ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED), \
   bg_waiting AS (SELECT id, priority, next_attempt_at FROM deliveries WHERE status = 'waiting' \
     AND priority = 1 AND next_attempt_at <= $1 ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED), \
   due AS (SELECT * FROM now_queued UNION ALL SELECT * FROM now_failed UNION ALL SELECT * FROM now_waiting \
     UNION ALL SELECT * FROM bg_queued UNION ALL SELECT * FROM bg_failed UNION ALL SELECT * FROM bg_waiting), \
   expired AS ( \
     SELECT id FROM deliveries WHERE status = 'processing' AND lease_until < $1 \
     LIMIT $2 FOR UPDATE SKIP LOCKED), \
   ranked AS ( \
     SELECT id, 0 AS rank, 0::bigint AS at FROM expired \
     UNION ALL SELECT id, \
       CASE WHEN priority = 0 THEN 2 \
            WHEN row_number() OVER (PARTITION BY priority ORDER BY next_attempt_at) <= $5 THEN 1 \
            ELSE 3 END, \
       next_attempt_at FROM due), \
   picked AS MATERIALIZED (SELECT id FROM ranked ORDER BY rank, at LIMIT $2), \
   claimed AS ( \
     UPDATE deliveries d SET status = 'processing', attempts = d.attempts + 1, \
       lease_owner = $3, lease_until = $4, updated_at = $1 \
     FROM picked WHERE d.id = picked.id \
     RETURNING d.id, d.event, d.action, d.received_at, d.payload, d.attempts, \
       d.attempts - d.budget_start AS budget_used), \
   interrupted AS ( \
     UPDATE delivery_attempts a SET outcome = 'interrupted', finished_at = $1 \
     FROM claimed c WHERE a.delivery_id = c.id AND a.outcome IS NULL), \
   started AS ( \
     INSERT INTO delivery_attempts (delivery_id, attempt, worker, started_at) \
     SELECT id, attempts, $3, $1 FROM claimed) \
 SELECT id, event, action, received_at, payload, attempts, budget_used FROM claimed";

const ROW_COLUMNS: &str = "id, event, action, status, attempts, received_at, installation_id, \
                           repository, next_attempt_at, last_error, updated_at";

fn delivery_row(r: &PgRow) -> Result<DeliveryRow, sqlx::Error> {
    let status: String = r.try_get(3)?;
    Ok(DeliveryRow {
        id: r.try_get(0)?,
        event: r.try_get(1)?,
        action: r.try_get(2)?,
        status: Status::parse(&status).unwrap_or(Status::Failed),
        attempts: r.try_get::<i32, _>(4)?.max(0) as u32,
        received_at: r.try_get(5)?,
        installation_id: r.try_get(6)?,
        repository: r.try_get(7)?,
        next_attempt_at: r.try_get(8)?,
        last_error: r.try_get(9)?,
        updated_at: r.try_get(10)?,
    })
}

#[async_trait]
impl Store for PostgresStore {
    async fn ingest(&self, delivery: NewDelivery) -> Result<Ingested, StoreError> {
        let (tx, rx) = oneshot::channel();
        self.ingest
            .send((delivery, tx))
            .await
            .map_err(|_| StoreError::Closed)?;
        rx.await.map_err(|_| StoreError::Closed)?
    }

    async fn claim(
        &self,
        owner: &str,
        limit: usize,
        now: Millis,
        lease_ms: i64,
    ) -> Result<Vec<Claimed>, StoreError> {
        // One statement: each source in its own index-ordered scan, oldest
        // first, skipping rows other instances hold (queued, failed and due,
        // expired leases), taken only as far as `limit` needs; then the lease,
        // the end of any attempt left open, and the new attempt's record.
        let rows = sqlx::query(CLAIM)
            .bind(now)
            .bind(limit as i64)
            .bind(owner)
            .bind(now + lease_ms)
            .bind(super::background_share(limit) as i64)
            .fetch_all(&self.relaxed)
            .await
            .map_err(db)?;
        rows.iter()
            .map(|r| {
                Ok(Claimed {
                    id: r.try_get(0)?,
                    event: r.try_get(1)?,
                    action: r.try_get(2)?,
                    received_at: r.try_get(3)?,
                    payload: r.try_get(4)?,
                    attempt: r.try_get::<i32, _>(5)?.max(0) as u32,
                    budget_used: r.try_get::<i32, _>(6)?.max(0) as u32,
                    owner: owner.to_string(),
                })
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()
            .map_err(db)
    }

    async fn finish(&self, c: &Claimed, outcome: Outcome, now: Millis) -> Result<bool, StoreError> {
        let refund = outcome.refund();
        let (status, next, error) = outcome.into_row(now);
        let (tx, rx) = oneshot::channel();
        let row = FinishRow {
            id: c.id.clone(),
            owner: c.owner.clone(),
            attempt: c.attempt as i32,
            status: status.as_str(),
            next,
            error,
            at: now,
            refund,
        };
        self.finishes
            .send((row, tx))
            .await
            .map_err(|_| StoreError::Closed)?;
        rx.await.map_err(|_| StoreError::Closed)?
    }

    async fn release(&self, owner: Option<&str>, now: Millis) -> Result<u64, StoreError> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        sqlx::query(
            "UPDATE delivery_attempts a SET outcome = 'interrupted', finished_at = $2 FROM deliveries d \
             WHERE a.outcome IS NULL AND a.delivery_id = d.id AND a.attempt = d.attempts \
             AND d.status = 'processing' AND ($1::text IS NULL OR d.lease_owner = $1)",
        )
        .bind(owner)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        let n = sqlx::query(
            "UPDATE deliveries SET status = 'queued', lease_owner = NULL, lease_until = NULL, \
             next_attempt_at = $2, updated_at = $2 \
             WHERE status = 'processing' AND ($1::text IS NULL OR lease_owner = $1)",
        )
        .bind(owner)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(db)?
        .rows_affected();
        tx.commit().await.map_err(db)?;
        Ok(n)
    }

    async fn wake(&self, ids: &[String], now: Millis) -> Result<u64, StoreError> {
        let done = sqlx::query(
            "UPDATE deliveries SET next_attempt_at = $2 \
             WHERE id = ANY($1) AND status = 'waiting' AND next_attempt_at > $2",
        )
        .bind(ids)
        .bind(now)
        .execute(&self.relaxed)
        .await
        .map_err(db)?;
        Ok(done.rows_affected())
    }

    async fn extend_leases(
        &self,
        owner: &str,
        ids: &[String],
        until: Millis,
    ) -> Result<u64, StoreError> {
        let done = sqlx::query(
            "UPDATE deliveries SET lease_until = $3 \
             WHERE id = ANY($2) AND status = 'processing' AND lease_owner = $1",
        )
        .bind(owner)
        .bind(ids)
        .bind(until)
        .execute(&self.pool)
        .await
        .map_err(db)?;
        Ok(done.rows_affected())
    }

    async fn list(&self, filter: &ListFilter) -> Result<Vec<DeliveryRow>, StoreError> {
        let sql = format!(
            "SELECT {ROW_COLUMNS} FROM deliveries WHERE ($1::text IS NULL OR status = $1) \
             ORDER BY received_at DESC, id LIMIT $2"
        );
        let rows = sqlx::query(&sql)
            .bind(filter.status.map(Status::as_str))
            .bind(filter.limit.max(1) as i64)
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        rows.iter().map(|r| delivery_row(r).map_err(db)).collect()
    }

    async fn get(&self, id: &str) -> Result<Option<(DeliveryRow, Vec<AttemptRow>)>, StoreError> {
        let sql = format!("SELECT {ROW_COLUMNS} FROM deliveries WHERE id = $1");
        let Some(row) = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?
        else {
            return Ok(None);
        };
        let row = delivery_row(&row).map_err(db)?;
        let attempts = sqlx::query(
            "SELECT attempt, worker, started_at, finished_at, outcome, error \
             FROM delivery_attempts WHERE delivery_id = $1 ORDER BY attempt",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await
        .map_err(db)?
        .iter()
        .map(|r| {
            Ok(AttemptRow {
                attempt: r.try_get::<i32, _>(0)?.max(0) as u32,
                worker: r.try_get(1)?,
                started_at: r.try_get(2)?,
                finished_at: r.try_get(3)?,
                outcome: r.try_get(4)?,
                error: r.try_get(5)?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()
        .map_err(db)?;
        Ok(Some((row, attempts)))
    }

    async fn requeue(&self, id: &str, force: bool, now: Millis) -> Result<Requeue, StoreError> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        let status: Option<String> =
            sqlx::query_scalar("SELECT status FROM deliveries WHERE id = $1 FOR UPDATE")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await
                .map_err(db)?;
        let Some(status) = status.as_deref().and_then(Status::parse) else {
            return Ok(Requeue::NotFound);
        };
        match status {
            Status::Queued | Status::Processing => return Ok(Requeue::Pending(status)),
            Status::Done if !force => return Ok(Requeue::Done),
            _ => {}
        }
        sqlx::query("UPDATE deliveries SET status = 'queued', budget_start = attempts, next_attempt_at = $2, updated_at = $2 WHERE id = $1")
            .bind(id)
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        tx.commit().await.map_err(db)?;
        Ok(Requeue::Requeued)
    }

    async fn backlog(&self) -> Result<Vec<(Status, u64)>, StoreError> {
        let rows = sqlx::query(
            "SELECT status, COUNT(*) FROM deliveries \
             WHERE status IN ('queued', 'processing', 'failed', 'dead', 'waiting') GROUP BY status",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        let mut counts = HashMap::new();
        for r in &rows {
            let status: String = r.try_get(0).map_err(db)?;
            let n: i64 = r.try_get(1).map_err(db)?;
            if let Some(s) = Status::parse(&status) {
                counts.insert(s, n.max(0) as u64);
            }
        }
        Ok(counts.into_iter().collect())
    }

    async fn checkpoint(&self, name: &str) -> Result<Option<i64>, StoreError> {
        sqlx::query_scalar("SELECT value FROM checkpoints WHERE name = $1")
            .bind(name)
            .fetch_optional(&self.pool)
            .await
            .map_err(db)
    }

    async fn set_checkpoint(&self, name: &str, value: i64, now: Millis) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO checkpoints (name, value, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        )
        .bind(name)
        .bind(value)
        .bind(now)
        .execute(&self.pool)
        .await
        .map_err(db)?;
        Ok(())
    }

    async fn try_lock(
        &self,
        name: &str,
        owner: &str,
        until: Millis,
        now: Millis,
    ) -> Result<bool, StoreError> {
        let taken = sqlx::query(
            "INSERT INTO job_locks (name, owner, until) VALUES ($1, $2, $3) \
             ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, until = excluded.until \
             WHERE job_locks.until < $4 OR job_locks.owner = excluded.owner",
        )
        .bind(name)
        .bind(owner)
        .bind(until)
        .bind(now)
        .execute(&self.pool)
        .await
        .map_err(db)?
        .rows_affected();
        Ok(taken == 1)
    }

    async fn unlock(&self, name: &str, owner: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM job_locks WHERE name = $1 AND owner = $2")
            .bind(name)
            .bind(owner)
            .execute(&self.pool)
            .await
            .map_err(db)?;
        Ok(())
    }

    async fn known(&self, ids: &[String]) -> Result<HashSet<String>, StoreError> {
        let found: Vec<String> = sqlx::query_scalar("SELECT id FROM deliveries WHERE id = ANY($1)")
            .bind(ids)
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        Ok(found.into_iter().collect())
    }

    async fn actor(&self, login: &str, fresh_since: Millis) -> Result<Option<String>, StoreError> {
        sqlx::query_scalar("SELECT facts FROM actors WHERE login = $1 AND fetched_at >= $2")
            .bind(login)
            .bind(fresh_since)
            .fetch_optional(&self.pool)
            .await
            .map_err(db)
    }

    async fn cache_actor(&self, login: &str, facts: &str, now: Millis) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO actors (login, facts, fetched_at) VALUES ($1, $2, $3) \
             ON CONFLICT (login) DO UPDATE SET facts = excluded.facts, fetched_at = excluded.fetched_at",
        )
        .bind(login)
        .bind(facts)
        .bind(now)
        .execute(&self.pool)
        .await
        .map_err(db)?;
        Ok(())
    }

    fn single_process(&self) -> bool {
        false
    }

    async fn close(&self) {
        self.pool.close().await;
        self.relaxed.close().await;
    }
}
