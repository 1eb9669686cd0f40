//! Notifications as issues in a leads repository: one tracking issue per
//! account with a comment per sighting (`per_account: true`), or one issue
//! per sighting. The leads repository usually belongs to another
//! installation of the app than the event's repository (a private repository
//! of the team's own organization); it is found with the app's JWT and
//! written with that installation's token. Issues and comments carry a
//! hidden marker, so after a crash orgradar finds what it already wrote.

use super::Actions;
use crate::failure::ProcessError;
use crate::github::Items;
use crate::notify::{
    account_marker, delivery_marker, sighting_comment, sighting_issue, tracking_issue,
};
use crate::sighting::Sighting;
use crate::store::locked;
use crate::time::now_ms;
use std::collections::HashMap;
use std::sync::Mutex;

/// The label orgradar puts on the issues it opens in a leads repository,
/// by which it finds them again.
pub const LEADS_LABEL: &str = "orgradar";
/// How long the installation and visibility of a leads repository are reused.
const LEADS_TTL_MS: i64 = 10 * 60 * 1000;
/// How long one delivery may hold the right to create a tracking issue.
const CREATE_LOCK_MS: i64 = 60 * 1000;

/// The installations of the leads repositories, looked up once in a while.
#[derive(Default)]
pub struct LeadsRepos(Mutex<HashMap<String, (u64, i64)>>);

impl LeadsRepos {
    /// The installation that can write to `repo`, which must be private.
    pub(super) async fn installation(
        &self,
        github: &dyn Items,
        repo: &str,
    ) -> Result<u64, ProcessError> {
        let now = now_ms();
        if let Some((id, at)) = self.0.lock().ok().and_then(|m| m.get(repo).copied())
            && now - at < LEADS_TTL_MS
        {
            return Ok(id);
        }
        let id = writable(github, repo).await?;
        if let Ok(mut m) = self.0.lock() {
            m.insert(repo.to_string(), (id, now));
        }
        Ok(id)
    }
}

/// The installation that can write to `repo`, if the app is installed there
/// and the repository is private.
async fn writable(github: &dyn Items, repo: &str) -> Result<u64, ProcessError> {
    let id = find_installation(github, repo).await?;
    let info = github
        .repository(id, repo)
        .await
        .map_err(|e| ProcessError::github(format!("reading {repo}"), e))?;
    if !info.private {
        return Err(ProcessError::Refused(format!(
            "the leads repository {repo} is public, and tracking issues hold personal data (who works where, and why orgradar thinks so); make {repo} private, or name a private repository in channels:"
        )));
    }
    Ok(id)
}

async fn find_installation(github: &dyn Items, repo: &str) -> Result<u64, ProcessError> {
    github.repo_installation(repo).await.map_err(|e| {
        if e.status() == Some(404) {
            ProcessError::Refused(not_installed(repo))
        } else {
            ProcessError::github(format!("finding the installation of {repo}"), e)
        }
    })
}

fn not_installed(repo: &str) -> String {
    format!(
        "orgradar is not installed on the leads repository {repo}; install the app on it (the organization's Settings → GitHub Apps → orgradar → Repository access), or change the repo of the github_issue channel in app.yml"
    )
}

/// For `orgradar check` and the start-up log: whether the app can write to
/// each leads repository. Returns one line per problem.
pub async fn check_leads(github: &dyn Items, repos: &[String]) -> Vec<String> {
    let mut problems = Vec::new();
    for repo in repos {
        if let Err(e) = writable(github, repo).await {
            problems.push(e.to_string());
        }
    }
    problems
}

/// Writes the sighting to `repo`; `retry` when an earlier attempt may have
/// written it already. Returns what was written, for the ledger.
pub(super) async fn write(
    actions: &Actions,
    github: &dyn Items,
    repo: &str,
    per_account: bool,
    sighting: &Sighting,
    retry: bool,
) -> Result<String, ProcessError> {
    let installation = actions.leads.installation(github, repo).await?;
    let marker = delivery_marker(&sighting.delivery_id);
    if !per_account {
        if retry && let Some(issue) = find_issue(github, installation, repo, &marker).await? {
            return Ok(format!("{repo}#{issue}"));
        }
        let (title, body) = sighting_issue(sighting, &actions.rules.intent);
        let issue = github
            .create_issue(installation, repo, &title, &body, &[LEADS_LABEL])
            .await
            .map_err(|e| ProcessError::github(format!("opening an issue in {repo}"), e))?;
        return Ok(format!("{repo}#{}", issue.number));
    }
    let number = tracking_number(actions, github, installation, repo, sighting).await?;
    if retry && commented(github, installation, repo, number, &marker).await? {
        return Ok(format!("{repo}#{number}"));
    }
    let comment = github
        .create_comment(
            installation,
            repo,
            number,
            &sighting_comment(sighting, &actions.rules.intent),
        )
        .await
        .map_err(|e| ProcessError::github(format!("commenting on {repo}#{number}"), e))?;
    Ok(format!("{repo}#{number} comment {}", comment.id))
}

/// Whether a comment on `repo#number` holds `marker` (an earlier attempt
/// wrote it before a crash).
pub(super) async fn commented(
    github: &dyn Items,
    installation: u64,
    repo: &str,
    number: u64,
    marker: &str,
) -> Result<bool, ProcessError> {
    let comments = github
        .comments(installation, repo, number)
        .await
        .map_err(|e| ProcessError::github(format!("reading {repo}#{number}"), e))?;
    Ok(comments
        .iter()
        .any(|c| c.body.as_deref().is_some_and(|b| b.contains(marker))))
}

/// The number of the group's tracking issue: remembered, found by its
/// marker, or opened now. One delivery at a time may open it.
async fn tracking_number(
    actions: &Actions,
    github: &dyn Items,
    installation: u64,
    repo: &str,
    sighting: &Sighting,
) -> Result<u64, ProcessError> {
    let group = sighting.group_key();
    let store = &actions.store;
    if let Some(n) = store.tracking_issue(repo, &group).await? {
        return Ok(n);
    }
    let lock = format!("tracking:{}:{group}", repo.to_lowercase());
    let owner = sighting.delivery_id.as_str();
    let now = now_ms();
    let find_or_open = async {
        let marker = account_marker(&group);
        let n = match find_issue(github, installation, repo, &marker).await? {
            Some(n) => n,
            None => {
                let (title, body) = tracking_issue(sighting);
                let issue = github
                    .create_issue(installation, repo, &title, &body, &[LEADS_LABEL])
                    .await
                    .map_err(|e| {
                        ProcessError::github(format!("opening the tracking issue in {repo}"), e)
                    })?;
                tracing::info!(repository = repo, number = issue.number, group = %group, "opened a tracking issue");
                issue.number
            }
        };
        store.set_tracking_issue(repo, &group, n).await?;
        Ok(n)
    };
    locked(&**store, &lock, owner, now, CREATE_LOCK_MS, find_or_open)
        .await?
        .unwrap_or_else(|| {
            Err(ProcessError::Again(format!(
                "another delivery is opening the tracking issue of {group} in {repo}; trying again shortly"
            )))
        })
}

/// The issue of `repo` labelled by orgradar whose body holds `marker`.
pub(super) async fn find_issue(
    github: &dyn Items,
    installation: u64,
    repo: &str,
    marker: &str,
) -> Result<Option<u64>, ProcessError> {
    let issues = github
        .issues_labeled(installation, repo, LEADS_LABEL)
        .await
        .map_err(|e| ProcessError::github(format!("listing the issues of {repo}"), e))?;
    Ok(issues
        .iter()
        .find(|i| i.body.as_deref().is_some_and(|b| b.contains(marker)))
        .map(|i| i.number))
}
