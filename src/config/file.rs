//! `app.yml`: the GitHub App manifest (the keys a Probot app.yml has) and
//! orgradar's own settings, in one file. Unknown keys are refused.

use super::accounts::{AccountEntry, People};
use super::affiliation::AffiliationSettings;
use super::{ConfigError, Duration};
use crate::intent::IntentSettings;
use crate::rules::{Channel, DigestSettings, LabelStyle, Mode, RuleEntry, Rules, ThrottleSettings};
use crate::score::ScoringSettings;
use serde::Deserialize;
use serde_saphyr::Spanned;
use std::collections::BTreeMap;
use std::path::Path;

/// The whole of `app.yml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppFile {
    // --- GitHub App manifest ---
    /// The app's name on GitHub (at most 34 characters, unique on GitHub).
    pub name: Spanned<String>,
    pub url: Option<String>,
    pub description: Option<String>,
    #[serde(default)]
    pub public: bool,
    #[serde(default)]
    pub default_events: Vec<String>,
    #[serde(default)]
    pub default_permissions: BTreeMap<String, Permission>,
    pub hook_attributes: Option<HookAttributes>,
    pub redirect_url: Option<String>,
    pub callback_urls: Option<Vec<String>>,
    pub setup_url: Option<String>,
    pub setup_on_update: Option<bool>,
    pub request_oauth_on_install: Option<bool>,

    // --- orgradar's own settings ---
    #[serde(default)]
    pub worker: WorkerSettings,
    #[serde(default)]
    pub affiliation: AffiliationSettings,
    /// How GitHub's API budget is spent.
    #[serde(default)]
    pub github: GitHubSettings,
    /// Target accounts (see also `accounts_file`).
    #[serde(default)]
    pub accounts: Vec<AccountEntry>,
    /// A CRM export of more target accounts, relative to app.yml's folder.
    pub accounts_file: Option<Spanned<String>>,
    /// GitHub login → account id, where the profile cannot tell.
    #[serde(default)]
    pub people: People,

    /// Who may open the leads dashboard.
    #[serde(default)]
    pub dashboard: DashboardSettings,

    // --- rules (see `crate::rules`) ---
    /// `live`, or `shadow`: decide, but only tell `review_channel`.
    #[serde(default)]
    pub mode: Mode,
    pub review_channel: Option<Spanned<String>>,
    /// Logins orgradar never classifies or acts on.
    #[serde(default)]
    pub ignore: Vec<String>,
    /// Sightings older than this are purged.
    #[serde(default = "crate::rules::default_retention")]
    pub retention: Duration,
    #[serde(default)]
    pub throttle: ThrottleSettings,
    pub digest: Option<DigestSettings>,
    /// The product digest: what target accounts asked for, on a schedule.
    pub product_digest: Option<DigestSettings>,
    /// Color and description of labels orgradar creates.
    #[serde(default)]
    pub labels: BTreeMap<String, LabelStyle>,
    #[serde(default)]
    pub rules: Vec<RuleEntry>,
    /// Where messages go, by name.
    #[serde(default)]
    pub channels: BTreeMap<String, Channel>,

    /// Intent topics: more topics and phrases, defaults switched off.
    #[serde(default)]
    pub intent: IntentSettings,
    /// The weights of the lead score.
    #[serde(default)]
    pub scoring: ScoringSettings,
}

/// A GitHub App permission level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Permission {
    Read,
    Write,
    Admin,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HookAttributes {
    pub url: Option<String>,
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

/// The leads dashboard at `/dashboard`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DashboardSettings {
    /// Members of these GitHub organizations may sign in.
    #[serde(default)]
    pub allow_orgs: Vec<String>,
    /// How long a sign-in lasts.
    #[serde(default = "default_session")]
    pub session: Duration,
}

impl Default for DashboardSettings {
    fn default() -> Self {
        Self {
            allow_orgs: Vec::new(),
            session: default_session(),
        }
    }
}

fn default_session() -> Duration {
    Duration::from_secs(12 * 3600)
}

/// How GitHub's hourly API budget is planned.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GitHubSettings {
    /// The share of each installation's budget that lookups leave for writes
    /// (labels, issues, comments); stars and forks stop at twice this.
    #[serde(default = "default_reserve")]
    pub reserve: Share,
}

impl Default for GitHubSettings {
    fn default() -> Self {
        Self {
            reserve: default_reserve(),
        }
    }
}

fn default_reserve() -> Share {
    Share(0.10)
}

/// A share of a whole, written `10%` (or `0.1`), from 0 to 50%.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Share(pub f64);

impl<'de> Deserialize<'de> for Share {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Number(f64),
            Text(String),
        }
        let wrong =
            || serde::de::Error::custom("expected a share from 0% to 50%, e.g. `reserve: 10%`");
        let value = match Raw::deserialize(d)? {
            Raw::Number(n) => n,
            Raw::Text(t) => {
                let t = t.trim();
                match t.strip_suffix('%') {
                    Some(p) => p.trim().parse::<f64>().map_err(|_| wrong())? / 100.0,
                    None => t.parse::<f64>().map_err(|_| wrong())?,
                }
            }
        };
        if !(0.0..=0.5).contains(&value) {
            return Err(wrong());
        }
        Ok(Share(value))
    }
}

/// How the worker pool processes stored deliveries.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkerSettings {
    /// Deliveries processed at the same time.
    #[serde(default = "default_concurrency")]
    pub concurrency: Spanned<usize>,
    /// Attempts before a delivery is marked `dead`.
    #[serde(default = "default_max_attempts")]
    pub max_attempts: Spanned<u32>,
    /// The first retry waits about this long; each later one twice as long.
    #[serde(default = "default_retry_base")]
    pub retry_base: Duration,
    /// No retry waits longer than this.
    #[serde(default = "default_retry_max")]
    pub retry_max: Duration,
    /// A worker holds a delivery this long without renewing its claim; after
    /// a crash, another instance takes the delivery once it has passed.
    #[serde(default = "default_lease")]
    pub lease: Duration,
}

impl Default for WorkerSettings {
    fn default() -> Self {
        Self {
            concurrency: default_concurrency(),
            max_attempts: default_max_attempts(),
            retry_base: default_retry_base(),
            retry_max: default_retry_max(),
            lease: default_lease(),
        }
    }
}

fn unplaced<T>(value: T) -> Spanned<T> {
    Spanned::new(
        value,
        serde_saphyr::Location::UNKNOWN,
        serde_saphyr::Location::UNKNOWN,
    )
}
fn default_concurrency() -> Spanned<usize> {
    unplaced(32)
}
fn default_max_attempts() -> Spanned<u32> {
    unplaced(8)
}
fn default_retry_base() -> Duration {
    Duration::from_secs(10)
}
fn default_retry_max() -> Duration {
    Duration::from_secs(30 * 60)
}
fn default_lease() -> Duration {
    Duration::from_secs(30)
}

impl AppFile {
    /// Parses and validates the text of an app.yml; `path` is only used in
    /// messages. Every mistake of meaning is reported, not only the first.
    pub fn parse(text: &str, path: &Path) -> Result<Self, ConfigError> {
        let file = Self::read(text, path)?;
        ConfigError::all(file.problems(path))?;
        Ok(file)
    }

    /// Parses the text of an app.yml without validating what it means.
    pub(super) fn read(text: &str, path: &Path) -> Result<Self, ConfigError> {
        serde_saphyr::from_str(text).map_err(|e| {
            let (line, column) = e
                .location()
                .map(|l| (l.line(), l.column()))
                .unwrap_or((0, 0));
            ConfigError::Invalid {
                path: path.to_path_buf(),
                line,
                column,
                message: super::yaml_mistakes::message(&e, text, line, column),
            }
        })
    }

    /// Validates and indexes the target accounts and people; `read` reads
    /// `accounts_file` (resolved against the folder of `path`).
    pub fn accounts(
        &self,
        path: &Path,
        read: impl Fn(&Path) -> std::io::Result<String>,
    ) -> Result<crate::affiliation::Accounts, ConfigError> {
        let accounts = super::accounts::build(
            path,
            &self.accounts,
            self.accounts_file.as_ref(),
            &self.people,
            read,
        )?;
        Ok(accounts.with_hosted_pages(self.affiliation.hosted_pages(path)?))
    }

    /// The validated rules part: mode, rules, channels, digest, ...
    pub fn rule_set(&self, path: &Path) -> Result<Rules, ConfigError> {
        super::rules::build(self, path)
    }

    /// Every mistake of meaning in the file (the accounts aside: see
    /// [`AppFile::accounts`]), in the order of the file's sections.
    pub(super) fn problems(&self, path: &Path) -> Vec<ConfigError> {
        let mut problems = Vec::new();
        let at = |loc: serde_saphyr::Location, message: String| ConfigError::Invalid {
            path: path.to_path_buf(),
            line: loc.line(),
            column: loc.column(),
            message,
        };
        let name = self.name.value.trim();
        if name.is_empty() || name.chars().count() > 34 {
            problems.push(at(
                self.name.referenced,
                format!(
                    "name must be 1 to 34 characters (GitHub's limit for an app name), not {} characters",
                    name.chars().count()
                ),
            ));
        }
        let c = &self.worker.concurrency;
        if !(1..=256).contains(&c.value) {
            problems.push(at(
                c.referenced,
                format!(
                    "worker.concurrency must be between 1 and 256, not {}",
                    c.value
                ),
            ));
        }
        let m = &self.worker.max_attempts;
        if !(1..=100).contains(&m.value) {
            problems.push(at(
                m.referenced,
                format!(
                    "worker.max_attempts must be between 1 and 100, not {}",
                    m.value
                ),
            ));
        }
        if self.worker.lease < Duration::from_secs(3) {
            problems.push(ConfigError::File {
                path: path.to_path_buf(),
                message: format!(
                    "worker.lease ({}) is too short to be renewed in time; make it 3s or more",
                    self.worker.lease
                ),
            });
        }
        if self.worker.retry_base > self.worker.retry_max {
            problems.push(ConfigError::File {
                path: path.to_path_buf(),
                message: format!(
                    "worker.retry_base ({}) is longer than worker.retry_max ({}); make retry_max the larger one",
                    self.worker.retry_base, self.worker.retry_max
                ),
            });
        }
        if let Err(e) = self.affiliation.hosted_pages(path) {
            problems.push(e);
        }
        if let Err(e) = self.rule_set(path) {
            problems.push(e);
        }
        problems
    }
}

#[cfg(test)]
#[path = "file_tests.rs"]
mod tests;
