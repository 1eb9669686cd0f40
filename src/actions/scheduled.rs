//! When digests are due, and what the team digest and the product digest
//! share: one instance sends each (a lock), a checkpoint per channel, and
//! the action ledger, so a digest never goes out twice.

use super::{ActionKey, Actions};
use crate::failure::ProcessError;
use crate::notify::Message;
use crate::store::{self, ActionState};
use crate::time::Millis;

/// How long one instance may hold the right to send digests.
const LOCK_MS: i64 = 5 * 60 * 1000;

/// The kinds of digest, as their checkpoints and ledger entries name them.
pub(super) const DIGEST: &str = "digest";
pub(super) const PRODUCT_DIGEST: &str = "product-digest";

pub(super) fn checkpoint_name(kind: &str, channel: &str) -> String {
    format!("{kind}:{channel}")
}

/// The channels of `schedule` whose digest of `kind` is due at `due`, each
/// with where its period starts. A channel's first run only sets its
/// checkpoint.
pub(super) async fn pending(
    actions: &Actions,
    schedule: &crate::rules::Digest,
    kind: &str,
    due: Millis,
    now: Millis,
) -> Result<Vec<(String, Millis)>, ProcessError> {
    let store = &actions.store;
    let mut pending = Vec::new();
    for channel in &schedule.channels {
        let name = checkpoint_name(kind, channel);
        match store.checkpoint(&name).await? {
            Some(last) if last >= due => {}
            // The first run: count from the latest scheduled time on.
            None => store.set_checkpoint(&name, due, now).await?,
            Some(last) => {
                pending.push((channel.clone(), last.max(schedule.schedule.previous(due))))
            }
        }
    }
    Ok(pending)
}

/// The digests of `kind` of every channel of `schedule` from its last one up
/// to `now`, built with `build`; sent with `send` under the digest lock
/// unless `dry_run`.
#[allow(clippy::too_many_arguments)]
pub(super) async fn build_and_send<D>(
    actions: &Actions,
    owner: &str,
    now: Millis,
    dry_run: bool,
    schedule: Option<&crate::rules::Digest>,
    kind: &str,
    build: impl AsyncFn(&Actions, &str, Millis, Millis) -> Result<D, ProcessError>,
    send: impl AsyncFn(&Actions, &D, Millis) -> Result<bool, ProcessError>,
) -> Result<Vec<D>, ProcessError> {
    let mut digests = Vec::new();
    for (channel, from) in since_last(actions, schedule, kind, now).await? {
        digests.push(build(actions, &channel, from, now).await?);
    }
    if dry_run {
        return Ok(digests);
    }
    locked(actions, owner, now, async {
        for summary in &digests {
            send(actions, summary, now).await?;
        }
        Ok(())
    })
    .await?;
    Ok(digests)
}

/// Each channel of `schedule` with where its digest of `kind` up to `now`
/// starts: its last one, else the scheduled time before the latest.
async fn since_last(
    actions: &Actions,
    schedule: Option<&crate::rules::Digest>,
    kind: &str,
    now: Millis,
) -> Result<Vec<(String, Millis)>, ProcessError> {
    let Some(schedule) = schedule else {
        return Ok(Vec::new());
    };
    let latest = schedule.schedule.latest_at_or_before(now);
    let mut out = Vec::new();
    for channel in &schedule.channels {
        let from = actions
            .store
            .checkpoint(&checkpoint_name(kind, channel))
            .await?
            .unwrap_or_else(|| schedule.schedule.previous(latest));
        out.push((channel.clone(), from));
    }
    Ok(out)
}

pub(super) async fn locked<T>(
    actions: &Actions,
    owner: &str,
    now: Millis,
    work: impl Future<Output = Result<T, ProcessError>>,
) -> Result<T, ProcessError>
where
    T: Default,
{
    store::locked(&*actions.store, "digest", owner, now, LOCK_MS, work)
        .await?
        .unwrap_or_else(|| Ok(T::default()))
}

/// Posts `message` (with the `detail` the ledger keeps) for the digest of
/// `kind` to `channel` for the period ending at `to`, unless the ledger says
/// it went out already; then moves the channel's checkpoint to `to`.
/// `None`: nothing to tell. `false` when nothing was posted.
pub(super) async fn post_once(
    actions: &Actions,
    kind: &str,
    channel: &str,
    to: Millis,
    now: Millis,
    message: Option<(Message, String)>,
) -> Result<bool, ProcessError> {
    let ledger_id = format!("{kind}:{channel}:{to}");
    let key = ActionKey::notify(channel);
    let ledger = actions.store.actions(&ledger_id).await?;
    let mut sent = false;
    if !ledger
        .get(&key.to_string())
        .is_some_and(|r| r.state.settled())
    {
        match message {
            None => tracing::info!(channel, kind, "nothing to put in the digest"),
            Some((message, detail)) => {
                let destination = actions.destination(channel)?;
                actions
                    .record(&ledger_id, &key, ActionState::Started, None)
                    .await?;
                actions.notices.post(destination, &message).await?;
                tracing::info!(channel, kind, detail = %detail, "sent the digest");
                actions
                    .record(&ledger_id, &key, ActionState::Done, Some(detail))
                    .await?;
                sent = true;
            }
        }
    }
    actions
        .store
        .set_checkpoint(&checkpoint_name(kind, channel), to, now)
        .await?;
    Ok(sent)
}
