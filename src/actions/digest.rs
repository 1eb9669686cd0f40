//! Digests: at each scheduled time, one Slack message per digest channel
//! that sums up the sightings the channel was told about (or would have
//! been, but for the throttle) since the previous one. One instance sends
//! each digest: a lock, a checkpoint per channel, and the action ledger.

use super::Actions;
use crate::notify::{Digest, SlackError, digest};
use crate::pipeline::ProcessError;
use crate::store::ActionState;
use crate::time::Millis;

/// How long one instance may hold the right to send digests.
const LOCK_MS: i64 = 5 * 60 * 1000;

/// Sends the digests that are due at `now`. Returns how many were sent.
pub async fn run_digests(actions: &Actions, owner: &str, now: Millis) -> Result<usize, ProcessError> {
    let Some(schedule) = actions.rules.digest.as_ref() else {
        return Ok(0);
    };
    let store = &actions.store;
    let due = schedule.latest_at_or_before(now);
    let mut pending = Vec::new();
    for channel in &schedule.channels {
        let name = format!("digest:{channel}");
        match store.checkpoint(&name).await.map_err(super::store_error)? {
            Some(last) if last >= due => {}
            // The first run: start counting from the latest scheduled time.
            None => store
                .set_checkpoint(&name, due, now)
                .await
                .map_err(super::store_error)?,
            Some(last) => pending.push((channel.clone(), name, last)),
        }
    }
    if pending.is_empty() {
        return Ok(0);
    }
    if !store
        .try_lock("digest", owner, now + LOCK_MS, now)
        .await
        .map_err(super::store_error)?
    {
        return Ok(0);
    }
    let mut sent = 0;
    let mut result = Ok(());
    for (channel, checkpoint, last) in pending {
        let from = last.max(schedule.previous(due));
        match send_one(actions, &channel, from, due).await {
            Ok(true) => sent += 1,
            Ok(false) => {}
            Err(e) => {
                result = Err(e);
                continue;
            }
        }
        if let Err(e) = store.set_checkpoint(&checkpoint, due, now).await {
            result = Err(super::store_error(e));
        }
    }
    let _ = store.unlock("digest", owner).await;
    result.map(|()| sent)
}

/// Sends the digest of `channel` for `[from, to)` unless the ledger says it
/// went out already. `false` when there was nothing to tell.
async fn send_one(actions: &Actions, channel: &str, from: Millis, to: Millis) -> Result<bool, ProcessError> {
    let ledger_id = format!("digest:{channel}:{to}");
    let key = format!("notify:{channel}");
    let ledger = actions.store.actions(&ledger_id).await.map_err(super::store_error)?;
    if ledger.get(&key).is_some_and(|r| r.state.settled()) {
        return Ok(false);
    }
    let sightings = actions
        .store
        .channel_sightings(channel, from, to)
        .await
        .map_err(super::store_error)?;
    if sightings.is_empty() {
        tracing::info!(channel, "nothing to put in the digest");
        return Ok(false);
    }
    let timezone = actions
        .rules
        .digest
        .as_ref()
        .map(|d| d.timezone.clone())
        .unwrap_or_else(|| "UTC".to_string());
    let summary = Digest::from_sightings(channel.to_string(), from, to, timezone, &sightings);
    let destination = actions.destination(channel)?;
    actions.record(&ledger_id, &key, ActionState::Started, None).await?;
    actions
        .slack
        .post(destination, &digest(&summary))
        .await
        .map_err(|e| match e {
            SlackError::Transient { message, .. } => ProcessError::Transient(message),
            SlackError::Permanent(message) => ProcessError::Permanent(message),
        })?;
    let detail = format!("{} sightings of {} groups", sightings.len(), summary.accounts.len());
    tracing::info!(channel, detail = %detail, "sent the digest");
    actions.record(&ledger_id, &key, ActionState::Done, Some(detail)).await?;
    Ok(true)
}
