//! Recovery of missed deliveries. GitHub never redelivers a failed delivery
//! by itself: orgradar lists the app's recent deliveries, finds those that
//! never succeeded and are not in its ledger, and asks GitHub to deliver them
//! again. One instance at a time; the checkpoint says how far back to look.

use crate::github::GitHub;
use crate::github::api::HookDelivery;
use crate::metrics::Metrics;
use crate::store::{Store, StoreError, locked};
use crate::time::Millis;
use std::collections::{BTreeMap, HashSet};

/// GitHub keeps delivery logs this long.
pub const WINDOW_MS: i64 = 3 * 24 * 3600 * 1000;
/// A run looks this far behind its checkpoint, so a redelivery that failed
/// again is seen and not requested once more.
const OVERLAP_MS: i64 = 3600 * 1000;
const CHECKPOINT: &str = "recovery";
const LOCK: &str = "recovery";
/// How long a recovery run may hold its lock.
const LOCK_MS: i64 = 10 * 60 * 1000;

/// What one run found and did.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub since: Millis,
    /// Delivery attempts examined.
    pub examined: usize,
    /// Deliveries (guids) with no successful attempt.
    pub failed: usize,
    /// ... of which orgradar has in its ledger anyway.
    pub already_stored: usize,
    /// ... of which were redelivered once already and failed again (left alone).
    pub failed_again: usize,
    /// (guid, event) redelivered, or that would be in a dry run.
    pub redelivered: Vec<(String, String)>,
    pub dry_run: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum RecoveryError {
    #[error(
        "another instance is recovering missed deliveries right now; try again in a few minutes"
    )]
    Busy,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    GitHub(#[from] crate::github::GitHubError),
}

/// Which deliveries to redeliver: per guid, none of its attempts succeeded,
/// it is not in the ledger, and no redelivery of it has failed already. The
/// newest attempt of each is the one to redeliver.
pub fn plan<'a>(
    attempts: &'a [HookDelivery],
    known: &HashSet<String>,
) -> (Vec<&'a HookDelivery>, Report) {
    let mut by_guid: BTreeMap<&str, Vec<&HookDelivery>> = BTreeMap::new();
    for attempt in attempts {
        by_guid
            .entry(attempt.guid.as_str())
            .or_default()
            .push(attempt);
    }
    let mut report = Report {
        examined: attempts.len(),
        ..Report::default()
    };
    let mut chosen = Vec::new();
    for (guid, tries) in by_guid {
        if tries.iter().any(|t| t.succeeded()) {
            continue;
        }
        report.failed += 1;
        if known.contains(guid) {
            report.already_stored += 1;
        } else if tries.iter().any(|t| t.redelivery) {
            report.failed_again += 1;
        } else if let Some(newest) = tries.iter().max_by_key(|t| t.id) {
            report
                .redelivered
                .push((guid.to_string(), event_name(newest)));
            chosen.push(*newest);
        }
    }
    (chosen, report)
}

fn event_name(d: &HookDelivery) -> String {
    match &d.action {
        Some(action) => format!("{}.{action}", d.event),
        None => d.event.clone(),
    }
}

/// One recovery run. `since` overrides the checkpoint; both are clamped to
/// GitHub's three-day window.
pub async fn run(
    github: &GitHub,
    store: &dyn Store,
    metrics: Option<&Metrics>,
    owner: &str,
    since: Option<Millis>,
    dry_run: bool,
    now: Millis,
) -> Result<Report, RecoveryError> {
    let work = run_locked(github, store, metrics, since, dry_run, now);
    locked(store, LOCK, owner, now, LOCK_MS, work)
        .await?
        .unwrap_or(Err(RecoveryError::Busy))
}

async fn run_locked(
    github: &GitHub,
    store: &dyn Store,
    metrics: Option<&Metrics>,
    since: Option<Millis>,
    dry_run: bool,
    now: Millis,
) -> Result<Report, RecoveryError> {
    let since = match since {
        Some(since) => since,
        None => store
            .checkpoint(CHECKPOINT)
            .await?
            .map_or(now - WINDOW_MS, |c| c - OVERLAP_MS),
    }
    .max(now - WINDOW_MS);
    let attempts = github.hook_deliveries_since(since).await?;
    let failed_guids: Vec<String> = {
        let mut ok = HashSet::new();
        for a in attempts.iter().filter(|a| a.succeeded()) {
            ok.insert(a.guid.clone());
        }
        let mut guids: Vec<String> = attempts
            .iter()
            .filter(|a| !ok.contains(&a.guid))
            .map(|a| a.guid.clone())
            .collect();
        guids.sort();
        guids.dedup();
        guids
    };
    let known = store.known(&failed_guids).await?;
    let (chosen, mut report) = plan(&attempts, &known);
    report.since = since;
    report.dry_run = dry_run;
    if !dry_run {
        for delivery in chosen {
            github.redeliver(delivery.id).await?;
            tracing::info!(delivery = %delivery.guid, event = %delivery.event, "asked GitHub to redeliver a missed delivery");
            if let Some(m) = metrics {
                m.recovered.inc();
            }
        }
        store.set_checkpoint(CHECKPOINT, now, now).await?;
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attempt(id: u64, guid: &str, status_code: u16, redelivery: bool) -> HookDelivery {
        HookDelivery {
            id,
            guid: guid.into(),
            delivered_at: "2026-11-28T10:00:00Z".into(),
            redelivery,
            status_code,
            status: String::new(),
            event: "issues".into(),
            action: Some("opened".into()),
        }
    }

    #[test]
    fn only_never_delivered_unknown_deliveries_are_redelivered_once() {
        let attempts = vec![
            attempt(1, "lost", 503, false),
            attempt(2, "lost", 0, false),
            attempt(3, "recovered", 503, false),
            attempt(4, "recovered", 202, true),
            attempt(5, "stored", 503, false),
            attempt(6, "hopeless", 400, false),
            attempt(7, "hopeless", 400, true),
            attempt(8, "fine", 200, false),
        ];
        let known: HashSet<String> = ["stored".to_string()].into();
        let (chosen, report) = plan(&attempts, &known);
        assert_eq!(chosen.iter().map(|d| d.id).collect::<Vec<_>>(), vec![2]);
        assert_eq!(report.failed, 3);
        assert_eq!(report.already_stored, 1);
        assert_eq!(report.failed_again, 1);
        assert_eq!(
            report.redelivered,
            vec![("lost".to_string(), "issues.opened".to_string())]
        );
    }
}
