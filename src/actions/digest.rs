//! The digest: at each scheduled time, one Slack message per digest channel
//! that sums up the sightings the channel was told about (or would have
//! been, but for the throttle) since the previous digest. Scheduled,
//! locked, checkpointed and ledgered by [`super::scheduled`].

use super::Actions;
use super::scheduled::{DIGEST, build_and_send, post_once};
use crate::failure::ProcessError;
use crate::notify::{Digest, digest};
use crate::time::Millis;

/// `orgradar digest`: the digest of every digest channel from the last one
/// up to `now`; sent (and counted as sent) unless `dry_run`.
pub async fn digest_now(
    actions: &Actions,
    owner: &str,
    now: Millis,
    dry_run: bool,
) -> Result<Vec<Digest>, ProcessError> {
    let schedule = actions.rules.digest.as_ref();
    build_and_send(actions, owner, now, dry_run, schedule, DIGEST, build, send).await
}

pub(super) async fn build(
    actions: &Actions,
    channel: &str,
    from: Millis,
    to: Millis,
) -> Result<Digest, ProcessError> {
    let sightings = actions.store.channel_sightings(channel, from, to).await?;
    let timezone = actions
        .rules
        .digest
        .as_ref()
        .map(|d| d.schedule.zone_name().to_string())
        .unwrap_or_else(|| "UTC".to_string());
    Ok(Digest::from_sightings(
        channel.to_string(),
        from,
        to,
        timezone,
        &sightings,
    ))
}

/// Sends a digest unless the ledger says it went out already, then moves
/// its channel's checkpoint to the end of its period.
/// `false` when there was nothing to tell.
pub(super) async fn send(
    actions: &Actions,
    summary: &Digest,
    now: Millis,
) -> Result<bool, ProcessError> {
    let message = (!summary.accounts.is_empty()).then(|| {
        (
            digest(summary),
            format!("a digest of {} groups", summary.accounts.len()),
        )
    });
    post_once(actions, DIGEST, &summary.channel, summary.to, now, message).await
}
