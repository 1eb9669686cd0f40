//! Turning a profile into evidence: what each field says, and about whom.

mod bio;
mod company;
mod context;
mod text;

use super::accounts::Accounts;
use super::domains::Host;
use super::normalize::tokens;
use super::{Evidence, Profile, Signal, Source, strength};
use std::borrow::Cow;

/// A piece of evidence and how it ranks.
#[derive(Debug, Clone)]
pub struct Found {
    pub evidence: Evidence,
    /// The target account it points to (an index into `Accounts`).
    pub account: Option<usize>,
    /// For an organization that is no target account: a key under which
    /// different spellings of it agree (`Globex Inc`, `@globex`, `globex.com`).
    pub org_key: Option<String>,
    /// What it outweighs: a past employer or a disclaimer.
    pub outweighs: Outweighs,
    /// Named as current in so many words ("now", "since 2020").
    pub now: bool,
    /// Names the parent company of another organization the text names:
    /// it agrees with that one rather than contradicting it.
    pub parent: bool,
}

/// What a piece of evidence outweighs elsewhere in the profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outweighs {
    Nothing,
    /// A past employer: what is left over from that job.
    Past(usize),
    /// "not affiliated with" this account, or "unofficial".
    Disclaimed(usize),
    /// "not an employee", naming no one: the company field and memberships.
    Everyone,
}

fn found(signal: Signal, value: impl Into<String>, source: Source) -> Found {
    Found {
        evidence: Evidence {
            signal,
            value: value.into(),
            source,
            account: None,
            organization: None,
            strength: 0.0,
            note: None,
        },
        account: None,
        org_key: None,
        outweighs: Outweighs::Nothing,
        now: false,
        parent: false,
    }
}

impl Found {
    fn account(mut self, accounts: &Accounts, index: usize, strength: f64) -> Self {
        self.evidence.account = Some(accounts.get(index).id.clone());
        self.evidence.strength = strength;
        self.account = Some(index);
        self
    }

    fn organization(mut self, name: String, key: String, strength: f64) -> Self {
        self.evidence.organization = Some(name);
        self.evidence.strength = strength;
        self.org_key = Some(key);
        self
    }

    fn note(mut self, note: impl Into<Cow<'static, str>>) -> Self {
        self.evidence.note = Some(note.into());
        self
    }
}

/// A bot (`type: Bot`, a login ending in `[bot]`, or a machine user) is
/// never matched.
pub fn bot(profile: &Profile) -> Option<Evidence> {
    let by_type = profile
        .kind
        .as_deref()
        .is_some_and(|k| k.eq_ignore_ascii_case("bot"));
    let login = profile.login.as_bytes();
    let by_login = login.len() >= 5 && login[login.len() - 5..].eq_ignore_ascii_case(b"[bot]");
    if by_type || by_login {
        let (value, source) = if by_type {
            ("Bot".to_string(), Source::Type)
        } else {
            (profile.login.clone(), Source::Login)
        };
        return Some(
            found(Signal::Bot, value, source)
                .note("a bot; never matched to an organization")
                .evidence,
        );
    }
    let machine = super::machine::machine_user(profile)?;
    Some(
        found(Signal::Bot, machine.value, machine.source)
            .note(format!(
                "a machine user ({}); never matched to an organization",
                machine.why
            ))
            .evidence,
    )
}

/// Everything the profile says, in the order: override, organizations,
/// company field, email, commit emails, bio, website.
pub fn gather(profile: &Profile, accounts: &Accounts) -> Vec<Found> {
    let mut out = Vec::new();
    if let Some(i) = accounts.for_person(&profile.login) {
        out.push(
            found(Signal::Override, &profile.login, Source::People).account(
                accounts,
                i,
                strength::OVERRIDE,
            ),
        );
    }
    let mut seen_orgs: Vec<String> = Vec::new();
    for org in &profile.orgs {
        let lower = org.to_ascii_lowercase();
        if seen_orgs.contains(&lower) {
            continue;
        }
        seen_orgs.push(lower);
        if let Some(i) = accounts.for_org(org) {
            out.push(found(Signal::OrgMembership, org, Source::Orgs).account(
                accounts,
                i,
                strength::ORG_MEMBERSHIP,
            ));
        }
    }
    if let Some(text) = &profile.company {
        company::company_field(text, &profile.login, accounts, &mut out);
    }
    if let Some(domain) = &profile.email_domain {
        email(
            domain,
            Source::Email,
            strength::EMAIL,
            profile,
            accounts,
            &mut out,
        );
    }
    for domain in &profile.commit_email_domains {
        email(
            domain,
            Source::CommitEmails,
            strength::COMMIT_EMAIL,
            profile,
            accounts,
            &mut out,
        );
    }
    if let Some(text) = &profile.bio {
        bio::bio(text, &profile.login, accounts, &mut out);
    }
    if let Some(blog) = &profile.blog {
        website(blog, accounts, &mut out);
    }
    out
}

fn email(
    domain: &str,
    source: Source,
    weight: f64,
    profile: &Profile,
    accounts: &Accounts,
    out: &mut Vec<Found>,
) {
    let Some(host) = Host::parse(domain) else {
        return;
    };
    let value = host.name.clone();
    let alumni = host.name[..host.name.len() - host.registrable().len()]
        .split('.')
        .any(|l| matches!(l, "alumni" | "alum" | "alumnae" | "alumnus" | "alums"));
    if host.is_free_mail() {
        out.push(
            found(Signal::FreeMail, value, source)
                .note("a free-mail provider; names no organization"),
        );
    } else if alumni {
        let mut f = found(Signal::PastEmployer, value, source)
            .note("an alumni address: a past affiliation");
        if let Some(i) = accounts.for_host(&host) {
            f.outweighs = Outweighs::Past(i);
        }
        out.push(f);
    } else if let Some(i) = accounts.for_host(&host) {
        out.push(found(Signal::EmailDomain, value, source).account(accounts, i, weight));
    } else if host.hosted {
        out.push(
            found(Signal::PersonalSite, value, source)
                .note("on a hosting platform; names no organization"),
        );
    } else if personal_domain(&host, profile) {
        out.push(
            found(Signal::PersonalDomain, value, source)
                .note("a personal domain (it spells the login or name)"),
        );
    } else {
        let registrable = host.registrable().to_string();
        let f = found(Signal::EmailDomain, value, source);
        out.push(f.organization(registrable, host.label().replace('-', ""), weight));
    }
}

/// A vanity domain: its label spells the login or a name of the person
/// (`jane@janedoe.dev`, `jdoe@jdoe.io`).
fn personal_domain(host: &Host, profile: &Profile) -> bool {
    let label = host.label().replace('-', "");
    let login: String = profile
        .login
        .to_ascii_lowercase()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    if label == login || (login.len() >= 4 && label.contains(&login)) {
        return true;
    }
    let names = profile.name.as_deref().map(tokens).unwrap_or_default();
    names
        .iter()
        .filter(|n| n.len() >= 3)
        .any(|n| label == *n || label.starts_with(n.as_str()) || label.ends_with(n.as_str()))
}

fn website(blog: &str, accounts: &Accounts, out: &mut Vec<Found>) {
    let Some(host) = Host::of_url(blog) else {
        return;
    };
    let value = host.name.clone();
    if host.is_personal_page() {
        out.push(
            found(Signal::PersonalSite, value, Source::Blog)
                .note("a personal page host; names no employer"),
        );
    } else if let Some(pattern) = accounts.hosted_page(blog, &host) {
        out.push(text::hosted(blog, pattern, Source::Blog));
    } else if let Some(i) = accounts.for_host(&host) {
        out.push(found(Signal::Website, value, Source::Blog).account(
            accounts,
            i,
            strength::WEBSITE,
        ));
    } else {
        out.push(found(Signal::Website, value, Source::Blog).note("not a target account's domain"));
    }
}
