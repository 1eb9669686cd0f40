//! The action ledger and the sightings: what orgradar did for each delivery,
//! and whom it saw. Part of every [`Store`](super::Store).

use super::StoreError;
use crate::sighting::Sighting;
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

/// What a retention purge removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Purged {
    pub sightings: u64,
    pub actions: u64,
    pub deliveries: u64,
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

    /// Stores a sighting and the channels it was for; a second call for the
    /// same delivery changes nothing.
    async fn record_sighting(
        &self,
        sighting: &Sighting,
        channels: &[String],
    ) -> Result<(), StoreError>;

    /// Whether no sighting of `group_key` came before the one at `at` of
    /// `delivery_id`.
    async fn first_sighting(
        &self,
        group_key: &str,
        at: Millis,
        delivery_id: &str,
    ) -> Result<bool, StoreError>;

    /// The sightings for `channel` in `[from, to)`, oldest first.
    async fn channel_sightings(
        &self,
        channel: &str,
        from: Millis,
        to: Millis,
    ) -> Result<Vec<Sighting>, StoreError>;

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

    /// Deletes sightings, ledger rows and finished deliveries older than `before`.
    async fn purge(&self, before: Millis) -> Result<Purged, StoreError>;
}

/// The stored form of a sighting's JSON; a row that no longer parses is skipped.
pub(super) fn parse_sighting(data: &str) -> Option<Sighting> {
    serde_json::from_str(data).ok()
}
