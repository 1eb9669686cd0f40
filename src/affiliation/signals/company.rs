//! Evidence from the company field: `@org` mentions, URLs, names (whole
//! names, legal suffixes ignored), past employers, disclaimers, parent
//! companies, "Freelance".

use super::text::{self, Ctx};
use super::{Found, Outweighs, found};
use crate::affiliation::accounts::Accounts;
use crate::affiliation::names::is_name_word;
use crate::affiliation::reader::{self, Mode, What};
use crate::affiliation::{Signal, Source};

pub(super) fn company_field(
    text: &str,
    own_login: &str,
    accounts: &Accounts,
    out: &mut Vec<Found>,
) {
    let before = out.len();
    read_text(text, Mode::Company, own_login, accounts, out);
    if out.len() == before {
        out.push(
            found(Signal::NoEmployer, text.trim(), Source::Company).note("names no organization"),
        );
    }
}

/// Reads the company field or the bio into evidence. A clause that says the
/// person is not an employee, and names no account, outweighs the company
/// field and organization memberships as a whole.
pub(super) fn read_text(
    text: &str,
    mode: Mode,
    own_login: &str,
    accounts: &Accounts,
    out: &mut Vec<Found>,
) {
    let source = match mode {
        Mode::Company => Source::Company,
        Mode::Bio => Source::Bio,
    };
    let mut buf = String::new();
    let reading = reader::read(text, mode, &mut buf);
    // Only read for a clause that says "not an employee": mostly none.
    let mut named_in_clause = if reading.clauses.iter().any(|c| c.not_employee) {
        vec![false; reading.clauses.len()]
    } else {
        Vec::new()
    };
    for part in &reading.parts {
        let Some(clause) = reading.clauses.get(part.clause) else {
            continue;
        };
        let ctx = Ctx {
            source,
            part,
            clause,
        };
        let before = out.len();
        match &part.what {
            // People sometimes write their own handle; it names no employer.
            What::Mention(login) if login.eq_ignore_ascii_case(own_login) => {}
            What::Mention(login) => text::mention(login, &ctx, accounts, out),
            What::Url(url) => text::url(url, &ctx, accounts, out),
            What::Phrase {
                raw,
                tokens,
                dotted,
            } => text::phrase(raw, tokens, dotted, &ctx, accounts, out),
        }
        if clause.not_employee && !named_in_clause[part.clause] {
            let names_something = match &part.what {
                What::Phrase { tokens, .. } => tokens.iter().any(|t| is_name_word(t)),
                _ => true,
            };
            named_in_clause[part.clause] =
                names_something || out[before..].iter().any(|f| f.account.is_some());
        }
    }
    for (at, clause) in reading.clauses.iter().enumerate() {
        if clause.not_employee && !named_in_clause[at] {
            let mut f = found(Signal::Disclaimer, clause.text.as_str(), source).note(
                "says the person is not an employee: outweighs the company field and organization memberships",
            );
            f.outweighs = Outweighs::Everyone;
            out.push(f);
        }
    }
}
