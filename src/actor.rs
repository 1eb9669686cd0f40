//! Who the actor is: their GitHub profile, public organizations and (for the
//! organization that installed the app) membership, fetched with one GraphQL
//! query; a pull request adds one REST call for its commit emails. What was
//! learned is cached in the store per login, without email addresses.

use crate::affiliation::Profile;
use crate::github::{Auth, GitHub, GitHubError};
use crate::store::{Store, StoreError};
use crate::time::Millis;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

const QUERY: &str = "query($login: String!, $org: String!) {
  user(login: $login) {
    login company websiteUrl email __typename
    organizations(first: 100) { nodes { login } }
    organization(login: $org) { login }
  }
}";

/// What the cache keeps about a person: the profile as classification reads
/// it (email addresses already cut to their domains).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Facts {
    pub login: String,
    pub kind: Option<String>,
    pub company: Option<String>,
    pub blog: Option<String>,
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
        profile.company = self.company.clone();
        profile.blog = self.blog.clone();
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
}

#[derive(Deserialize)]
struct Data {
    user: Option<GqlUser>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct GqlUser {
    login: String,
    company: Option<String>,
    website_url: Option<String>,
    email: Option<String>,
    #[serde(rename = "__typename")]
    typename: Option<String>,
    organizations: Option<Nodes>,
    organization: Option<Login>,
}

#[derive(Deserialize)]
struct Nodes {
    nodes: Vec<Option<Login>>,
}

#[derive(Deserialize)]
struct Login {
    login: String,
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

/// Looks people up, through the cache.
pub struct Actors {
    pub store: Arc<dyn Store>,
    /// How long cached facts are used, in milliseconds.
    pub cache_ms: i64,
}

impl Actors {
    /// The facts about `login`, from the cache when they are fresh, else from
    /// GitHub (and then cached). `installer` is the organization that installed the app.
    pub async fn facts(
        &self,
        github: &GitHub,
        installation: u64,
        login: &str,
        installer: Option<&str>,
        now: Millis,
    ) -> Result<Facts, ActorError> {
        let key = login.to_ascii_lowercase();
        if let Some(cached) = self.store.actor(&key, now - self.cache_ms).await?
            && let Ok(facts) = serde_json::from_str::<Facts>(&cached)
        {
            return Ok(facts);
        }
        let variables = serde_json::json!({ "login": login, "org": installer.unwrap_or("") });
        let data: Result<Data, GitHubError> = github
            .graphql(Auth::Installation(installation), QUERY, variables)
            .await;
        let facts = match data {
            Ok(Data { user: Some(user) }) => {
                let mut profile = Profile::new(user.login.clone());
                if let Some(email) = user.email.as_deref().filter(|e| !e.is_empty()) {
                    profile.set_email(email);
                }
                Facts {
                    login: user.login,
                    kind: user.typename,
                    company: user.company.filter(|c| !c.trim().is_empty()),
                    blog: user.website_url.filter(|b| !b.trim().is_empty()),
                    email_domain: profile.email_domain,
                    orgs: user
                        .organizations
                        .map(|n| n.nodes.into_iter().flatten().map(|o| o.login).collect())
                        .unwrap_or_default(),
                    member_of_installer: user.organization.is_some(),
                    found: true,
                }
            }
            // GitHub knows no such user (deleted, or not a user at all).
            Ok(Data { user: None }) => not_found(login),
            Err(GitHubError::Decode { reason, .. }) if reason.contains("Could not resolve") => {
                not_found(login)
            }
            Err(e) => return Err(e.into()),
        };
        if let Ok(json) = serde_json::to_string(&facts) {
            self.store.cache_actor(&key, &json, now).await?;
        }
        Ok(facts)
    }

    /// The domains of a pull request's commit author emails (one REST call, all pages).
    pub async fn commit_email_domains(
        &self,
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
}

fn not_found(login: &str) -> Facts {
    Facts {
        login: login.to_string(),
        ..Facts::default()
    }
}
