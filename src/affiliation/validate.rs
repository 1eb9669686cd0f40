//! Validation of accounts and people: every problem with its place, and a
//! domain, GitHub organization or id claimed twice refused.

use super::accounts::{Account, AccountSpec, Accounts, PersonSpec};
use super::domains::Host;
use super::problems::{AccountsError, Origin, Problem};
use foldhash::HashMap;

impl Accounts {
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
        let mut seen_id: HashMap<String, Option<Origin>> = HashMap::default();
        let mut seen_domain: HashMap<String, (String, Option<Origin>)> = HashMap::default();
        let mut seen_org: HashMap<String, (String, Option<Origin>)> = HashMap::default();
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
}

fn also(first: &Option<Origin>) -> String {
    match first {
        Some(at) => format!(" (first at {at})"),
        None => String::new(),
    }
}

/// An account's domain, checked: a bare domain under a known public suffix,
/// not a public suffix itself, not a free-mail provider or hosting platform.
/// An internationalized domain may be written in Unicode or punycode; it is
/// kept in punycode (`müller.de` → `xn--mller-kva.de`).
pub fn account_domain(raw: &str) -> Result<String, String> {
    let text = raw.trim();
    if text.contains("://") || text.contains(['/', '@', ' ']) {
        return Err(format!(
            "`{text}` is not a bare domain; write only the domain, e.g. acme.com"
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
