//! The rules part of app.yml as written: what to watch for, what to do, and
//! where messages go. The keys sit at the top level of app.yml; [`super::Rules`]
//! gathers them once validated.

use crate::duration::Duration;
use serde::Deserialize;
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde_saphyr::Spanned;
use std::fmt;

/// `mode:` — whether orgradar acts (`live`) or only reports what it would do (`shadow`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    #[default]
    Live,
    Shadow,
}

/// `throttle:` — at most one message per account and channel within `window`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThrottleSettings {
    #[serde(default = "default_throttle_window")]
    pub window: Duration,
}

impl Default for ThrottleSettings {
    fn default() -> Self {
        Self {
            window: default_throttle_window(),
        }
    }
}

fn default_throttle_window() -> Duration {
    Duration::from_secs(24 * 3600)
}

/// The default of `retention:`.
pub(crate) fn default_retention() -> Duration {
    Duration::from_secs(180 * 24 * 3600)
}

/// `digest:` — a summary sent to Slack channels on a schedule.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DigestSettings {
    pub channels: Spanned<Vec<Spanned<String>>>,
    /// `monday 09:00` … `sunday 09:00`, or `day 09:00` for every day.
    pub every: Spanned<String>,
    /// An IANA time zone name; `UTC` when not given.
    pub timezone: Option<Spanned<String>>,
}

/// An entry of `labels:` — how a label orgradar creates looks.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelStyle {
    /// Six hex digits, e.g. `5319e7`.
    pub color: Option<Spanned<String>>,
    pub description: Option<String>,
}

/// One entry of `rules:`, as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleEntry {
    pub name: Spanned<String>,
    /// Event names as [`crate::sighting::EventKind::as_str`] writes them.
    pub on: Spanned<Vec<Spanned<String>>>,
    /// Globs on `owner/name`; none means every repository.
    #[serde(default)]
    pub repos: Vec<Spanned<String>>,
    #[serde(default, rename = "if")]
    pub when: Conditions,
    #[serde(rename = "do")]
    pub actions: Spanned<Actions>,
    /// When the rule matched, later rules are not evaluated.
    #[serde(default)]
    pub stop: bool,
}

/// `if:` — all conditions given must hold.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Conditions {
    /// The affiliation's tier is one of these (case-insensitive).
    pub tier: Option<Vec<String>>,
    /// `any` target account, or one of these account ids.
    pub account: Option<AnyOf>,
    /// For `affiliation.changed` only: the person was at `any` target
    /// account before, or at one of these account ids.
    pub previous_account: Option<Spanned<AnyOf>>,
    /// `any` organization, or one of these names (organization or account name).
    pub organization: Option<AnyOf>,
    /// `false` (the default): bots never match; `true`: only bots match.
    #[serde(default)]
    pub bot: bool,
    /// `false` (the default): insiders never match; `true`: only insiders match.
    #[serde(default)]
    pub insider: bool,
    /// `true`: only the first sighting of the account (or organization).
    #[serde(default)]
    pub first_time: bool,
    /// The least affiliation confidence, 0 to 1.
    pub confidence: Option<Spanned<f64>>,
    /// `any` intent topic, or one of these topic ids (`sso`, `commercial`, ...).
    pub intent: Option<Spanned<AnyOf>>,
    /// The least lead score of the sighting, 0 to 100.
    pub score: Option<Spanned<u32>>,
}

/// `any`, or a list of names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnyOf {
    Any,
    Of(Vec<String>),
}

impl<'de> Deserialize<'de> for AnyOf {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct AnyOfVisitor;
        impl<'de> Visitor<'de> for AnyOfVisitor {
            type Value = AnyOf;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("`any` or a list of names")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<AnyOf, E> {
                if v.trim() == "any" {
                    Ok(AnyOf::Any)
                } else {
                    Ok(AnyOf::Of(vec![v.trim().to_string()]))
                }
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<AnyOf, A::Error> {
                let mut names = Vec::new();
                while let Some(name) = seq.next_element::<String>()? {
                    names.push(name);
                }
                Ok(AnyOf::Of(names))
            }
        }
        d.deserialize_any(AnyOfVisitor)
    }
}

/// `do:` — what happens when a rule matches.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Actions {
    /// Label templates: `enterprise`, `account:{account}`, `{tier}`, `org:{organization}`.
    #[serde(default)]
    pub label: Vec<Spanned<String>>,
    /// Names of entries of `channels:`.
    #[serde(default)]
    pub notify: Vec<Spanned<String>>,
}

/// An entry of `channels:` — exactly one way to deliver a message.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// The name of the environment variable that holds a Slack webhook URL.
    SlackWebhookEnv(Spanned<String>),
    /// A Slack channel (`#name` or an id like `C0123ABCD`), posted to with
    /// the token in `SLACK_BOT_TOKEN`.
    SlackChannel(Spanned<String>),
    /// Issues in a GitHub repository.
    GithubIssue(GithubIssueChannel),
}

impl Channel {
    /// Whether messages go to Slack.
    pub fn is_slack(&self) -> bool {
        !matches!(self, Channel::GithubIssue(_))
    }
}

/// `github_issue:` — an issue per sighting, or one per account.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GithubIssueChannel {
    /// `owner/name`.
    pub repo: Spanned<String>,
    /// One issue per account, commented on at each sighting.
    #[serde(default)]
    pub per_account: bool,
}
