//! Evidence from the company field: `@org` mentions, URLs, names (whole
//! words, legal suffixes ignored), past employers, "Freelance".

use super::{Found, found};
use crate::affiliation::accounts::Accounts;
use crate::affiliation::company::{self, Part};
use crate::affiliation::domains::Host;
use crate::affiliation::normalize::{core, reads_like_sentence, tokens};
use crate::affiliation::validate::github_login;
use crate::affiliation::vocabulary::{
    is_generic_word, is_lead_in, is_legal_suffix, is_program_word, is_role_word,
};
use crate::affiliation::{Signal, Source, strength};

pub(super) fn company_field(
    text: &str,
    own_login: &str,
    accounts: &Accounts,
    out: &mut Vec<Found>,
) {
    let before = out.len();
    for part in company::read(text) {
        match part {
            // People sometimes write their own handle; it names no employer.
            Part::Mention { login, .. } if login.eq_ignore_ascii_case(own_login) => {}
            Part::Mention { login, past } => mention(&login, past, accounts, out),
            Part::Url { host, past } => company_url(&host, past, accounts, out),
            Part::Phrase { raw, tokens, past } => phrase(&raw, &tokens, past, accounts, out),
        }
    }
    if out.len() == before {
        out.push(
            found(Signal::NoEmployer, text.trim(), Source::Company).note("names no organization"),
        );
    }
}

fn past(value: String, names: Option<usize>, accounts: &Accounts) -> Found {
    let note = match names {
        Some(i) => format!(
            "a past employer (account `{}`), not a current affiliation",
            accounts.get(i).id
        ),
        None => "a past employer, not a current affiliation".to_string(),
    };
    let mut f = found(Signal::PastEmployer, value, Source::Company).note(note);
    f.past_account = names;
    f
}

fn mention(login: &str, was: bool, accounts: &Accounts, out: &mut Vec<Found>) {
    let value = format!("@{login}");
    let Ok(lower) = github_login(login) else {
        return;
    };
    let by_org = accounts.for_org(&lower);
    let toks = tokens(login);
    let by_name = || {
        let core = core(&toks);
        accounts
            .find_names(core)
            .into_iter()
            .find(|h| h.start == 0 && h.end == core.len() && h.accounts.len() == 1)
            .map(|h| h.accounts[0])
    };
    if was {
        out.push(past(value, by_org.or_else(by_name), accounts));
    } else if let Some(i) = by_org {
        out.push(
            found(Signal::CompanyMention, value, Source::Company).account(
                accounts,
                i,
                strength::COMPANY_MENTION,
            ),
        );
    } else if let Some(i) = by_name() {
        out.push(
            found(Signal::CompanyMention, value, Source::Company).account(
                accounts,
                i,
                strength::COMPANY_NAME,
            ),
        );
    } else {
        let key = core(&toks).concat();
        out.push(
            found(Signal::CompanyMention, value, Source::Company).organization(
                login.to_string(),
                key,
                strength::COMPANY_MENTION,
            ),
        );
    }
}

fn company_url(text: &str, was: bool, accounts: &Accounts, out: &mut Vec<Found>) {
    let Some(host) = Host::of_url(text) else {
        return;
    };
    let value = host.name.clone();
    let by_host = accounts.for_host(&host);
    if was {
        out.push(past(value, by_host, accounts));
    } else if host.is_personal_page() {
        out.push(
            found(Signal::PersonalSite, value, Source::Company)
                .note("a personal page host; names no employer"),
        );
    } else if host.is_free_mail() {
        out.push(
            found(Signal::FreeMail, value, Source::Company)
                .note("a free-mail provider; names no organization"),
        );
    } else if let Some(i) = by_host {
        out.push(found(Signal::CompanyUrl, value, Source::Company).account(
            accounts,
            i,
            strength::COMPANY_URL,
        ));
    } else {
        let by_name = accounts
            .find_names(&tokens(host.registrable()))
            .into_iter()
            .find(|h| h.start == 0 && h.accounts.len() == 1);
        match by_name {
            Some(h) => out.push(found(Signal::CompanyUrl, value, Source::Company).account(
                accounts,
                h.accounts[0],
                strength::COMPANY_NAME,
            )),
            None => {
                let f = found(Signal::CompanyUrl, value, Source::Company);
                out.push(f.organization(
                    host.registrable().to_string(),
                    host.label().replace('-', ""),
                    strength::COMPANY_URL,
                ));
            }
        }
    }
}

fn phrase(raw: &str, toks: &[String], was: bool, accounts: &Accounts, out: &mut Vec<Found>) {
    if toks.iter().all(|t| is_legal_suffix(t)) {
        return; // the "Inc" of "Acme, Inc"
    }
    let hits = accounts.find_names(toks);
    if was {
        let names = hits
            .iter()
            .find(|h| h.accounts.len() == 1)
            .map(|h| h.accounts[0]);
        out.push(past(raw.to_string(), names, accounts));
        return;
    }
    if toks.iter().all(|t| is_role_word(t)) {
        out.push(
            found(Signal::NoEmployer, raw, Source::Company)
                .note("a role or situation; names no organization"),
        );
        return;
    }
    let start = org_start(toks);
    let org = &toks[start..];
    if reads_like_sentence(org) {
        out.push(
            found(Signal::Description, raw, Source::Company)
                .note("reads like a description, not a name"),
        );
        return;
    }
    let mut named = false;
    for hit in hits {
        let text = hit_text(toks, hit.start, hit.end);
        if hit.accounts.len() > 1 {
            let ids: Vec<_> = hit
                .accounts
                .iter()
                .map(|&i| accounts.get(i).id.as_str())
                .collect();
            out.push(found(Signal::Ambiguous, text, Source::Company).note(format!("several accounts answer to this name: {}; add an alias or domain to tell them apart", ids.join(", "))));
        } else if hit.partial && !stands_alone(toks, hit.start, hit.end) {
            continue;
        } else if toks[hit.end..].iter().any(|t| is_program_word(t)) {
            let id = &accounts.get(hit.accounts[0]).id;
            out.push(found(Signal::Excluded, raw, Source::Company).note(format!(
                "a program, platform or fandom of account `{id}`, not employment"
            )));
            named = true;
        } else if accounts.excluded(hit.accounts[0], toks, hit.start, hit.end) {
            let id = &accounts.get(hit.accounts[0]).id;
            out.push(
                found(Signal::Excluded, raw, Source::Company)
                    .note(format!("listed under `not` of account `{id}`")),
            );
        } else {
            named = true;
            out.push(found(Signal::CompanyName, raw, Source::Company).account(
                accounts,
                hit.accounts[0],
                strength::COMPANY_NAME,
            ));
        }
    }
    if !named && !org.is_empty() && !org.iter().all(|t| is_role_word(t)) {
        let name = org_display(raw);
        let key = core(org).concat();
        out.push(
            found(Signal::CompanyName, raw, Source::Company).organization(
                name,
                key,
                strength::COMPANY_NAME,
            ),
        );
    }
}

/// Whether tokens `start..end` are the whole name in `toks`: nothing but a
/// job title or "at" before, nothing but generic words or legal suffixes
/// after ("Engineer at Cisco", "Cisco Inc", not "Wayne State University").
fn stands_alone(toks: &[String], start: usize, end: usize) -> bool {
    toks[..start]
        .iter()
        .all(|t| is_lead_in(t) || is_role_word(t) || t == "the")
        && toks[end..]
            .iter()
            .all(|t| is_generic_word(t) || is_legal_suffix(t))
}

/// Where the organization's name starts in a phrase: after the last "at",
/// then after any job title ("Senior Engineer at Globex" → `Globex`).
fn org_start(toks: &[String]) -> usize {
    let mut start = toks.iter().rposition(|t| t == "at").map_or(0, |i| i + 1);
    while start < toks.len() && is_lead_in(&toks[start]) {
        start += 1;
    }
    start
}

/// The organization's name as written in `raw`, without the job title.
fn org_display(raw: &str) -> String {
    let words: Vec<&str> = raw.split_whitespace().collect();
    let after_at = words
        .iter()
        .rposition(|w| tokens(w) == ["at"] || *w == "@")
        .map_or(0, |i| i + 1);
    let rest = &words[after_at..];
    let lead = rest
        .iter()
        .take_while(|w| {
            let t = tokens(w);
            !t.is_empty() && t.iter().all(|t| is_lead_in(t))
        })
        .count();
    let name = rest[lead.min(rest.len())..].join(" ");
    if name.is_empty() {
        raw.to_string()
    } else {
        name
    }
}

fn hit_text(toks: &[String], start: usize, end: usize) -> String {
    toks[start..end].join(" ")
}
