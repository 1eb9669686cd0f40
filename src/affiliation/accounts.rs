//! Target accounts and `people` overrides, validated and indexed: by
//! registrable domain, by GitHub organization login, by name tokens.
//! Lookups are hash-map reads; the list is never scanned.

use super::domains::Host;
use super::hosted::{HostedPages, HostedPattern};
use super::name_core::core;
use super::names::{NameHit, NameIndex};
use super::normalize::tokens;
use super::problems::{AccountsError, Located};
use foldhash::HashMap;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A target account, as written in app.yml or a CRM export.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Account {
    /// A short, stable identifier, e.g. `acme`.
    pub id: String,
    /// The name people know it by, e.g. `Acme Corporation`.
    pub name: String,
    /// Free text from the CRM, e.g. `strategic`.
    #[serde(default)]
    pub tier: Option<String>,
    /// Its email and web domains; subdomains count too.
    #[serde(default)]
    pub domains: Vec<String>,
    /// Its organizations on GitHub (logins).
    #[serde(default)]
    pub github_orgs: Vec<String>,
    /// Other names it goes by in a company field.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Names that contain its name but are someone else ("Apple Bank").
    #[serde(default)]
    pub not: Vec<String>,
}

/// An account before validation, with where each part was written.
#[derive(Debug, Clone)]
pub struct AccountSpec {
    pub id: Located<String>,
    pub name: Located<String>,
    pub tier: Option<String>,
    pub domains: Vec<Located<String>>,
    pub github_orgs: Vec<Located<String>>,
    pub aliases: Vec<String>,
    pub not: Vec<String>,
}

impl From<Account> for AccountSpec {
    fn from(a: Account) -> Self {
        Self {
            id: Located::bare(a.id),
            name: Located::bare(a.name),
            tier: a.tier,
            domains: a.domains.into_iter().map(Located::bare).collect(),
            github_orgs: a.github_orgs.into_iter().map(Located::bare).collect(),
            aliases: a.aliases,
            not: a.not,
        }
    }
}

/// A `people:` entry: this GitHub login belongs to this account.
#[derive(Debug, Clone)]
pub struct PersonSpec {
    pub login: Located<String>,
    pub account: Located<String>,
}

/// The validated accounts and their lookup indexes.
#[derive(Clone, Default)]
pub struct Accounts {
    /// Sorted by id, so no result depends on the order they were written in.
    pub(super) list: Vec<Account>,
    /// Per account: its `not` names as tokens.
    pub(super) nots: Vec<Vec<Vec<String>>>,
    pub(super) by_id: HashMap<String, usize>,
    pub(super) by_domain: HashMap<String, usize>,
    pub(super) by_org: HashMap<String, usize>,
    pub(super) names: NameIndex,
    pub(super) people: HashMap<String, usize>,
    /// Pages inside a product: the built-in patterns and app.yml's.
    pub(super) hosted: HostedPages,
}

impl fmt::Debug for Accounts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Accounts")
            .field("accounts", &self.list.len())
            .field("people", &self.people.len())
            .finish()
    }
}

impl Accounts {
    /// Validates and indexes accounts built in code (tests, benchmarks).
    pub fn new(
        accounts: Vec<Account>,
        people: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Self, AccountsError> {
        let people = people
            .into_iter()
            .map(|(login, account)| PersonSpec {
                login: Located::bare(login),
                account: Located::bare(account),
            })
            .collect();
        Self::build(accounts.into_iter().map(Into::into).collect(), people)
    }

    pub(super) fn index(mut list: Vec<Account>) -> Self {
        list.sort_by(|a, b| a.id.cmp(&b.id));
        let mut out = Accounts::default();
        for (i, a) in list.iter().enumerate() {
            out.by_id.insert(a.id.clone(), i);
            out.by_domain
                .extend(a.domains.iter().map(|d| (d.clone(), i)));
            out.by_org
                .extend(a.github_orgs.iter().map(|o| (o.clone(), i)));
            out.names.add(&a.name, i);
            for alias in &a.aliases {
                out.names.add(alias, i);
            }
            out.nots
                .push(a.not.iter().map(|n| core(&tokens(n)).to_vec()).collect());
        }
        out.list = list;
        out
    }

    /// Adds `affiliation.hosted_pages` patterns from app.yml.
    pub fn with_hosted_pages(mut self, patterns: Vec<HostedPattern>) -> Self {
        self.hosted = HostedPages::new(patterns);
        self
    }

    /// The hosted-page pattern a URL matches, if any.
    pub(crate) fn hosted_page(&self, url: &str, host: &Host) -> Option<&str> {
        self.hosted.matching(url, host)
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// Every account, sorted by id.
    pub fn iter(&self) -> impl Iterator<Item = &Account> {
        self.list.iter()
    }

    /// How many `people` overrides there are.
    pub fn people_len(&self) -> usize {
        self.people.len()
    }

    pub(crate) fn get(&self, index: usize) -> &Account {
        &self.list[index]
    }

    pub fn by_id(&self, id: &str) -> Option<&Account> {
        self.by_id.get(id).map(|&i| &self.list[i])
    }

    /// Names or aliases several accounts answer to: a company field with one
    /// of them is never taken. Worth a warning in `orgradar check`.
    pub fn ambiguous_names(&self) -> Vec<(String, Vec<String>)> {
        self.names
            .ambiguous()
            .into_iter()
            .map(|(name, accounts)| {
                let ids = accounts.iter().map(|&i| self.list[i].id.clone()).collect();
                (name, ids)
            })
            .collect()
    }

    /// The account whose domain is `host` or one of its parents (down to the
    /// registrable domain, never past it).
    pub(crate) fn for_host(&self, host: &Host) -> Option<usize> {
        host.lookup_keys()
            .find_map(|key| self.by_domain.get(key).copied())
    }

    pub(crate) fn for_org(&self, login: &str) -> Option<usize> {
        self.by_org.get(lowercase(login).as_ref()).copied()
    }

    /// The account `people:` in app.yml puts `login` in.
    pub fn listed(&self, login: &str) -> Option<&str> {
        self.for_person(login).map(|i| self.list[i].id.as_str())
    }

    pub(crate) fn for_person(&self, login: &str) -> Option<usize> {
        self.people.get(lowercase(login).as_ref()).copied()
    }

    pub(crate) fn find_names<'a, T: AsRef<str>>(&'a self, text: &[T]) -> Vec<NameHit<'a>> {
        self.names.find(text)
    }

    /// Whether one of account `index`'s `not` names covers `start..end` of `text`.
    pub(crate) fn excluded<T: AsRef<str>>(
        &self,
        index: usize,
        text: &[T],
        start: usize,
        end: usize,
    ) -> bool {
        self.nots[index]
            .iter()
            .any(|not| super::names::occurs_over(text, not, start, end))
    }
}

/// `text` lowercased, allocating only when it has capitals.
fn lowercase(text: &str) -> std::borrow::Cow<'_, str> {
    if text.bytes().any(|b| b.is_ascii_uppercase()) {
        std::borrow::Cow::Owned(text.to_ascii_lowercase())
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}
