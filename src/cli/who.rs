//! Who a person is, for `explain` and `simulate`: from a saved profile, or
//! from GitHub now with the app's credentials. Neither writes anything: no
//! cache, no store.

use anyhow::{Context as _, Result};
use async_trait::async_trait;
use orgradar::actor::{commit_email_domains, look_up_now};
use orgradar::affiliation::Profile;
use orgradar::config::Env;
use orgradar::decide::{Person, Who};
use orgradar::failure::ProcessError;
use orgradar::github::GitHub;
use std::path::Path;

/// A saved profile, standing in for whoever the event names.
pub struct Saved(pub Profile);

impl Saved {
    pub fn load(path: &Path) -> Result<Saved> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the profile {}", path.display()))?;
        let profile = Profile::from_json(&text).with_context(|| {
            format!(
                "{} is not a profile: save GitHub's answer to GET /users/LOGIN (e.g. `gh api users/LOGIN > profile.json`), or wrap it as {{\"user\": <that answer>, \"orgs\": [...], \"commit_emails\": [...]}} to add organizations and commit emails (both optional)",
                path.display()
            )
        })?;
        Ok(Saved(profile))
    }
}

#[async_trait]
impl Who for Saved {
    async fn person(&self, _: &str, _: Option<(&str, u64)>) -> Result<Person, ProcessError> {
        Ok(Person {
            profile: self.0.clone(),
            member_of_installer: false,
        })
    }
}

/// GitHub, asked now, as the app's installation on one account.
pub struct Live {
    github: GitHub,
    installation: u64,
    /// The login of the account the installation is on.
    pub installer: String,
}

impl Live {
    /// The app's installation on `account` (or its first one).
    pub async fn connect(env: &Env, account: Option<&str>) -> Result<Live> {
        let github = orgradar::serve::github_client(env, None)?.context(
            "looking someone up on GitHub needs the app's credentials: set APP_ID and PRIVATE_KEY (or run `orgradar register`), or use --profile FILE",
        )?;
        let installations = github.installations().await?;
        let installation = installations
            .iter()
            .find(|i| account.is_none_or(|w| i.account.login.eq_ignore_ascii_case(w)))
            .with_context(|| match account {
                Some(org) => format!(
                    "the app is not installed on {org}; install it there or leave out --installed-by"
                ),
                None => "the app is not installed anywhere yet; install it on an organization first"
                    .to_string(),
            })?;
        Ok(Live {
            installation: installation.id,
            installer: installation.account.login.clone(),
            github,
        })
    }
}

#[async_trait]
impl Who for Live {
    async fn person(
        &self,
        login: &str,
        pull_request: Option<(&str, u64)>,
    ) -> Result<Person, ProcessError> {
        let (github, installation) = (&self.github, self.installation);
        let facts = look_up_now(github, installation, login, Some(&self.installer)).await?;
        if !facts.found {
            return Err(ProcessError::Refused(format!(
                "GitHub knows no user `{login}`"
            )));
        }
        let mut profile = facts.profile();
        if let Some((repo, number)) = pull_request {
            profile.commit_email_domains =
                commit_email_domains(github, installation, repo, number).await?;
        }
        Ok(Person {
            profile,
            member_of_installer: facts.member_of_installer,
        })
    }
}
