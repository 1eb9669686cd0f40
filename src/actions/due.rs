//! Which digests are due, and sending them: the team digest and the
//! product digest, each on its own schedule.

use super::scheduled::{DIGEST, PRODUCT_DIGEST, locked, pending};
use super::{Actions, digest, product_digest};
use crate::failure::ProcessError;
use crate::time::Millis;

/// Sends the digests (and product digests) that are due at `now`. Returns
/// how many were sent.
pub async fn run_digests(
    actions: &Actions,
    owner: &str,
    now: Millis,
) -> Result<usize, ProcessError> {
    let rules = &actions.rules;
    let digests = send_due(
        actions,
        owner,
        now,
        rules.digest.as_ref(),
        DIGEST,
        digest::build,
        digest::send,
    );
    let mut sent = digests.await?;
    let schedule = rules.product_digest.as_ref();
    let products = send_due(
        actions,
        owner,
        now,
        schedule,
        PRODUCT_DIGEST,
        product_digest::build,
        product_digest::send,
    );
    sent += products.await?;
    Ok(sent)
}

/// Sends the digests of `kind` that `schedule` says are due at `now`,
/// built with `build` and sent with `send`, under the digest lock.
#[allow(clippy::too_many_arguments)]
async fn send_due<D>(
    actions: &Actions,
    owner: &str,
    now: Millis,
    schedule: Option<&crate::rules::Digest>,
    kind: &str,
    build: impl AsyncFn(&Actions, &str, Millis, Millis) -> Result<D, ProcessError>,
    send: impl AsyncFn(&Actions, &D, Millis) -> Result<bool, ProcessError>,
) -> Result<usize, ProcessError> {
    let Some(schedule) = schedule else {
        return Ok(0);
    };
    let due = schedule.schedule.latest_at_or_before(now);
    let pending = pending(actions, schedule, kind, due, now).await?;
    if pending.is_empty() {
        return Ok(0);
    }
    locked(actions, owner, now, async {
        let mut sent = 0;
        for (channel, from) in pending {
            let summary = build(actions, &channel, from, due).await?;
            sent += send(actions, &summary, now).await? as usize;
        }
        Ok(sent)
    })
    .await
}
