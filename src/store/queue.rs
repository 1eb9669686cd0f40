//! The work queue: deliveries go in at ingress, workers lease them, and
//! each attempt ends in an outcome.

use super::sql::{Row, Sql, Step, params};
use super::{Status, StoreError};
use crate::time::Millis;
use async_trait::async_trait;

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

/// A worker's lease on a delivery it takes at ingest: its owner and until when.
#[derive(Debug, Clone)]
pub struct Lease {
    pub owner: String,
    pub until: Millis,
}

/// Where a delivery leased at ingest goes once it is stored: its worker.
pub type TakeOver = Box<dyn FnOnce(Claimed) + Send + Sync>;

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

impl Claimed {
    /// A delivery taken by `owner` as it is stored: its first attempt.
    pub(crate) fn first(d: NewDelivery, owner: String) -> Claimed {
        Claimed {
            id: d.id,
            event: d.event,
            action: d.action,
            received_at: d.received_at,
            payload: d.payload,
            attempt: 1,
            budget_used: 1,
            owner,
        }
    }

    /// A claimed row: id, event, action, received_at, payload, attempts and
    /// the budget used, in that order (the owner is the claimer's).
    pub(crate) fn from_row(r: &dyn Row, owner: &str) -> Result<Claimed, StoreError> {
        Ok(Claimed {
            id: r.text(0)?,
            event: r.text(1)?,
            action: r.opt_text(2)?,
            received_at: r.int(3)?,
            payload: r.text(4)?,
            attempt: r.small(5)?,
            budget_used: r.small(6)?,
            owner: owner.to_string(),
        })
    }
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

/// Hands back every lease held by `$1` (or by anyone when NULL) at `$2`:
/// first the attempts end as interrupted, then the deliveries are queued.
const RELEASE: [&str; 2] = [
    "UPDATE delivery_attempts SET outcome = 'interrupted', finished_at = $2 \
     WHERE outcome IS NULL AND (delivery_id, attempt) IN \
     (SELECT id, attempts FROM deliveries WHERE status = 'processing' \
      AND (CAST($1 AS TEXT) IS NULL OR lease_owner = $1))",
    "UPDATE deliveries SET status = 'queued', lease_owner = NULL, lease_until = NULL, \
     next_attempt_at = $2, updated_at = $2 \
     WHERE status = 'processing' AND (CAST($1 AS TEXT) IS NULL OR lease_owner = $1)",
];

/// [`Queue::release`], the same on both stores.
pub(crate) async fn release(
    sql: &impl Sql,
    owner: Option<&str>,
    now: Millis,
) -> Result<u64, StoreError> {
    let steps = RELEASE.map(|statement| Step::new(statement, params![owner, now]));
    let changed = sql.transaction(steps.to_vec()).await?;
    Ok(changed.get(1).copied().unwrap_or(0))
}

/// The work queue.
#[async_trait]
pub trait Queue: Send + Sync {
    /// Commits a delivery durably, or reports it as a duplicate.
    async fn ingest(&self, delivery: NewDelivery) -> Result<Ingested, StoreError>;

    /// Whether the ingress should store deliveries leased to this instance's
    /// worker ([`Self::ingest_claimed`]) when it has a free slot. On SQLite
    /// it saves the claim; on PostgreSQL it measured slower (more work in
    /// the durable ingest transaction), so there the worker claims.
    fn leases_at_ingest(&self) -> bool {
        false
    }

    /// [`Self::ingest`], with the delivery leased to `lease.owner` in the same
    /// write (`processing`, its first attempt started at its arrival), and
    /// given to `take` once that write has committed, so the worker takes it
    /// without a claim. `take` is called even when the caller has stopped
    /// waiting (the request was cut), so a leased delivery is never left behind.
    async fn ingest_claimed(
        &self,
        delivery: NewDelivery,
        lease: &Lease,
        take: TakeOver,
    ) -> Result<Ingested, StoreError>;

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
