//! Which organization a GitHub user belongs to, and the evidence for it.
//!
//! [`classify`] is a pure function of a [`Profile`], the target [`Accounts`]
//! and the item's [`Context`]: no I/O, no clock, and a result that never
//! depends on the order the accounts were written in.
//!
//! Signals, strongest first: a `people:` override; a public membership in
//! one of an account's GitHub organizations or a company email (profile or
//! commit author); the company field (`@org`, a name, a URL); the bio
//! ("engineer at Globex"); the website. Free mail, personal pages, pages
//! inside a product, past employers ("ex-Acme", "Acme 2016–2020"),
//! disclaimers ("not an employee") and "Freelance" name no organization;
//! a past employer or a disclaimer also outweighs what is left over from
//! that job. Where signals point to different accounts, the strongest wins
//! and the evidence shows both.

mod accounts;
mod association;
mod clean;
mod crm;
mod decide;
pub mod domains;
mod hosted;
mod lists;
mod machine;
mod markers;
pub mod name_core;
mod names;
pub mod normalize;
mod problems;
mod profile;
mod reader;
mod sieve;
mod signals;
mod validate;
mod vocabulary;

pub use accounts::{Account, AccountSpec, Accounts, PersonSpec};
pub use association::Association;
pub use crm::parse_csv;
pub use hosted::HostedPattern;
pub use problems::{AccountsError, Located, Origin, Problem};
pub use profile::Profile;
pub use validate::{account_domain, github_login};

use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// How strongly each kind of evidence names an account (0 to 1).
pub mod strength {
    pub const OVERRIDE: f64 = 1.0;
    pub const ORG_MEMBERSHIP: f64 = 0.9;
    pub const EMAIL: f64 = 0.9;
    pub const COMMIT_EMAIL: f64 = 0.85;
    pub const COMPANY_MENTION: f64 = 0.8;
    pub const COMPANY_NAME: f64 = 0.75;
    pub const COMPANY_URL: f64 = 0.75;
    /// An employer the bio names in so many words ("engineer at Globex").
    pub const BIO: f64 = 0.6;
    pub const WEBSITE: f64 = 0.5;
}

/// What the item says about its author beyond the profile.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Context {
    /// The item's `author_association` (OWNER, MEMBER, COLLABORATOR, ...).
    pub author_association: Option<Association>,
    /// The login of the organization that installed the app.
    pub installation_account: Option<String>,
}

/// The answer: which account (if a target), which organization, how sure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Affiliation {
    pub login: String,
    /// The target account's id.
    pub account: Option<String>,
    /// The best organization name found, target account or not; none for
    /// individuals, free mail, freelancers.
    pub organization: Option<String>,
    pub tier: Option<String>,
    pub bot: bool,
    /// A member or collaborator of the project, or of the organization that
    /// installed the app: not a lead.
    pub insider: bool,
    /// 0 to 1: how sure the account (or, without one, the organization) is.
    pub confidence: f64,
    pub evidence: Vec<Evidence>,
}

impl Affiliation {
    /// The kind of the strongest evidence for the account (or, without one,
    /// the organization) chosen.
    pub fn deciding_signal(&self) -> Option<Signal> {
        let chosen = |e: &&Evidence| match &self.account {
            Some(account) => e.account.as_ref() == Some(account),
            None => {
                self.organization.is_some()
                    && e.organization.as_deref().map(str::to_lowercase)
                        == self.organization.as_deref().map(str::to_lowercase)
            }
        };
        self.evidence
            .iter()
            .filter(chosen)
            .max_by(|a, b| a.strength.total_cmp(&b.strength))
            .map(|e| e.signal)
    }
}

/// One thing read from the profile, and what it points to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub signal: Signal,
    /// What was read: an org login, a domain (never a full email address),
    /// a company text.
    pub value: String,
    pub source: Source,
    /// The target account it points to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// The organization it names when that is no target account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<String>,
    /// How strongly it names `account` or `organization`; 0 for what names none.
    pub strength: f64,
    /// What it means, when it names no organization or is outweighed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Cow<'static, str>>,
}

/// The kind of evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Signal {
    /// A `people:` entry in app.yml.
    Override,
    /// An answer from someone who read a notice (Slack, the dashboard, the
    /// command line): it outweighs everything read from the profile.
    Correction,
    OrgMembership,
    CompanyMention,
    CompanyName,
    CompanyUrl,
    EmailDomain,
    Website,
    /// The bio names an employer ("Platform engineer at Globex").
    BioMention,
    // Read, and naming no organization:
    PastEmployer,
    /// A sentence that says the person is not an employee, or that what it
    /// names is unofficial.
    Disclaimer,
    /// A URL inside a product (a shop, a forum profile, a shared file).
    HostedPage,
    /// An account's name inside a longer name of another organization.
    LongerName,
    FreeMail,
    PersonalSite,
    PersonalDomain,
    NoEmployer,
    Description,
    /// A name several accounts answer to.
    Ambiguous,
    /// A name an account lists under `not`.
    Excluded,
    Bot,
    Insider,
}

/// Where in the profile (or the item) the evidence was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    People,
    Correction,
    Orgs,
    Company,
    Email,
    CommitEmails,
    Blog,
    Bio,
    Login,
    Name,
    Type,
    AuthorAssociation,
}

impl std::fmt::Display for Signal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", serde_plain(self))
    }
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", serde_plain(self))
    }
}

fn serde_plain<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// Classifies the author of an item.
pub fn classify(profile: &Profile, accounts: &Accounts, context: &Context) -> Affiliation {
    let mut evidence = Vec::new();
    let insider = decide::insider(profile, context, &mut evidence);
    if let Some(bot) = signals::bot(profile) {
        evidence.insert(0, bot);
        return Affiliation {
            login: profile.login.clone(),
            account: None,
            organization: None,
            tier: None,
            bot: true,
            insider,
            confidence: 0.0,
            evidence,
        };
    }
    let found = signals::gather(profile, accounts);
    let mut affiliation = decide::decide(profile, accounts, found);
    affiliation.insider = insider;
    affiliation.evidence.append(&mut evidence);
    affiliation
}
