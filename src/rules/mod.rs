//! Rules: which sightings matter and what orgradar does about them — labels
//! on the item, messages to channels — configured at the top level of
//! app.yml (`mode`, `rules`, `channels`, `digest`, ...).
//!
//! [`Rules`] is the validated configuration; [`plan`] decides, without I/O
//! and without a clock, what to do about one sighting.

mod config;
pub(crate) mod glob;
mod matching;
mod plan;
mod schedule;
mod suggest;
mod template;
mod warnings;

pub(crate) use config::default_retention;
pub use config::{
    Actions, AnyOf, Channel, Conditions, DigestSettings, GithubIssueChannel, LabelStyle, Mode,
    RuleEntry, ThrottleSettings,
};
pub use plan::{Miss, Plan, Withheld, WithheldReason, misses, plan};
pub use schedule::Schedule;
pub(crate) use suggest::closest;
pub use template::{MAX_LABEL_CHARS, Placeholder, Template};
pub use warnings::{reach, warnings};

use crate::duration::Duration;
use crate::intent::Taxonomy;
use crate::score::Weights;
use crate::sighting::EventKind;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The validated rules part of app.yml.
#[derive(Debug, Clone)]
pub struct Rules {
    pub mode: Mode,
    /// In shadow mode, the only channel that receives messages.
    pub review_channel: Option<String>,
    /// Logins (lowercase) orgradar never classifies or acts on.
    pub ignore: Vec<String>,
    /// Sightings older than this are purged.
    pub retention: Duration,
    /// One message per account and channel within this window; `None`: no throttle.
    pub throttle: Option<Duration>,
    pub digest: Option<Digest>,
    /// `product_digest:`: the period's top intent topics from target accounts.
    pub product_digest: Option<Digest>,
    /// Color and description of labels orgradar creates, by label name.
    pub labels: BTreeMap<String, LabelStyle>,
    pub rules: Vec<Rule>,
    pub channels: BTreeMap<String, Channel>,
    /// The intent topics to look for (`intent:`).
    pub intent: Arc<Taxonomy>,
    /// The lead score's weights (`scoring:`).
    pub scoring: Weights,
}

/// One rule, validated.
#[derive(Debug, Clone)]
pub struct Rule {
    pub name: String,
    pub on: Vec<EventKind>,
    /// Globs on `owner/name`; empty: every repository.
    pub repos: Vec<String>,
    pub when: Conditions,
    pub labels: Vec<Template>,
    pub notify: Vec<String>,
    pub stop: bool,
}

/// `digest:`, validated.
#[derive(Debug, Clone)]
pub struct Digest {
    /// Slack channels (names in `channels:`).
    pub channels: Vec<String>,
    pub schedule: Schedule,
}

impl Rules {
    /// Whether orgradar leaves `login` alone (`ignore:`, case-insensitive).
    pub fn ignores(&self, login: &str) -> bool {
        let login = login.trim().trim_start_matches('@');
        self.ignore.iter().any(|i| i.eq_ignore_ascii_case(login))
    }

    /// Whether planning needs to know if a sighting is its group's first:
    /// a rule asks for `first_time`, or for a `score` (first contact adds to it).
    pub fn needs_first_time(&self) -> bool {
        self.rules
            .iter()
            .any(|r| r.when.first_time || r.when.score.is_some())
    }

    pub fn shadow(&self) -> bool {
        self.mode == Mode::Shadow
    }

    /// The throttle window in milliseconds; 0 when there is none.
    pub fn throttle_window_ms(&self) -> i64 {
        self.throttle.map_or(0, |d| d.as_millis_i64())
    }

    pub fn retention_ms(&self) -> i64 {
        self.retention.as_millis_i64()
    }

    /// The repositories of the `github_issue` channels.
    pub fn leads_repositories(&self) -> Vec<String> {
        let mut repos: Vec<String> = self
            .channels
            .values()
            .filter_map(|c| match c {
                Channel::GithubIssue(g) => Some(g.repo.value.clone()),
                _ => None,
            })
            .collect();
        repos.sort();
        repos.dedup();
        repos
    }
}
