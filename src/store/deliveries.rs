//! The delivery ledger as people read it: `deliveries list/show/retry`, the
//! backlog for `/metrics`, and which deliveries are known. The same SQL on
//! both stores.

use super::StoreError;
use super::sql::{Row, Sql, first_text, params};
use crate::time::Millis;
use async_trait::async_trait;
use serde::Serialize;
use std::collections::HashSet;
use std::fmt;

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

    /// A status read from the `deliveries` table: one this orgradar does
    /// not know is an error.
    pub(crate) fn from_db(text: String) -> Result<Status, StoreError> {
        Status::parse(&text).ok_or(StoreError::UnknownValue {
            table: "deliveries",
            column: "status",
            value: text,
        })
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

impl DeliveryRow {
    fn from_row(r: &dyn Row) -> Result<DeliveryRow, StoreError> {
        Ok(DeliveryRow {
            id: r.text(0)?,
            event: r.text(1)?,
            action: r.opt_text(2)?,
            status: Status::from_db(r.text(3)?)?,
            attempts: r.small(4)?,
            received_at: r.int(5)?,
            installation_id: r.opt_int(6)?,
            repository: r.opt_text(7)?,
            next_attempt_at: r.int(8)?,
            last_error: r.opt_text(9)?,
            updated_at: r.int(10)?,
        })
    }
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

impl AttemptRow {
    fn from_row(r: &dyn Row) -> Result<AttemptRow, StoreError> {
        Ok(AttemptRow {
            attempt: r.small(0)?,
            worker: r.text(1)?,
            started_at: r.int(2)?,
            finished_at: r.opt_int(3)?,
            outcome: r.opt_text(4)?,
            error: r.opt_text(5)?,
        })
    }
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

impl Requeue {
    /// Why a delivery in `status` (if it exists) was not queued again.
    fn refused(status: Option<Status>) -> Requeue {
        match status {
            None => Requeue::NotFound,
            Some(Status::Done) => Requeue::Done,
            Some(status) => Requeue::Pending(status),
        }
    }
}

/// The ledger of deliveries, as people inspect it.
#[async_trait]
pub trait Deliveries: Send + Sync {
    async fn list(&self, filter: &ListFilter) -> Result<Vec<DeliveryRow>, StoreError>;

    async fn get(&self, id: &str) -> Result<Option<(DeliveryRow, Vec<AttemptRow>)>, StoreError>;

    /// Queues a delivery again with a fresh attempt budget.
    async fn requeue(&self, id: &str, force: bool, now: Millis) -> Result<Requeue, StoreError>;

    /// How many deliveries are in each status but `done` (which only grows).
    async fn backlog(&self) -> Result<Vec<(Status, u64)>, StoreError>;

    /// Which of `ids` are in the delivery ledger.
    async fn known(&self, ids: &[String]) -> Result<HashSet<String>, StoreError>;
}

const COLUMNS: &str = "id, event, action, status, attempts, received_at, installation_id, \
                       repository, next_attempt_at, last_error, updated_at";

/// `$1` delivery, `$2` now, `$3` 1 to requeue a done one too. Waiting, failed
/// and dead deliveries are queued again; queued and running ones are not.
const REQUEUE: &str = "UPDATE deliveries SET status = 'queued', budget_start = attempts, \
     next_attempt_at = $2, updated_at = $2 WHERE id = $1 \
     AND status NOT IN ('queued', 'processing') AND (status <> 'done' OR CAST($3 AS BIGINT) = 1)";

/// Ids asked about in one query at most.
const KNOWN_CHUNK: usize = 500;

#[async_trait]
impl<S: Sql> Deliveries for S {
    async fn list(&self, filter: &ListFilter) -> Result<Vec<DeliveryRow>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM deliveries WHERE (CAST($1 AS TEXT) IS NULL OR status = $1) \
             ORDER BY received_at DESC, id LIMIT $2"
        );
        let limit = i64::try_from(filter.limit.max(1)).unwrap_or(i64::MAX);
        let status = filter.status.map(Status::as_str);
        self.rows(sql, params![status, limit], DeliveryRow::from_row)
            .await
    }

    async fn get(&self, id: &str) -> Result<Option<(DeliveryRow, Vec<AttemptRow>)>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM deliveries WHERE id = $1");
        let Some(row) = self
            .rows(sql, params![id], DeliveryRow::from_row)
            .await?
            .into_iter()
            .next()
        else {
            return Ok(None);
        };
        let attempts = self
            .rows(
                "SELECT attempt, worker, started_at, finished_at, outcome, error \
                 FROM delivery_attempts WHERE delivery_id = $1 ORDER BY attempt"
                    .to_string(),
                params![id],
                AttemptRow::from_row,
            )
            .await?;
        Ok(Some((row, attempts)))
    }

    async fn requeue(&self, id: &str, force: bool, now: Millis) -> Result<Requeue, StoreError> {
        if self
            .execute(REQUEUE, params![id, now, i64::from(force)])
            .await?
            == 1
        {
            return Ok(Requeue::Requeued);
        }
        let status = self
            .row(
                "SELECT status FROM deliveries WHERE id = $1",
                params![id],
                first_text,
            )
            .await?;
        Ok(Requeue::refused(status.map(Status::from_db).transpose()?))
    }

    async fn backlog(&self) -> Result<Vec<(Status, u64)>, StoreError> {
        self.rows(
            "SELECT status, COUNT(*) FROM deliveries \
             WHERE status IN ('queued', 'processing', 'failed', 'dead', 'waiting') GROUP BY status"
                .to_string(),
            Vec::new(),
            |r| Ok((Status::from_db(r.text(0)?)?, r.count(1)?)),
        )
        .await
    }

    async fn known(&self, ids: &[String]) -> Result<HashSet<String>, StoreError> {
        let mut found = HashSet::new();
        for chunk in ids.chunks(KNOWN_CHUNK) {
            let list: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
            let sql = format!(
                "SELECT id FROM deliveries WHERE id IN ({})",
                list.join(", ")
            );
            let params = chunk.iter().map(|id| id.into()).collect();
            found.extend(self.rows(sql, params, first_text).await?);
        }
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_retry_says_why() {
        assert_eq!(Requeue::refused(None), Requeue::NotFound);
        assert_eq!(Requeue::refused(Some(Status::Done)), Requeue::Done);
        assert_eq!(
            Requeue::refused(Some(Status::Processing)),
            Requeue::Pending(Status::Processing)
        );
    }
}
