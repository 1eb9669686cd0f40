//! Labels on the issue or pull request: created on the repository with a
//! color and description when missing, then added. Adding a label that is
//! already there changes nothing on GitHub; after a crash the issue's labels
//! are read first, so a label a maintainer removed since is not put back.

use super::{ActionKey, Actions};
use crate::failure::ProcessError;
use crate::github::Items;
use crate::rules::Plan;
use crate::sighting::Sighting;
use crate::store::{ActionRecord, ActionState};
use std::collections::HashMap;

/// The color of a label `labels:` in app.yml does not describe.
const DEFAULT_COLOR: &str = "5319e7";
const DEFAULT_DESCRIPTION: &str = "Opened by someone from a target account (orgradar)";

pub(super) async fn apply(
    actions: &Actions,
    github: &dyn Items,
    installation: u64,
    sighting: &Sighting,
    plan: &Plan,
    ledger: &HashMap<String, ActionRecord>,
) -> Result<(), ProcessError> {
    let (Some(item), true) = (&sighting.item, sighting.event.labelable()) else {
        return Ok(());
    };
    let repo = sighting.repository.as_str();
    let key = ActionKey::label;
    let recorded = |label: &str| ledger.get(&key(label).to_string());
    let mut pending: Vec<&String> = plan
        .labels
        .iter()
        .filter(|l| !recorded(l).is_some_and(|r| r.state.settled()))
        .collect();
    if pending.is_empty() {
        return Ok(());
    }
    let delivery = sighting.delivery_id.as_str();
    // An earlier attempt got as far as adding these: see whether it landed.
    if pending
        .iter()
        .any(|l| recorded(l).is_some_and(|r| r.state == ActionState::Started))
    {
        let present = github
            .issue_labels(installation, repo, item.number)
            .await
            .map_err(|e| ProcessError::github("reading the labels", e))?;
        let mut landed = Vec::new();
        pending.retain(|l| {
            let there = present.iter().any(|p| p.name.eq_ignore_ascii_case(l));
            if there {
                landed.push(l.to_string());
            }
            !there
        });
        for label in landed {
            let detail = Some(format!("{repo}#{}", item.number));
            actions
                .record(delivery, &key(&label), ActionState::Done, detail)
                .await?;
        }
    }
    for label in &pending {
        ensure_label(actions, github, installation, repo, label).await?;
    }
    for label in &pending {
        actions
            .record(delivery, &key(label), ActionState::Started, None)
            .await?;
    }
    let names: Vec<String> = pending.iter().map(|l| l.to_string()).collect();
    github
        .add_labels(installation, repo, item.number, &names)
        .await
        .map_err(|e| ProcessError::github(format!("labelling {repo}#{}", item.number), e))?;
    for label in &pending {
        let detail = Some(format!("{repo}#{}", item.number));
        actions
            .record(delivery, &key(label), ActionState::Done, detail)
            .await?;
    }
    tracing::info!(repository = repo, number = item.number, labels = ?names, "labelled");
    Ok(())
}

/// Creates the label on the repository unless it exists.
async fn ensure_label(
    actions: &Actions,
    github: &dyn Items,
    installation: u64,
    repo: &str,
    name: &str,
) -> Result<(), ProcessError> {
    let known = format!("{}/{}", repo.to_lowercase(), name.to_lowercase());
    if actions
        .labels_seen
        .lock()
        .is_ok_and(|seen| seen.contains(&known))
    {
        return Ok(());
    }
    let what = || format!("creating label `{name}` on {repo}");
    if github
        .label(installation, repo, name)
        .await
        .map_err(|e| ProcessError::github(what(), e))?
        .is_some()
    {
        remember(actions, known);
        return Ok(());
    }
    let style = actions.rules.labels.get(name);
    let color = style
        .and_then(|s| s.color.as_ref().map(|c| c.value.as_str()))
        .unwrap_or(DEFAULT_COLOR);
    let description = style
        .and_then(|s| s.description.as_deref())
        .unwrap_or(DEFAULT_DESCRIPTION);
    match github
        .create_label(installation, repo, name, color, description)
        .await
    {
        // 422: created meanwhile by someone else, which is as good.
        Ok(_) => {}
        Err(e) if e.status() == Some(422) => {}
        Err(e) => return Err(ProcessError::github(what(), e)),
    }
    remember(actions, known);
    Ok(())
}

/// Labels known to exist are not looked up again by this process. Should
/// one be deleted later, adding it to an item creates it again (with
/// GitHub's default color).
fn remember(actions: &Actions, known: String) {
    if let Ok(mut seen) = actions.labels_seen.lock() {
        seen.insert(known);
    }
}
