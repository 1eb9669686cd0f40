//! The work queue on PostgreSQL: one statement per claim, outcomes batched
//! (see `outcomes`), arrays for the leases and wake-ups of many deliveries.

use super::PostgresStore;
use super::outcomes::FinishRow;
use crate::store::queue::release;
use crate::store::{
    Claimed, Ingested, Lease, NewDelivery, Outcome, Queue, StoreError, TakeOver, background_share,
};
use crate::time::Millis;
use async_trait::async_trait;
use tokio::sync::oneshot;

/// One claim, as one statement: each source in its own index-ordered scan,
/// oldest first, skipping rows other instances hold (queued, failed and
/// waiting ones of each priority, expired leases), ranked as
/// [`pick_due`](crate::store::pick_due) ranks them (expired, the background share, the
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

impl PostgresStore {
    /// Hands a delivery to the ingest batches and waits for its commit.
    async fn insert(
        &self,
        d: NewDelivery,
        lease: Option<(Lease, TakeOver)>,
    ) -> Result<Ingested, StoreError> {
        let (tx, rx) = oneshot::channel();
        self.ingest
            .send((d, lease, tx))
            .await
            .map_err(|_| StoreError::Closed)?;
        rx.await.map_err(|_| StoreError::Closed)?
    }
}

#[async_trait]
impl Queue for PostgresStore {
    async fn ingest(&self, delivery: NewDelivery) -> Result<Ingested, StoreError> {
        self.insert(delivery, None).await
    }

    async fn ingest_claimed(
        &self,
        delivery: NewDelivery,
        lease: &Lease,
        take: TakeOver,
    ) -> Result<Ingested, StoreError> {
        self.insert(delivery, Some((lease.clone(), take))).await
    }

    async fn claim(
        &self,
        owner: &str,
        limit: usize,
        now: Millis,
        lease_ms: i64,
    ) -> Result<Vec<Claimed>, StoreError> {
        let as_i64 = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
        let rows = sqlx::query(CLAIM)
            .bind(now)
            .bind(as_i64(limit))
            .bind(owner)
            .bind(now + lease_ms)
            .bind(as_i64(background_share(limit)))
            .fetch_all(&self.relaxed)
            .await?;
        rows.iter().map(|r| Claimed::from_row(r, owner)).collect()
    }

    async fn finish(&self, c: &Claimed, outcome: Outcome, now: Millis) -> Result<bool, StoreError> {
        let refund = outcome.refund();
        let (status, next, error) = outcome.into_row(now);
        let (tx, rx) = oneshot::channel();
        let row = FinishRow {
            id: c.id.clone(),
            owner: c.owner.clone(),
            attempt: i32::try_from(c.attempt).unwrap_or(i32::MAX),
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
        release(self, owner, now).await
    }

    async fn wake(&self, ids: &[String], now: Millis) -> Result<u64, StoreError> {
        let done = sqlx::query(
            "UPDATE deliveries SET next_attempt_at = $2 \
             WHERE id = ANY($1) AND status = 'waiting' AND next_attempt_at > $2",
        )
        .bind(ids)
        .bind(now)
        .execute(&self.relaxed)
        .await?;
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
        .await?;
        Ok(done.rows_affected())
    }
}
