//! Retention: deleting what is older than the retention period, and
//! counting the rollups of the day it cuts through again.

use super::StoreError;
use super::insights::{DAY, rollups::PURGE_ROLLUPS};
use super::sql::{Param, Sql, Step, parameters};
use super::topics::PURGE_TOPICS;
use crate::time::Millis;
use async_trait::async_trait;

/// What a retention purge removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Purged {
    pub sightings: u64,
    pub actions: u64,
    pub deliveries: u64,
}

#[async_trait]
pub trait Retention: Send + Sync {
    /// Deletes sightings, ledger rows and finished deliveries older than `before`.
    async fn purge(&self, before: Millis) -> Result<Purged, StoreError>;
}

/// The statements of a purge, all taking `$1` the cut: channels and topics
/// first, then the sightings (their count is the step [`SIGHTINGS`]), the
/// ledger ([`ACTIONS`]), throttle slots, finished deliveries
/// ([`DELIVERIES`]) and where people were seen, when last seen before the cut.
const PURGE: [&str; 7] = [
    "DELETE FROM sighting_channels WHERE at < $1",
    PURGE_TOPICS,
    "DELETE FROM sightings WHERE at < $1",
    "DELETE FROM actions WHERE updated_at < $1",
    "DELETE FROM throttle WHERE until < $1",
    "DELETE FROM deliveries WHERE status IN ('done', 'dead') AND updated_at < $1",
    "DELETE FROM tenures WHERE last_at < $1",
];
const SIGHTINGS: usize = 2;
const ACTIONS: usize = 3;
const DELIVERIES: usize = 5;

/// Every statement of a purge before `before`, in order: [`PURGE`], then
/// the rollups of the days before the cut go and its day is counted again.
fn steps(before: Millis) -> Vec<Step> {
    let day = before.div_euclid(DAY);
    let bounds = [before, day * DAY, (day + 1) * DAY, day];
    let rollups = PURGE_ROLLUPS.into_iter().map(|sql| {
        let params = bounds.into_iter().take(parameters(sql)).map(Param::Int);
        Step::new(sql, params.collect())
    });
    PURGE
        .into_iter()
        .map(|sql| Step::new(sql, vec![Param::Int(before)]))
        .chain(rollups)
        .collect()
}

#[async_trait]
impl<S: Sql> Retention for S {
    async fn purge(&self, before: Millis) -> Result<Purged, StoreError> {
        let changed = self.transaction(steps(before)).await?;
        let n = |i: usize| changed.get(i).copied().unwrap_or(0);
        Ok(Purged {
            sightings: n(SIGHTINGS),
            actions: n(ACTIONS),
            deliveries: n(DELIVERIES),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_purge_step_gets_the_parameters_it_names() {
        for step in steps(3 * DAY + 5) {
            assert_eq!(parameters(step.sql), step.params.len(), "{}", step.sql);
        }
        assert!(PURGE[SIGHTINGS].contains("FROM sightings"));
        assert!(PURGE[ACTIONS].contains("FROM actions"));
        assert!(PURGE[DELIVERIES].contains("FROM deliveries"));
    }
}
