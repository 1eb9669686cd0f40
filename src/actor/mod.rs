//! Who the actor is: their GitHub profile, public organizations and (for the
//! organization that installed the app) membership, fetched in batches of
//! many people per GraphQL query within GitHub's budget; a pull request adds
//! one REST call for its commit emails. What was learned is cached in the
//! store per login, without email addresses.

mod batch;
mod query;

pub use batch::{BatchSettings, Batcher, Failure};

use crate::affiliation::Profile;
use crate::github::{Auth, GitHub, GitHubError, Need};
use crate::metrics::Metrics;
use crate::store::{Store, StoreError};
use crate::time::Millis;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

/// What the cache keeps about a person: the profile as classification reads
/// it (email addresses already cut to their domains).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Facts {
    pub login: String,
    pub kind: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    pub company: Option<String>,
    pub blog: Option<String>,
    #[serde(default)]
    pub bio: Option<String>,
    pub email_domain: Option<String>,
    pub orgs: Vec<String>,
    /// Member (public or private) of the organization that installed the app.
    pub member_of_installer: bool,
    /// `false` when GitHub knows no such user (a deleted account, a bot).
    pub found: bool,
}

impl Facts {
    pub fn profile(&self) -> Profile {
        let mut profile = Profile::new(self.login.clone());
        profile.kind = self.kind.clone();
        profile.name = self.name.clone();
        profile.company = self.company.clone();
        profile.blog = self.blog.clone();
        profile.bio = self.bio.clone();
        profile.email_domain = self.email_domain.clone();
        profile.orgs = self.orgs.clone();
        profile
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ActorError {
    #[error(transparent)]
    GitHub(#[from] GitHubError),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// GitHub's budget is kept for more urgent work until `until`.
    #[error("{reason}")]
    Later { until: Millis, reason: String },
}

#[derive(Deserialize)]
struct PullCommit {
    commit: CommitInfo,
}

#[derive(Deserialize)]
struct CommitInfo {
    author: Option<Person>,
}

#[derive(Deserialize)]
struct Person {
    email: Option<String>,
}

fn millis(t: SystemTime) -> Millis {
    t.duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as Millis)
}

fn budget_wait(reset: SystemTime, what: &str) -> ActorError {
    ActorError::Later {
        until: millis(reset),
        reason: format!(
            "waiting for GitHub's API budget: {what} resumes when it refills, keeping the rest for labels, issues and comments"
        ),
    }
}

/// Looks people up, through the cache and in batches.
pub struct Actors {
    store: Arc<dyn Store>,
    /// How long cached facts are used, in milliseconds.
    cache_ms: i64,
    batcher: Arc<Batcher>,
}

impl Actors {
    pub fn new(
        store: Arc<dyn Store>,
        cache_ms: i64,
        metrics: Option<Arc<Metrics>>,
        settings: BatchSettings,
    ) -> Self {
        Self {
            batcher: Batcher::new(store.clone(), metrics, settings),
            store,
            cache_ms,
        }
    }

    /// The cached facts about `login`, if they are fresh.
    async fn cached(&self, login: &str, now: Millis) -> Result<Option<Facts>, StoreError> {
        let key = login.to_ascii_lowercase();
        Ok(self
            .store
            .actor(&key, now - self.cache_ms)
            .await?
            .and_then(|cached| serde_json::from_str::<Facts>(&cached).ok()))
    }

    /// The facts about `login`, from the cache when they are fresh, else from
    /// GitHub in the next batch (and then cached). `installer` is the
    /// organization that installed the app.
    pub async fn facts(
        &self,
        github: &Arc<GitHub>,
        installation: u64,
        login: &str,
        installer: Option<&str>,
        now: Millis,
    ) -> Result<Facts, ActorError> {
        if let Some(facts) = self.cached(login, now).await? {
            return Ok(facts);
        }
        if let Err(reset) =
            github
                .budget()
                .check(installation, "graphql", Need::Lookup, 1, SystemTime::now())
        {
            return Err(budget_wait(reset, &format!("the lookup of {login}")));
        }
        self.batcher
            .lookup(github.clone(), installation, installer.unwrap_or(""), login)
            .await
            .map_err(|failure| match failure {
                Failure::GitHub(e) => ActorError::GitHub(e),
                Failure::Budget(reset) => budget_wait(reset, &format!("the lookup of {login}")),
            })
    }

    /// The facts about a stargazer or forker, if cached; otherwise `login`
    /// joins the next batch and `delivery` waits in the store until the
    /// facts are there (or, when the budget runs low, until it refills).
    pub async fn background_facts(
        &self,
        github: &Arc<GitHub>,
        installation: u64,
        login: &str,
        installer: Option<&str>,
        delivery: &str,
        now: Millis,
    ) -> Result<Facts, ActorError> {
        if let Some(facts) = self.cached(login, now).await? {
            return Ok(facts);
        }
        let check = github.budget().check(
            installation,
            "graphql",
            Need::BackgroundLookup,
            1,
            SystemTime::now(),
        );
        if let Err(reset) = check {
            return Err(budget_wait(
                reset,
                &format!("the lookup of stargazer or forker {login}"),
            ));
        }
        self.batcher.enqueue(
            github.clone(),
            installation,
            installer.unwrap_or(""),
            login,
            delivery,
        );
        // Woken as soon as the batch is answered; this is the latest it resumes.
        let latest =
            self.batcher.settings().background_window * 3 + std::time::Duration::from_secs(10);
        Err(ActorError::Later {
            until: now + latest.as_millis() as Millis,
            reason: format!("waiting for {login} to be looked up in the next batch"),
        })
    }

    /// The domains of a pull request's commit author emails (one REST call,
    /// all pages), within the budget.
    pub async fn commit_email_domains(
        &self,
        github: &GitHub,
        installation: u64,
        repo: &str,
        number: u64,
    ) -> Result<Vec<String>, ActorError> {
        if let Err(reset) =
            github
                .budget()
                .check(installation, "core", Need::Lookup, 1, SystemTime::now())
        {
            return Err(budget_wait(reset, "reading the pull request's commits"));
        }
        commit_email_domains(github, installation, repo, number).await
    }
}

/// Looks `login` up now, in a query of its own, caching nothing: for
/// `explain` and `simulate`, which change nothing.
pub async fn look_up_now(
    github: &GitHub,
    installation: u64,
    login: &str,
    installer: Option<&str>,
) -> Result<Facts, ActorError> {
    let logins = [login.to_string()];
    let mut answers = query::look_up(github, installation, installer.unwrap_or(""), &logins).await;
    match answers.remove(&login.to_ascii_lowercase()) {
        Some(Ok(facts)) => Ok(facts),
        Some(Err(Failure::GitHub(e))) => Err(ActorError::GitHub(e)),
        Some(Err(Failure::Budget(reset))) => {
            Err(budget_wait(reset, &format!("the lookup of {login}")))
        }
        None => Ok(not_found(login)),
    }
}

/// The domains of a pull request's commit author emails (one REST call, all pages).
pub async fn commit_email_domains(
    github: &GitHub,
    installation: u64,
    repo: &str,
    number: u64,
) -> Result<Vec<String>, ActorError> {
    let commits: Vec<PullCommit> = github
        .get_all(
            Auth::Installation(installation),
            &format!("/repos/{repo}/pulls/{number}/commits"),
        )
        .await?;
    let mut profile = Profile::new("");
    for email in commits
        .iter()
        .filter_map(|c| c.commit.author.as_ref()?.email.as_deref())
    {
        profile.add_commit_email(email);
    }
    Ok(profile.commit_email_domains)
}

fn not_found(login: &str) -> Facts {
    Facts {
        login: login.to_string(),
        ..Facts::default()
    }
}
