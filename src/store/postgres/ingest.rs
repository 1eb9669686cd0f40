//! Ingest on PostgreSQL: deliveries that arrive together are inserted by one
//! statement in one transaction, a few transactions at a time (each waits
//! for its own WAL flush). A delivery with a lease is inserted already
//! taken by that worker, its first attempt started, in the same statement.

use super::take_batch;
use crate::store::{Claimed, Ingested, Lease, NewDelivery, Priority, StoreError, TakeOver};
use sqlx::PgPool;
use std::collections::HashSet;
use std::sync::Arc;
use tokio::sync::{Semaphore, mpsc, oneshot};

/// Ingest transactions in flight at once.
const FLUSHERS: usize = 4;

/// A delivery to insert; with a lease, leased to that worker and given to
/// it once committed.
pub(super) type Pending = (
    NewDelivery,
    Option<(Lease, TakeOver)>,
    oneshot::Sender<Result<Ingested, StoreError>>,
);

/// Gathers waiting deliveries into batches and commits each in its own
/// transaction, a few at a time.
pub(super) async fn collect(pool: PgPool, mut rx: mpsc::Receiver<Pending>) {
    let flushers = Arc::new(Semaphore::new(FLUSHERS));
    while let Some(first) = rx.recv().await {
        let batch = take_batch(first, &mut rx);
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
        .partition(|(d, _, _)| seen.insert(d.id.clone()));
    let column = |f: fn(&NewDelivery) -> Option<String>| {
        first.iter().map(|(d, _, _)| f(d)).collect::<Vec<_>>()
    };
    let ids = column(|d| Some(d.id.clone()));
    let events = column(|d| Some(d.event.clone()));
    let actions = column(|d| d.action.clone());
    let repositories = column(|d| d.repository.clone());
    let payloads = column(|d| Some(d.payload.clone()));
    let installations: Vec<Option<i64>> = first.iter().map(|(d, _, _)| d.installation_id).collect();
    let received: Vec<i64> = first.iter().map(|(d, _, _)| d.received_at).collect();
    let priorities: Vec<i32> = first
        .iter()
        .map(|(d, _, _)| Priority::of_event(&d.event) as i32)
        .collect();
    let owners: Vec<Option<&str>> = first
        .iter()
        .map(|(_, l, _)| l.as_ref().map(|(l, _)| l.owner.as_str()))
        .collect();
    let leases: Vec<Option<i64>> = first
        .iter()
        .map(|(_, l, _)| l.as_ref().map(|(l, _)| l.until))
        .collect();
    let inserted = sqlx::query_scalar::<_, String>(
        "WITH inserted AS (INSERT INTO deliveries (id, event, action, installation_id, repository, \
         received_at, payload, status, next_attempt_at, updated_at, priority, attempts, lease_owner, \
         lease_until) \
         SELECT id, event, action, installation_id, repository, received_at, payload, \
         CASE WHEN owner IS NULL THEN 'queued' ELSE 'processing' END, received_at, received_at, \
         priority, CASE WHEN owner IS NULL THEN 0 ELSE 1 END, owner, lease_until \
         FROM UNNEST($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::bigint[], \
         $7::text[], $8::int[], $9::text[], $10::bigint[]) \
         AS t(id, event, action, installation_id, repository, received_at, payload, priority, owner, lease_until) \
         ON CONFLICT (id) DO NOTHING RETURNING id, lease_owner, received_at), \
         started AS (INSERT INTO delivery_attempts (delivery_id, attempt, worker, started_at) \
         SELECT id, 1, lease_owner, received_at FROM inserted WHERE lease_owner IS NOT NULL) \
         SELECT id FROM inserted",
    )
    .bind(&ids)
    .bind(&events)
    .bind(&actions)
    .bind(&installations)
    .bind(&repositories)
    .bind(&received)
    .bind(&payloads)
    .bind(&priorities)
    .bind(&owners)
    .bind(&leases)
    .fetch_all(pool)
    .await;
    match inserted {
        Ok(new) => {
            let new: HashSet<String> = new.into_iter().collect();
            for (d, lease, reply) in first {
                let answer = match lease {
                    _ if !new.contains(&d.id) => Ingested::Duplicate,
                    None => Ingested::Queued,
                    Some((lease, take)) => {
                        take(Claimed::first(d, lease.owner));
                        Ingested::Queued
                    }
                };
                let _ = reply.send(Ok(answer));
            }
            for (_, _, reply) in repeats {
                let _ = reply.send(Ok(Ingested::Duplicate));
            }
        }
        Err(e) => {
            let err = StoreError::from(e);
            tracing::error!(error = %err, "a batch of deliveries could not be committed");
            for (_, _, reply) in first.into_iter().chain(repeats) {
                let _ = reply.send(Err(err.clone()));
            }
        }
    }
}
