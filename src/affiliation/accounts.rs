//! Target accounts and `people` overrides, validated and indexed: by
//! registrable domain, by GitHub organization login, by name tokens.
//! Lookups are hash-map reads; the list is never scanned.

use super::domains::Host;
use super::names::{NameHit, NameIndex};
use super::normalize::{core, tokens};
use super::problems::{AccountsError, Located, Origin, Problem};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
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
    list: Vec<Account>,
    /// Per account: its `not` names as tokens.
    nots: Vec<Vec<Vec<String>>>,
    by_id: HashMap<String, usize>,
    by_domain: HashMap<String, usize>,
    by_org: HashMap<String, usize>,
    names: NameIndex,
    people: HashMap<String, usize>,
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

    /// Validates every account and person, and indexes them. Reports every
    /// problem found, in the order the specs were given.
    pub fn build(specs: Vec<AccountSpec>, people: Vec<PersonSpec>) -> Result<Self, AccountsError> {
        let mut problems = Vec::new();
        let mut report = |at: &Option<Origin>, message: String| {
            problems.push(Problem {
                at: at.clone(),
                message,
            })
        };
        let mut valid: Vec<(Account, Option<Origin>)> = Vec::new();
        let mut seen_id: HashMap<String, Option<Origin>> = HashMap::new();
        let mut seen_domain: HashMap<String, (String, Option<Origin>)> = HashMap::new();
        let mut seen_org: HashMap<String, (String, Option<Origin>)> = HashMap::new();
        for spec in specs {
            let id = spec.id.value.trim().to_string();
            let name = spec.name.value.trim().to_string();
            let mut ok = true;
            if id.is_empty() {
                report(&spec.id.at, "an account has an empty `id`; give it a short, stable identifier such as `acme`".into());
                ok = false;
            } else if let Some(first) = seen_id.get(&id) {
                report(
                    &spec.id.at,
                    format!(
                        "account id `{id}` is used twice{}; give each account its own id",
                        also(first)
                    ),
                );
                ok = false;
            }
            if name.is_empty() {
                report(
                    &spec.name.at,
                    format!(
                        "account `{id}` has an empty `name`; write the name people know it by, e.g. `Acme Corporation`"
                    ),
                );
                ok = false;
            }
            let mut domains = Vec::new();
            for d in &spec.domains {
                match account_domain(&d.value) {
                    Err(why) => {
                        report(&d.at, format!("account `{id}`: {why}"));
                        ok = false;
                    }
                    Ok(domain) => match seen_domain.get(&domain) {
                        Some((owner, first)) if *owner != id => {
                            report(
                                &d.at,
                                format!(
                                    "domain `{domain}` is claimed by account `{owner}`{} and by account `{id}`; a domain can name only one account",
                                    also(first)
                                ),
                            );
                            ok = false;
                        }
                        Some(_) => {}
                        None => {
                            seen_domain.insert(domain.clone(), (id.clone(), d.at.clone()));
                            domains.push(domain);
                        }
                    },
                }
            }
            let mut orgs = Vec::new();
            for o in &spec.github_orgs {
                match github_login(&o.value) {
                    Err(why) => {
                        report(&o.at, format!("account `{id}`: {why}"));
                        ok = false;
                    }
                    Ok(login) => match seen_org.get(&login) {
                        Some((owner, first)) if *owner != id => {
                            report(
                                &o.at,
                                format!(
                                    "GitHub organization `{login}` is claimed by account `{owner}`{} and by account `{id}`; an organization can belong to only one account",
                                    also(first)
                                ),
                            );
                            ok = false;
                        }
                        Some(_) => {}
                        None => {
                            seen_org.insert(login.clone(), (id.clone(), o.at.clone()));
                            orgs.push(login);
                        }
                    },
                }
            }
            if !id.is_empty() {
                seen_id
                    .entry(id.clone())
                    .or_insert_with(|| spec.id.at.clone());
            }
            if ok {
                let clean = |list: Vec<String>| -> Vec<String> {
                    list.into_iter()
                        .map(|s| s.trim().to_string())
                        .filter(|s| !s.is_empty())
                        .collect()
                };
                valid.push((
                    Account {
                        id,
                        name,
                        tier: spec
                            .tier
                            .map(|t| t.trim().to_string())
                            .filter(|t| !t.is_empty()),
                        domains,
                        github_orgs: orgs,
                        aliases: clean(spec.aliases),
                        not: clean(spec.not),
                    },
                    spec.id.at.clone(),
                ));
            }
        }
        let mut accounts = Self::index(valid.into_iter().map(|(a, _)| a).collect());
        for person in people {
            let login = match github_login(&person.login.value) {
                Ok(login) => login,
                Err(why) => {
                    report(&person.login.at, format!("people: {why}"));
                    continue;
                }
            };
            let wanted = person.account.value.trim();
            match accounts.by_id.get(wanted) {
                Some(&index) => {
                    if accounts.people.insert(login.clone(), index).is_some() {
                        report(
                            &person.login.at,
                            format!(
                                "people: `{login}` is listed twice (logins ignore case); keep one entry"
                            ),
                        );
                    }
                }
                None if seen_id.contains_key(wanted) => {} // that account has its own problem
                None => report(
                    &person.account.at,
                    format!(
                        "people: `{login}` names account `{wanted}`, which is not among the accounts; use one of their ids or add the account"
                    ),
                ),
            }
        }
        if problems.is_empty() {
            Ok(accounts)
        } else {
            Err(AccountsError { problems })
        }
    }

    fn index(mut list: Vec<Account>) -> Self {
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

    pub fn get(&self, index: usize) -> &Account {
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

    pub(crate) fn for_person(&self, login: &str) -> Option<usize> {
        self.people.get(lowercase(login).as_ref()).copied()
    }

    pub(crate) fn find_names<'a>(&'a self, text: &[String]) -> Vec<NameHit<'a>> {
        self.names.find(text)
    }

    /// Whether one of account `index`'s `not` names covers `start..end` of `text`.
    pub(crate) fn excluded(&self, index: usize, text: &[String], start: usize, end: usize) -> bool {
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

fn also(first: &Option<Origin>) -> String {
    match first {
        Some(at) => format!(" (first at {at})"),
        None => String::new(),
    }
}

/// An account's domain, checked: a bare domain under a known public suffix,
/// not a public suffix itself, not a free-mail provider or hosting platform.
pub fn account_domain(raw: &str) -> Result<String, String> {
    let text = raw.trim();
    if text.contains("://") || text.contains(['/', '@', ' ']) {
        return Err(format!(
            "`{text}` is not a bare domain; write only the domain, e.g. acme.com"
        ));
    }
    if !text.is_ascii() {
        return Err(format!(
            "`{text}` is not ASCII; write an internationalized domain in its xn-- form"
        ));
    }
    let host = Host::parse(text).ok_or_else(|| {
        let lower = text.to_ascii_lowercase();
        if psl::suffix(lower.as_bytes()).is_some_and(|s| s.is_known() && s == lower.as_str()) {
            format!("`{text}` is a public suffix, not an organization's domain; write the organization's own domain, e.g. acme.{text}")
        } else {
            format!("`{text}` is not a domain under a known public suffix; write a domain such as acme.com or acme.co.uk")
        }
    })?;
    if host.is_free_mail() {
        return Err(format!(
            "`{}` is a free-mail provider: anyone can have an address there, so it cannot identify an account; remove it",
            host.name
        ));
    }
    if host.hosted {
        return Err(format!(
            "`{}` is on a hosting platform whose sites belong to many people; use the organization's own domain",
            host.name
        ));
    }
    Ok(host.name)
}

/// A GitHub login, lowercased: 1 to 39 letters, digits or single hyphens.
pub fn github_login(raw: &str) -> Result<String, String> {
    let text = raw.trim();
    let login = text.strip_prefix('@').unwrap_or(text).to_ascii_lowercase();
    let valid = (1..=39).contains(&login.len())
        && login
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !login.starts_with('-')
        && !login.ends_with('-');
    if valid {
        Ok(login)
    } else {
        Err(format!(
            "`{text}` is not a GitHub login; write it as in its URL github.com/LOGIN, e.g. acme-labs"
        ))
    }
}
