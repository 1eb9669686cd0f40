//! Retention: sightings, ledger rows and finished deliveries older than
//! `retention` are deleted, by one instance at a time.

use crate::store::{Locks, Purged, Retention, StoreError, locked};
use crate::time::Millis;

const LOCK_MS: i64 = 10 * 60 * 1000;

/// Purges what is older than `retention_ms` before `now`; `None` when
/// another instance is doing it.
pub async fn purge(
    store: &(impl Locks + Retention + ?Sized),
    owner: &str,
    retention_ms: i64,
    now: Millis,
) -> Result<Option<Purged>, StoreError> {
    let purging = store.purge(now - retention_ms);
    let Some(purged) = locked(store, "retention", owner, now, LOCK_MS, purging).await? else {
        return Ok(None);
    };
    let purged = purged?;
    if purged != Purged::default() {
        tracing::info!(
            sightings = purged.sightings,
            actions = purged.actions,
            deliveries = purged.deliveries,
            "purged what is older than the retention period"
        );
    }
    Ok(Some(purged))
}
