//! Outcomes on PostgreSQL: those that wait are recorded many at a time, by
//! one statement.

use super::take_batch;
use crate::store::StoreError;
use crate::time::Millis;
use sqlx::PgPool;
use std::collections::HashSet;
use tokio::sync::{mpsc, oneshot};

/// An outcome waiting to be recorded.
#[derive(Clone)]
pub(super) struct FinishRow {
    pub id: String,
    pub owner: String,
    pub attempt: i32,
    pub status: &'static str,
    pub next: Millis,
    pub error: Option<String>,
    pub at: Millis,
    /// Attempts given back to the budget (a wait is not a failure).
    pub refund: i32,
}

pub(super) type Finish = (FinishRow, oneshot::Sender<Result<bool, StoreError>>);

/// Records outcomes many at a time: one transaction for all that wait.
pub(super) async fn collect(pool: PgPool, mut rx: mpsc::Receiver<Finish>) {
    while let Some(first) = rx.recv().await {
        let batch = take_batch(first, &mut rx);
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
    .await?;
    Ok(recorded.into_iter().collect())
}
