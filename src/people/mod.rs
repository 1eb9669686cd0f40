//! What people say about a person, and what orgradar remembers of them:
//! corrections from the readers of its notices (Slack buttons, the
//! dashboard, the command line), the organizations a person was seen at,
//! and who asked to be forgotten.
//!
//! Pure: the types, and how a correction overrides what was read from a
//! profile ([`Correction::apply`]). The store keeps them; the decision core
//! reads them; `feedback` turns a click into one.

pub mod precision;
mod tenure;

pub use tenure::{BOTH_WITHIN_MS, Moved, Tenure, moved};

use crate::affiliation::{Accounts, Affiliation, Evidence, Signal, Source};
use crate::time::Millis;
use serde::{Deserialize, Serialize};
use std::fmt;

/// What a person answered about an affiliation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The account orgradar named is right (`account` holds it).
    Confirm,
    /// The person belongs to `account`, whatever the profile says.
    Account,
    /// The person belongs to no target account.
    None,
    /// Leave the person alone: no lookups, no notices, not a lead.
    Ignore,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Confirm => "confirm",
            Verdict::Account => "account",
            Verdict::None => "none",
            Verdict::Ignore => "ignore",
        }
    }

    pub fn parse(text: &str) -> Option<Verdict> {
        [
            Verdict::Confirm,
            Verdict::Account,
            Verdict::None,
            Verdict::Ignore,
        ]
        .into_iter()
        .find(|v| v.as_str() == text)
    }
}

/// Where a correction was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Via {
    Slack,
    Dashboard,
    Cli,
}

impl Via {
    pub fn as_str(self) -> &'static str {
        match self {
            Via::Slack => "slack",
            Via::Dashboard => "dashboard",
            Via::Cli => "cli",
        }
    }

    pub fn parse(text: &str) -> Option<Via> {
        [Via::Slack, Via::Dashboard, Via::Cli]
            .into_iter()
            .find(|v| v.as_str() == text)
    }

    /// How it reads in a sentence: "Slack", "the dashboard", "the command line".
    pub fn phrase(self) -> &'static str {
        match self {
            Via::Slack => "Slack",
            Via::Dashboard => "the dashboard",
            Via::Cli => "the command line",
        }
    }
}

/// One answer, kept as it was given: automation never changes it; a later
/// answer about the same person supersedes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Correction {
    /// Unique; the key its follow-up work is ledgered under.
    pub id: String,
    /// The person's login, lowercased.
    pub login: String,
    pub verdict: Verdict,
    /// The account the person belongs to (`Confirm`, `Account`).
    pub account: Option<String>,
    /// The sighting (its delivery) the answer was given on, if any.
    pub sighting: Option<String>,
    /// What that sighting said, as orgradar decided it: for precision.
    pub sighted: Sighted,
    /// Who answered: `@dana` (Slack), a GitHub login (dashboard), the
    /// operator's name (command line).
    pub by: String,
    pub via: Via,
    pub note: Option<String>,
    pub at: Millis,
}

/// What orgradar had decided about the sighting an answer was given on.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Sighted {
    /// The account it named.
    pub account: Option<String>,
    /// The kind of evidence that decided it (`email_domain`, ...).
    pub signal: Option<String>,
    /// The rules that matched it.
    pub rules: Vec<String>,
}

/// Whether an answer says orgradar was right, for precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Judged {
    Right,
    Wrong,
}

impl Judged {
    pub fn as_str(self) -> &'static str {
        match self {
            Judged::Right => "right",
            Judged::Wrong => "wrong",
        }
    }
}

impl Correction {
    /// Whether the answer says the sighting it was given on named the right
    /// account; `None` when it says nothing about that (no sighting, no
    /// account named, or "ignore": a person can be ignored for any reason).
    pub fn judged(&self) -> Option<Judged> {
        let sighted = self.sighted.account.as_deref()?;
        self.sighting.as_ref()?;
        match self.verdict {
            Verdict::Ignore => None,
            Verdict::Confirm | Verdict::Account if self.account.as_deref() == Some(sighted) => {
                Some(Judged::Right)
            }
            _ => Some(Judged::Wrong),
        }
    }

    /// The account the person belongs to from now on: `Some(None)` for no
    /// target account; `None` for "ignore".
    pub fn belongs_to(&self) -> Option<Option<&str>> {
        match self.verdict {
            Verdict::Confirm | Verdict::Account => Some(self.account.as_deref()),
            Verdict::None => Some(None),
            Verdict::Ignore => None,
        }
    }

    /// "marked not Acme Corporation", "confirmed Acme Corporation", ...:
    /// what was decided, with `name` giving an account's display name.
    pub fn decided(&self, name: impl Fn(&str) -> String) -> String {
        let account = |id: Option<&str>| id.map(&name).unwrap_or_else(|| "an account".into());
        match self.verdict {
            Verdict::Confirm => format!("Confirmed {}", account(self.account.as_deref())),
            Verdict::Account => format!("Marked {}", account(self.account.as_deref())),
            Verdict::None => match self.sighted.account.as_deref() {
                Some(was) => format!("Marked not {}", name(was)),
                None => "Marked no target account".to_string(),
            },
            Verdict::Ignore => format!("Ignored {}", self.login),
        }
    }

    /// Applies the answer to what the profile said: the account it names
    /// (or none), with the answer as the deciding evidence. A `people:`
    /// entry in app.yml outweighs it, and "ignore" changes nothing here
    /// (the decision stops before classifying).
    pub fn apply(&self, mut affiliation: Affiliation, accounts: &Accounts) -> Affiliation {
        let Some(belongs) = self.belongs_to() else {
            return affiliation;
        };
        // Confirming an organization that is no target account confirms
        // what was read; there is no account to hold on to.
        if self.verdict == Verdict::Confirm && self.account.is_none() {
            return affiliation;
        }
        if affiliation.bot
            || affiliation
                .evidence
                .iter()
                .any(|e| e.signal == Signal::Override)
        {
            return affiliation;
        }
        let account = belongs.and_then(|id| accounts.by_id(id));
        affiliation.account = account.map(|a| a.id.clone());
        affiliation.tier = account.and_then(|a| a.tier.clone());
        affiliation.organization = account.map(|a| a.name.clone());
        affiliation.confidence = 1.0;
        affiliation.evidence.insert(
            0,
            Evidence {
                signal: Signal::Correction,
                value: format!("{} via {}", self.by, self.via.phrase()),
                source: Source::Correction,
                account: affiliation.account.clone(),
                organization: None,
                strength: 1.0,
                note: None,
            },
        );
        affiliation
    }
}

/// What is on record about a person before a delivery is decided.
#[derive(Debug, Clone, Default)]
pub struct Standing {
    /// They asked to be forgotten: nothing is looked up or kept.
    pub forgotten: bool,
    /// The answer in force, if anyone gave one.
    pub correction: Option<Correction>,
    /// The organizations they were seen at, latest first.
    pub tenures: Vec<Tenure>,
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests;
