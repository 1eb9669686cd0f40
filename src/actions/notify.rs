//! One notification to one channel: throttled per group and channel, then
//! sent to Slack or written to the leads repository.

use super::{ActionKey, Actions, tracking};
use crate::failure::ProcessError;
use crate::github::Items;
use crate::notify::{ShadowNote, notice};
use crate::rules::{Channel, Plan};
use crate::sighting::Sighting;
use crate::store::{ActionRecord, ActionState};

pub(super) async fn send(
    actions: &Actions,
    github: &dyn Items,
    channel: &str,
    sighting: &Sighting,
    plan: &Plan,
    previous: Option<&ActionRecord>,
) -> Result<(), ProcessError> {
    let delivery = sighting.delivery_id.as_str();
    let key = ActionKey::notify(channel);
    let group = sighting.group_key();
    let channel_config = actions.rules.channels.get(channel);
    // A tracking issue logs every sighting; only messages to people are
    // throttled. A job change is not: it is rare, about one person, and no
    // digest would carry it instead.
    let window = match channel_config {
        Some(Channel::GithubIssue(g)) if g.per_account => 0,
        _ if sighting.moved_from.is_some() => 0,
        _ => actions.rules.throttle_window_ms(),
    };
    if window > 0 {
        let taken = actions
            .store
            .take_throttle(channel, &group, delivery, sighting.at + window, sighting.at)
            .await?;
        if !taken {
            tracing::info!(channel, group = %group, "throttled: notified about this group within the window");
            let detail = format!(
                "{channel} was told about {group} within the throttle window; the sighting is kept for the digest"
            );
            return actions
                .record(delivery, &key, ActionState::Throttled, Some(detail))
                .await;
        }
    }
    let retry = previous.is_some_and(|r| r.state == ActionState::Started);
    actions
        .record(delivery, &key, ActionState::Started, None)
        .await?;
    let sent = match channel_config {
        Some(Channel::GithubIssue(g)) => {
            tracking::write(
                actions,
                github,
                &g.repo.value,
                g.per_account,
                sighting,
                retry,
            )
            .await
        }
        Some(_) => post_to_slack(actions, channel, sighting, plan).await,
        None => Err(ProcessError::Refused(format!(
            "no channel `{channel}` is defined under channels: in app.yml"
        ))),
    };
    match sent {
        Ok(detail) => {
            tracing::info!(channel, detail = %detail, "notified");
            actions
                .record(delivery, &key, ActionState::Done, Some(detail))
                .await
        }
        Err(e) => {
            if window > 0 {
                let _ = actions
                    .store
                    .give_back_throttle(channel, &group, delivery)
                    .await;
            }
            Err(e)
        }
    }
}

async fn post_to_slack(
    actions: &Actions,
    channel: &str,
    sighting: &Sighting,
    plan: &Plan,
) -> Result<String, ProcessError> {
    let destination = actions.destination(channel)?;
    let shadow = plan.shadow.then(|| ShadowNote {
        labels: plan.shadow_labels(),
        channels: plan.would_notify.clone(),
    });
    // Shadow notices carry the buttons too: shadow mode is when people judge
    // whether orgradar is right, and their answers count from then on.
    let message = notice(
        sighting,
        shadow.as_ref(),
        &actions.rules.intent,
        actions.buttons,
    );
    actions.notices.post(destination, &message).await?;
    Ok("posted to Slack".to_string())
}
