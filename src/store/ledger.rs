//! The action ledger: what orgradar did for each delivery, the throttle
//! slots of notices, and the tracking issue of each group. Unique keys make
//! every write safe to repeat, and throttle slots are taken atomically, so
//! several instances never notify a group twice in one window.

use super::StoreError;
use super::sql::{Sql, first_int, params};
use crate::time::Millis;
use async_trait::async_trait;
use std::collections::HashMap;
use std::fmt;

/// Where an action stands in the ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionState {
    /// About to be made; if the process died here, it may or may not have happened.
    Started,
    Done,
    /// Not sent: the group was notified on this channel within the throttle window.
    Throttled,
    /// Not made, on purpose (privacy, shadow mode); `detail` says why.
    Withheld,
}

impl ActionState {
    pub fn as_str(self) -> &'static str {
        match self {
            ActionState::Started => "started",
            ActionState::Done => "done",
            ActionState::Throttled => "throttled",
            ActionState::Withheld => "withheld",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [
            ActionState::Started,
            ActionState::Done,
            ActionState::Throttled,
            ActionState::Withheld,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }

    /// A state read from the `actions` table: one this orgradar does not
    /// know is an error.
    pub(crate) fn from_db(text: String) -> Result<Self, StoreError> {
        ActionState::parse(&text).ok_or(StoreError::UnknownValue {
            table: "actions",
            column: "state",
            value: text,
        })
    }

    /// Settled: nothing more to do for this action.
    pub fn settled(self) -> bool {
        !matches!(self, ActionState::Started)
    }
}

impl fmt::Display for ActionState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One ledger row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionRecord {
    pub state: ActionState,
    pub detail: Option<String>,
}

#[async_trait]
pub trait Ledger: Send + Sync {
    /// The ledger rows of a delivery, by action key.
    async fn actions(&self, delivery_id: &str)
    -> Result<HashMap<String, ActionRecord>, StoreError>;

    async fn record_action(
        &self,
        delivery_id: &str,
        action: &str,
        record: ActionRecord,
        now: Millis,
    ) -> Result<(), StoreError>;

    /// Takes the throttle slot of `group_key` on `channel` for `delivery_id`
    /// until `until`: `true` when nobody else holds it now (or this delivery
    /// already does, on a retry).
    async fn take_throttle(
        &self,
        channel: &str,
        group_key: &str,
        delivery_id: &str,
        until: Millis,
        now: Millis,
    ) -> Result<bool, StoreError>;

    /// Gives back a slot taken by `delivery_id` whose message could not be sent.
    async fn give_back_throttle(
        &self,
        channel: &str,
        group_key: &str,
        delivery_id: &str,
    ) -> Result<(), StoreError>;

    /// The number of the tracking issue of `group_key` in `repository`.
    async fn tracking_issue(
        &self,
        repository: &str,
        group_key: &str,
    ) -> Result<Option<u64>, StoreError>;

    async fn set_tracking_issue(
        &self,
        repository: &str,
        group_key: &str,
        number: u64,
    ) -> Result<(), StoreError>;
}

#[async_trait]
impl<S: Sql> Ledger for S {
    async fn actions(
        &self,
        delivery_id: &str,
    ) -> Result<HashMap<String, ActionRecord>, StoreError> {
        let rows = self
            .rows(
                "SELECT action, state, detail FROM actions WHERE delivery_id = $1".to_string(),
                params![delivery_id],
                |r| {
                    let record = ActionRecord {
                        state: ActionState::from_db(r.text(1)?)?,
                        detail: r.opt_text(2)?,
                    };
                    Ok((r.text(0)?, record))
                },
            )
            .await?;
        Ok(rows.into_iter().collect())
    }

    async fn record_action(
        &self,
        delivery_id: &str,
        action: &str,
        record: ActionRecord,
        now: Millis,
    ) -> Result<(), StoreError> {
        self.execute(
            "INSERT INTO actions (delivery_id, action, state, detail, updated_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (delivery_id, action) DO UPDATE \
             SET state = excluded.state, detail = excluded.detail, updated_at = excluded.updated_at",
            params![delivery_id, action, record.state.as_str(), record.detail, now],
        )
        .await
        .map(drop)
    }

    async fn take_throttle(
        &self,
        channel: &str,
        group_key: &str,
        delivery_id: &str,
        until: Millis,
        now: Millis,
    ) -> Result<bool, StoreError> {
        let taken = self
            .execute(
                "INSERT INTO throttle (channel, group_key, delivery_id, until) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT (channel, group_key) DO UPDATE \
                 SET delivery_id = excluded.delivery_id, until = excluded.until \
                 WHERE throttle.until <= $5 OR throttle.delivery_id = excluded.delivery_id",
                params![channel, group_key, delivery_id, until, now],
            )
            .await?;
        Ok(taken == 1)
    }

    async fn give_back_throttle(
        &self,
        channel: &str,
        group_key: &str,
        delivery_id: &str,
    ) -> Result<(), StoreError> {
        self.execute(
            "DELETE FROM throttle WHERE channel = $1 AND group_key = $2 AND delivery_id = $3",
            params![channel, group_key, delivery_id],
        )
        .await
        .map(drop)
    }

    async fn tracking_issue(
        &self,
        repository: &str,
        group_key: &str,
    ) -> Result<Option<u64>, StoreError> {
        let n = self
            .row(
                "SELECT number FROM tracking_issues WHERE repository = $1 AND group_key = $2",
                params![repository.to_lowercase(), group_key],
                first_int,
            )
            .await?;
        Ok(n.and_then(|n| u64::try_from(n).ok()))
    }

    async fn set_tracking_issue(
        &self,
        repository: &str,
        group_key: &str,
        number: u64,
    ) -> Result<(), StoreError> {
        self.execute(
            "INSERT INTO tracking_issues (repository, group_key, number) VALUES ($1, $2, $3) \
             ON CONFLICT (repository, group_key) DO UPDATE SET number = excluded.number",
            params![
                repository.to_lowercase(),
                group_key,
                i64::try_from(number).unwrap_or(i64::MAX)
            ],
        )
        .await
        .map(drop)
    }
}
