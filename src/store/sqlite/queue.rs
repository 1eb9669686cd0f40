//! The work queue on SQLite: claims in the writer's transaction, in the
//! order [`pick_due`] gives.

use super::SqliteStore;
use super::sql::{execute, rows};
use crate::store::queue::release;
use crate::store::sql::{Param, first_text, params};
use crate::store::{
    Claimed, Ingested, Lease, NewDelivery, Outcome, Priority, Queue, StoreError, TakeOver, pick_due,
};
use crate::time::Millis;
use async_trait::async_trait;
use rusqlite::Connection;

/// A new delivery, queued; with `?9` the owner and `?10` the end of a lease,
/// taken by that worker at once (its first attempt).
const INGEST: &str = "INSERT INTO deliveries (id, event, action, installation_id, repository, \
     received_at, payload, status, next_attempt_at, updated_at, priority, attempts, lease_owner, \
     lease_until) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, \
     CASE WHEN ?9 IS NULL THEN 'queued' ELSE 'processing' END, ?6, ?6, ?8, \
     CASE WHEN ?9 IS NULL THEN 0 ELSE 1 END, ?9, ?10) ON CONFLICT (id) DO NOTHING";

/// Inserts a delivery (leased when `lease` is given); whether it was new.
/// Bound from borrowed fields: the payload is not copied.
fn insert(conn: &Connection, d: &NewDelivery, lease: Option<&Lease>) -> Result<bool, StoreError> {
    let changed = conn.prepare_cached(INGEST)?.execute(rusqlite::params![
        d.id,
        d.event,
        d.action,
        d.installation_id,
        d.repository,
        d.received_at,
        d.payload,
        Priority::of_event(&d.event) as i64,
        lease.map(|l| l.owner.as_str()),
        lease.map(|l| l.until),
    ])?;
    Ok(changed == 1)
}

/// `$1` delivery, `$2` owner, `$3` lease, `$4` now.
const TAKE: &str = "UPDATE deliveries SET status = 'processing', attempts = attempts + 1, \
     lease_owner = $2, lease_until = $3, updated_at = $4 WHERE id = $1 \
     RETURNING id, event, action, received_at, payload, attempts, attempts - budget_start";

/// `$1` delivery, `$2` now.
const INTERRUPTED: &str = "UPDATE delivery_attempts SET outcome = 'interrupted', \
     finished_at = $2 WHERE delivery_id = $1 AND outcome IS NULL";

/// `$1` delivery, `$2` attempt, `$3` worker, `$4` now.
const STARTED: &str = "INSERT INTO delivery_attempts (delivery_id, attempt, worker, started_at) \
     VALUES ($1, $2, $3, $4)";

const FINISH: &str = "UPDATE deliveries SET status = $4, next_attempt_at = $5, last_error = $6, \
     lease_owner = NULL, lease_until = NULL, updated_at = $7, budget_start = budget_start + $8 \
     WHERE id = $1 AND status = 'processing' AND lease_owner = $2 AND attempts = $3";

const FINISH_ATTEMPT: &str = "UPDATE delivery_attempts SET outcome = $3, error = $4, \
     finished_at = $5 WHERE delivery_id = $1 AND attempt = $2";

/// The ids of deliveries due now, in the order [`pick_due`] gives: expired
/// leases, then queued, failed and waiting ones by priority, oldest first.
fn due_ids(conn: &Connection, now: Millis, limit: usize) -> Result<Vec<String>, StoreError> {
    let limit_param = i64::try_from(limit).unwrap_or(i64::MAX);
    let waiting = |priority: Priority| -> Result<Vec<String>, StoreError> {
        let mut all = Vec::new();
        for status in ["queued", "failed", "waiting"] {
            let sql = format!(
                "SELECT id FROM deliveries WHERE status = '{status}' AND priority = $3 \
                 AND next_attempt_at <= $1 ORDER BY next_attempt_at LIMIT $2"
            );
            let params = params![now, limit_param, priority as i64];
            all.extend(rows(conn, &sql, params, first_text)?);
        }
        Ok(all)
    };
    let expired = rows(
        conn,
        "SELECT id FROM deliveries WHERE status = 'processing' AND lease_until < $1 LIMIT $2",
        params![now, limit_param],
        first_text,
    )?;
    Ok(pick_due(
        expired,
        waiting(Priority::Now)?,
        waiting(Priority::Background)?,
        limit,
    ))
}

/// Runs `sql` once for each of `ids`, with the id as `$1` and `rest` after it.
fn each_id(
    conn: &Connection,
    sql: &str,
    ids: &[String],
    rest: &[Param],
) -> Result<u64, StoreError> {
    let mut n = 0;
    for id in ids {
        let params = std::iter::once(Param::from(id)).chain(rest.iter().cloned());
        n += execute(conn, sql, params.collect())?;
    }
    Ok(n)
}

#[async_trait]
impl Queue for SqliteStore {
    async fn ingest(&self, d: NewDelivery) -> Result<Ingested, StoreError> {
        let new = self
            .write_statement(move |conn| insert(conn, &d, None))
            .await?;
        Ok(if new {
            Ingested::Queued
        } else {
            Ingested::Duplicate
        })
    }

    fn leases_at_ingest(&self) -> bool {
        true
    }

    async fn ingest_claimed(
        &self,
        d: NewDelivery,
        lease: &Lease,
        take: TakeOver,
    ) -> Result<Ingested, StoreError> {
        let lease = lease.clone();
        let stored = move |conn: &Connection| {
            if !insert(conn, &d, Some(&lease))? {
                return Ok(None);
            }
            execute(
                conn,
                STARTED,
                params![&d.id, 1_i64, &lease.owner, d.received_at],
            )?;
            Ok(Some(Claimed::first(d, lease.owner)))
        };
        let taken = move |claimed: Option<Claimed>| match claimed {
            Some(claimed) => {
                take(claimed);
                Ingested::Queued
            }
            None => Ingested::Duplicate,
        };
        self.write_then(stored, taken).await
    }

    async fn claim(
        &self,
        owner: &str,
        limit: usize,
        now: Millis,
        lease_ms: i64,
    ) -> Result<Vec<Claimed>, StoreError> {
        let owner = owner.to_string();
        self.write(move |conn| {
            let mut claimed = Vec::new();
            for id in due_ids(conn, now, limit)? {
                let params = params![&id, &owner, now + lease_ms, now];
                for c in rows(conn, TAKE, params, |r| Claimed::from_row(r, ""))? {
                    let c = Claimed {
                        owner: owner.clone(),
                        ..c
                    };
                    execute(conn, INTERRUPTED, params![&c.id, now])?;
                    let attempt = i64::from(c.attempt);
                    execute(conn, STARTED, params![&c.id, attempt, &c.owner, now])?;
                    claimed.push(c);
                }
            }
            Ok(claimed)
        })
        .await
    }

    async fn finish(&self, c: &Claimed, outcome: Outcome, now: Millis) -> Result<bool, StoreError> {
        let (id, owner, attempt) = (c.id.clone(), c.owner.clone(), i64::from(c.attempt));
        self.write(move |conn| {
            let refund = i64::from(outcome.refund());
            let (status, next, error) = outcome.into_row(now);
            let status = status.as_str();
            let params = params![&id, &owner, attempt, status, next, &error, now, refund];
            if execute(conn, FINISH, params)? == 0 {
                return Ok(false);
            }
            execute(
                conn,
                FINISH_ATTEMPT,
                params![&id, attempt, status, error, now],
            )?;
            Ok(true)
        })
        .await
    }

    async fn release(&self, owner: Option<&str>, now: Millis) -> Result<u64, StoreError> {
        release(self, owner, now).await
    }

    async fn wake(&self, ids: &[String], now: Millis) -> Result<u64, StoreError> {
        let ids = ids.to_vec();
        self.write(move |conn| {
            each_id(
                conn,
                "UPDATE deliveries SET next_attempt_at = $2 \
                 WHERE id = $1 AND status = 'waiting' AND next_attempt_at > $2",
                &ids,
                &[Param::Int(now)],
            )
        })
        .await
    }

    async fn extend_leases(
        &self,
        owner: &str,
        ids: &[String],
        until: Millis,
    ) -> Result<u64, StoreError> {
        let (rest, ids) = (params![owner, until], ids.to_vec());
        self.write(move |conn| {
            each_id(
                conn,
                "UPDATE deliveries SET lease_until = $3 \
                 WHERE id = $1 AND status = 'processing' AND lease_owner = $2",
                &ids,
                &rest,
            )
        })
        .await
    }
}
