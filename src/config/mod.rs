//! Configuration: `app.yml` (the GitHub App manifest plus orgradar's own
//! settings) and the environment (secrets and deployment settings).

mod accounts;
mod affiliation;
mod checker;
mod env;
mod error;
mod file;
mod limits;
mod previous_account;
mod redact;
mod rules;
mod slack;
pub mod variables;
mod yaml_mistakes;

pub use crate::duration::Duration;
pub use accounts::{AccountEntry, People};
pub use affiliation::AffiliationSettings;
pub use env::{DatabaseUrl, Env, GitHubEnv, LogFormat, WebhookSecrets};
pub use error::ConfigError;
pub use file::{AppFile, DashboardSettings, HookAttributes, Permission, WorkerSettings};
pub use limits::{HttpLimits, MAX_WEBHOOK_BODY_BYTES, MetricsAccess};
pub use redact::redact_password;
pub use slack::SlackSigningSecrets;

use crate::affiliation::Accounts;
use crate::rules::Rules;

use std::path::{Path, PathBuf};

/// A loaded and validated `app.yml`, with the path it was read from.
#[derive(Debug, Clone)]
pub struct Config {
    pub path: PathBuf,
    pub app: AppFile,
    /// The target accounts of `accounts:` and `accounts_file:`, and `people:`.
    pub accounts: Accounts,
    /// The rules part of app.yml, validated.
    pub rules: Rules,
}

impl Config {
    /// Reads and validates the file at `path`.
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let app = AppFile::read(&text, path)?;
        // Every mistake found, the file's and the accounts', in one report.
        let mut problems = app.problems(path);
        let targets = accounts::build(
            path,
            &app.accounts,
            app.accounts_file.as_ref(),
            &app.people,
            |file| std::fs::read_to_string(file),
        )
        .map_err(|e| problems.push(e))
        .ok();
        ConfigError::all(problems)?;
        let rules = app.rule_set(path)?;
        let accounts = match targets {
            Some(targets) => targets.with_hosted_pages(app.affiliation.hosted_pages(path)?),
            None => app.accounts(path, |file| std::fs::read_to_string(file))?,
        };
        previous_account::check_ids(&app, &accounts, path)?;
        Ok(Self {
            path: path.to_path_buf(),
            app,
            accounts,
            rules,
        })
    }
}
