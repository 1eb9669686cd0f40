//! Evidence from free text (the company field, the bio): what each part
//! names, and whether it is current, past, disclaimed or a parent company.

use super::context::{employment_cue, org_display, org_start, program_before, stands_alone};
use super::{Found, Outweighs, found};
use crate::affiliation::accounts::Accounts;
use crate::affiliation::domains::Host;
use crate::affiliation::name_core::core;
use crate::affiliation::names::{is_name_word, longer_name};
use crate::affiliation::normalize::{reads_like_sentence, tokens};
use crate::affiliation::reader::{Clause, Part};
use crate::affiliation::validate::github_login;
use crate::affiliation::vocabulary::{is_legal_suffix, is_program_word, is_role_word};
use crate::affiliation::{Signal, Source, strength};

/// Where a part was read, and what its text says about it.
pub(super) struct Ctx<'a> {
    pub source: Source,
    pub part: &'a Part<'a>,
    pub clause: &'a Clause,
}

impl Ctx<'_> {
    fn bio(&self) -> bool {
        self.source == Source::Bio
    }

    fn disclaimed(&self) -> bool {
        self.clause.not_employee || self.clause.unofficial
    }

    /// What the evidence shows as read: the phrase in the company field,
    /// the whole sentence in the bio.
    fn value(&self, raw: &str) -> String {
        if self.bio() {
            self.clause.text.clone()
        } else {
            raw.to_string()
        }
    }

    fn past(&self, raw: &str, names: Option<usize>, accounts: &Accounts) -> Found {
        let note = match (names, self.bio()) {
            (Some(i), false) => format!(
                "a past employer (account `{}`), not a current affiliation",
                accounts.get(i).id
            ),
            (Some(i), true) => format!(
                "the bio names account `{}` as a past employer",
                accounts.get(i).id
            ),
            (None, _) => "a past employer, not a current affiliation".to_string(),
        };
        let mut f = found(Signal::PastEmployer, self.value(raw), self.source).note(note);
        if let Some(i) = names {
            f.outweighs = Outweighs::Past(i);
        }
        f
    }

    fn disclaimer(&self, raw: &str, names: Option<usize>, accounts: &Accounts) -> Found {
        let what = if self.clause.not_employee {
            "says the person is not an employee"
        } else {
            "calls it unofficial"
        };
        let note = match names {
            Some(i) => format!("{what} of account `{}`; not employment", accounts.get(i).id),
            None => format!("{what}; not employment"),
        };
        let mut f = found(Signal::Disclaimer, self.value(raw), self.source).note(note);
        if let Some(i) = names {
            f.outweighs = Outweighs::Disclaimed(i);
        }
        f
    }

    /// Evidence that `raw` names account `i`, as its tense and clause say.
    pub fn account(
        &self,
        signal: Signal,
        raw: &str,
        i: usize,
        weight: f64,
        accounts: &Accounts,
        out: &mut Vec<Found>,
    ) {
        if self.part.past {
            out.push(self.past(raw, Some(i), accounts));
        } else if self.disclaimed() {
            out.push(self.disclaimer(raw, Some(i), accounts));
        } else {
            let (signal, weight) = if self.bio() {
                (Signal::BioMention, strength::BIO)
            } else {
                (signal, weight)
            };
            let mut f = found(signal, self.value(raw), self.source).account(accounts, i, weight);
            f.now = self.part.now;
            if self.part.parent {
                f.parent = true;
                f = f.note("named as the parent company");
            }
            out.push(f);
        }
    }

    /// Evidence that `raw` names an organization that is no target account.
    fn organization(
        &self,
        signal: Signal,
        raw: &str,
        name: String,
        key: String,
        out: &mut Vec<Found>,
    ) {
        if self.bio() || self.part.parent {
            return;
        }
        if self.part.past {
            out.push(self.past(raw, None, &Accounts::default()));
        } else if self.disclaimed() {
            out.push(self.disclaimer(raw, None, &Accounts::default()));
        } else {
            out.push(found(signal, raw, self.source).organization(
                name,
                key,
                strength::COMPANY_NAME,
            ));
        }
    }
}

/// Words before an `@mention` in a bio that make it no employer:
/// "contributor to @acme", "I love @acme".
const NOT_EMPLOYMENT: &[&str] = &[
    "to",
    "of",
    "on",
    "with",
    "from",
    "about",
    "using",
    "use",
    "uses",
    "love",
    "loves",
    "like",
    "likes",
    "fan",
    "into",
    "by",
    "follow",
    "via",
    "and",
    "or",
    "cc",
    "contributor",
    "maintainer",
];

pub(super) fn mention(login: &str, ctx: &Ctx<'_>, accounts: &Accounts, out: &mut Vec<Found>) {
    let value = format!("@{login}");
    let Ok(lower) = github_login(login) else {
        return;
    };
    if ctx.bio()
        && !ctx.part.past
        && !ctx.disclaimed()
        && ctx.part.prev.is_some_and(|p| NOT_EMPLOYMENT.contains(&p))
    {
        return;
    }
    let toks = tokens(login);
    let by_name = || {
        let core = core(&toks);
        accounts
            .find_names(core)
            .into_iter()
            .find(|h| h.start == 0 && h.end == core.len() && h.accounts.len() == 1)
            .map(|h| h.accounts[0])
    };
    if let Some(i) = accounts.for_org(&lower) {
        ctx.account(
            Signal::CompanyMention,
            &value,
            i,
            strength::COMPANY_MENTION,
            accounts,
            out,
        );
    } else if let Some(i) = by_name() {
        ctx.account(
            Signal::CompanyMention,
            &value,
            i,
            strength::COMPANY_NAME,
            accounts,
            out,
        );
    } else {
        let key = core(&toks).concat();
        if !ctx.part.past && !ctx.disclaimed() && !ctx.bio() && !ctx.part.parent {
            out.push(
                found(Signal::CompanyMention, value, ctx.source).organization(
                    login.to_string(),
                    key,
                    strength::COMPANY_MENTION,
                ),
            );
        } else {
            ctx.organization(Signal::CompanyMention, &value, login.to_string(), key, out);
        }
    }
}

pub(super) fn url(text: &str, ctx: &Ctx<'_>, accounts: &Accounts, out: &mut Vec<Found>) {
    let Some(host) = Host::of_url(text) else {
        return;
    };
    let value = host.name.clone();
    if host.is_personal_page() {
        if !ctx.bio() {
            out.push(
                found(Signal::PersonalSite, value, ctx.source)
                    .note("a personal page host; names no employer"),
            );
        }
        return;
    }
    if let Some(pattern) = accounts.hosted_page(text, &host) {
        out.push(hosted(text, pattern, ctx.source));
        return;
    }
    if host.is_free_mail() {
        out.push(
            found(Signal::FreeMail, value, ctx.source)
                .note("a free-mail provider; names no organization"),
        );
    } else if let Some(i) = accounts.for_host(&host) {
        ctx.account(
            Signal::CompanyUrl,
            &value,
            i,
            strength::COMPANY_URL,
            accounts,
            out,
        );
    } else {
        let label = host.unicode_label();
        let by_name = accounts
            .find_names(&tokens(&label))
            .into_iter()
            .find(|h| h.start == 0 && h.accounts.len() == 1);
        match by_name {
            Some(h) => ctx.account(
                Signal::CompanyUrl,
                &value,
                h.accounts[0],
                strength::COMPANY_NAME,
                accounts,
                out,
            ),
            None => ctx.organization(
                Signal::CompanyUrl,
                &value,
                host.registrable().to_string(),
                host.label().replace('-', ""),
                out,
            ),
        }
    }
}

/// A URL inside a product: names no employer.
pub(super) fn hosted(url: &str, pattern: &str, source: Source) -> Found {
    let shown = url.split(['?', '#']).next().unwrap_or(url);
    let shown = shown.split_once("://").map_or(shown, |(_, rest)| rest);
    found(Signal::HostedPage, shown.trim_end_matches('/'), source).note(format!(
        "a page inside a product (matches `{pattern}`: a shop, forum profile, shared file, app or listing), not an employer"
    ))
}

/// Evidence from a run of words. Returns whether it named anything.
pub(super) fn phrase(
    raw: &str,
    toks: &[&str],
    dotted: &[bool],
    ctx: &Ctx<'_>,
    accounts: &Accounts,
    out: &mut Vec<Found>,
) {
    if toks.iter().all(|t| is_legal_suffix(t)) {
        return; // the "Inc" of "Acme, Inc"
    }
    let part = ctx.part;
    let plain = !part.past && !ctx.disclaimed() && !part.parent && !ctx.bio();
    if plain && toks.iter().all(|t| is_role_word(t)) {
        out.push(
            found(Signal::NoEmployer, raw, ctx.source)
                .note("a role or situation; names no organization"),
        );
        return;
    }
    let start = org_start(toks);
    let org = &toks[start..];
    if plain && reads_like_sentence(org) {
        out.push(
            found(Signal::Description, raw, ctx.source)
                .note("reads like a description, not a name"),
        );
        return;
    }
    let before = out.len();
    let mut named = false;
    for hit in accounts.find_names(toks) {
        if ctx.bio() && !part.past && !ctx.disclaimed() && !employment_cue(toks, &hit) {
            continue;
        }
        if hit.accounts.len() > 1 {
            let ids: Vec<_> = hit
                .accounts
                .iter()
                .map(|&i| accounts.get(i).id.as_str())
                .collect();
            out.push(found(Signal::Ambiguous, toks[hit.start..hit.end].join(" "), ctx.source).note(format!("several accounts answer to this name: {}; add an alias or domain to tell them apart", ids.join(", "))));
            continue;
        }
        let i = hit.accounts[0];
        let id = &accounts.get(i).id;
        if hit.partial && !stands_alone(toks, hit.start, hit.end) {
            continue;
        }
        let dotted_hit = (hit.start..hit.end).any(|k| dotted.get(k).copied().unwrap_or(false));
        let why = if hit.acronym && dotted_hit {
            Some(format!(
                "a dotted abbreviation of another name, not the acronym of account `{id}`"
            ))
        } else if longer_name(toks, hit.start, hit.end) {
            Some(format!(
                "part of a longer name of another organization, not account `{id}`"
            ))
        } else {
            None
        };
        if let Some(why) = why {
            out.push(found(Signal::LongerName, ctx.value(raw), ctx.source).note(why));
            named = true;
        } else if toks[hit.end..].iter().any(|t| is_program_word(t))
            || program_before(&toks[..hit.start])
        {
            out.push(
                found(Signal::Excluded, ctx.value(raw), ctx.source).note(format!(
                    "a program, platform or fandom of account `{id}`, not employment"
                )),
            );
            named = true;
        } else if accounts.excluded(i, toks, hit.start, hit.end) {
            out.push(
                found(Signal::Excluded, ctx.value(raw), ctx.source)
                    .note(format!("listed under `not` of account `{id}`")),
            );
        } else {
            named = true;
            ctx.account(
                Signal::CompanyName,
                raw,
                i,
                strength::COMPANY_NAME,
                accounts,
                out,
            );
        }
    }
    let accounted = out[before..].iter().any(|f| {
        f.account.is_some() || matches!(f.outweighs, Outweighs::Past(_) | Outweighs::Disclaimed(_))
    });
    if part.past && !accounted && !ctx.bio() {
        out.push(ctx.past(raw, None, accounts));
    } else if ctx.disclaimed() && !accounted && !ctx.bio() && org.iter().any(|t| is_name_word(t)) {
        out.push(ctx.disclaimer(raw, None, accounts));
    } else if !named
        && !part.past
        && !ctx.bio()
        && !part.parent
        && !org.is_empty()
        && !org.iter().all(|t| is_role_word(t))
    {
        // (`organization` takes nothing from the bio or a parent company.)
        let name = org_display(raw);
        let key = core(org).concat();
        ctx.organization(Signal::CompanyName, raw, name, key, out);
    }
}
