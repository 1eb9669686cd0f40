//! The evidence of an affiliation as one human line, strongest first:
//! `company email domain acme.com; public member of @acme-labs`.

use crate::affiliation::{Affiliation, Evidence, Signal, Source};

/// The evidence that named the account (or, without one, the organization),
/// strongest first; evidence pointing elsewhere follows, marked. Evidence
/// naming nothing is shown only when nothing was named. Never shows an email
/// address: a `local@domain` is cut down to its domain.
pub fn evidence_line(affiliation: &Affiliation) -> String {
    let mut naming: Vec<&Evidence> = affiliation
        .evidence
        .iter()
        .filter(|e| !discounted(e) && (e.account.is_some() || e.organization.is_some()))
        .collect();
    naming.sort_by(|a, b| b.strength.total_cmp(&a.strength));
    let supports = |e: &Evidence| match (&affiliation.account, &e.account) {
        (Some(chosen), Some(named)) => chosen == named,
        (Some(_), None) => false,
        (None, Some(_)) => false,
        (None, None) => {
            e.organization.as_deref().map(str::to_lowercase)
                == affiliation.organization.as_deref().map(str::to_lowercase)
        }
    };
    let mut parts: Vec<String> = Vec::new();
    for e in naming.iter().filter(|e| supports(e)) {
        push_unique(&mut parts, phrase(e));
    }
    for e in naming.iter().filter(|e| !supports(e)) {
        let elsewhere = e
            .account
            .as_deref()
            .or(e.organization.as_deref())
            .unwrap_or_default();
        push_unique(
            &mut parts,
            format!("{} (points to {})", phrase(e), without_addresses(elsewhere)),
        );
    }
    for e in affiliation.evidence.iter().filter(|e| discounted(e)) {
        let why = e.note.as_deref().unwrap_or_default();
        push_unique(
            &mut parts,
            format!("{} ({})", phrase(e), without_addresses(why)),
        );
    }
    if !parts.is_empty() && (affiliation.account.is_some() || affiliation.organization.is_some()) {
        return parts.join("; ");
    }
    let mut silent: Vec<String> = Vec::new();
    for e in affiliation
        .evidence
        .iter()
        .filter(|e| e.account.is_none() && e.organization.is_none())
    {
        push_unique(&mut silent, phrase(e));
    }
    silent.extend(parts);
    if silent.is_empty() {
        "no organization found".to_string()
    } else {
        format!("no organization found ({})", silent.join("; "))
    }
}

/// Evidence that named an account but was outweighed (a past employer, a
/// disclaimer): shown with the reason, never as support.
fn discounted(e: &Evidence) -> bool {
    e.account.is_some() && e.strength == 0.0 && e.note.is_some()
}

fn push_unique(parts: &mut Vec<String>, part: String) {
    if !parts.contains(&part) {
        parts.push(part);
    }
}

/// One piece of evidence in words.
fn phrase(e: &Evidence) -> String {
    let v = without_addresses(e.value.trim());
    match e.signal {
        Signal::Override => "listed under people: in app.yml".to_string(),
        Signal::Correction => format!("corrected by {v}"),
        Signal::OrgMembership => format!("public member of @{}", v.trim_start_matches('@')),
        Signal::EmailDomain if e.source == Source::CommitEmails => {
            format!("commit email domain {v}")
        }
        Signal::EmailDomain => format!("company email domain {v}"),
        Signal::CompanyMention | Signal::CompanyName => format!("company field \"{v}\""),
        Signal::CompanyUrl => format!("company field {v}"),
        Signal::Website => format!("website {v}"),
        Signal::PastEmployer => format!("past employer \"{v}\""),
        Signal::FreeMail => format!("free mail {v}"),
        Signal::PersonalSite => format!("personal site {v}"),
        Signal::PersonalDomain => format!("personal domain {v}"),
        Signal::NoEmployer => format!("no employer (\"{v}\")"),
        Signal::Description => format!("a description, not an employer (\"{v}\")"),
        Signal::Ambiguous => format!("ambiguous name \"{v}\""),
        Signal::Excluded => format!("excluded name \"{v}\""),
        Signal::BioMention => format!("bio \"{v}\""),
        Signal::Disclaimer => format!("disclaimer \"{v}\""),
        Signal::HostedPage => format!("a page inside a product ({v}), not an employer"),
        Signal::LongerName => format!("\"{v}\" is another organization with a longer name"),
        Signal::Bot => "a bot".to_string(),
        Signal::Insider => format!("insider ({v})"),
    }
}

/// `jane.doe@acme.com` → `acme.com`; `@acme-labs` and `acme.com` stay.
fn without_addresses(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    for c in text.chars() {
        if c.is_whitespace() || c == ',' || c == ';' || c == '"' || c == '(' || c == ')' {
            out.push_str(&strip_local_part(&word));
            word.clear();
            out.push(c);
        } else {
            word.push(c);
        }
    }
    out.push_str(&strip_local_part(&word));
    out
}

fn strip_local_part(word: &str) -> String {
    match word.rfind('@') {
        Some(at) if at > 0 && word[at + 1..].contains('.') => word[at + 1..].to_string(),
        _ => word.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::affiliation::strength;

    fn ev(signal: Signal, value: &str, source: Source, account: Option<&str>, s: f64) -> Evidence {
        Evidence {
            signal,
            value: value.into(),
            source,
            account: account.map(str::to_string),
            organization: None,
            strength: s,
            note: None,
        }
    }

    fn affiliation(account: Option<&str>, evidence: Vec<Evidence>) -> Affiliation {
        Affiliation {
            login: "jane".into(),
            account: account.map(str::to_string),
            organization: account.map(|_| "Acme Corp".to_string()),
            tier: None,
            bot: false,
            insider: false,
            confidence: 0.9,
            evidence,
        }
    }

    #[test]
    fn strongest_first_in_words() {
        let a = affiliation(
            Some("acme"),
            vec![
                ev(
                    Signal::Website,
                    "acme.com",
                    Source::Blog,
                    Some("acme"),
                    strength::WEBSITE,
                ),
                ev(
                    Signal::CompanyName,
                    "Acme Corp",
                    Source::Company,
                    Some("acme"),
                    strength::COMPANY_NAME,
                ),
                ev(
                    Signal::EmailDomain,
                    "acme.com",
                    Source::CommitEmails,
                    Some("acme"),
                    strength::COMMIT_EMAIL,
                ),
                ev(
                    Signal::OrgMembership,
                    "acme-labs",
                    Source::Orgs,
                    Some("acme"),
                    strength::ORG_MEMBERSHIP,
                ),
                ev(
                    Signal::EmailDomain,
                    "acme.com",
                    Source::Email,
                    Some("acme"),
                    strength::EMAIL,
                ),
                ev(
                    Signal::FreeMail,
                    "gmail.com",
                    Source::CommitEmails,
                    None,
                    0.0,
                ),
                ev(
                    Signal::Override,
                    "jane",
                    Source::People,
                    Some("acme"),
                    strength::OVERRIDE,
                ),
            ],
        );
        assert_eq!(
            evidence_line(&a),
            "listed under people: in app.yml; public member of @acme-labs; company email domain acme.com; \
             commit email domain acme.com; company field \"Acme Corp\"; website acme.com"
        );
    }

    #[test]
    fn evidence_for_another_account_is_marked() {
        let a = affiliation(
            Some("acme"),
            vec![
                ev(
                    Signal::EmailDomain,
                    "acme.com",
                    Source::Email,
                    Some("acme"),
                    0.9,
                ),
                ev(
                    Signal::CompanyName,
                    "Globex",
                    Source::Company,
                    Some("globex"),
                    0.75,
                ),
            ],
        );
        assert_eq!(
            evidence_line(&a),
            "company email domain acme.com; company field \"Globex\" (points to globex)"
        );
    }

    #[test]
    fn outweighed_evidence_says_why() {
        let mut stale = ev(
            Signal::CompanyMention,
            "@acme",
            Source::Company,
            Some("acme"),
            0.0,
        );
        stale.note =
            Some("outweighed by a past employer in the bio: \"Left Acme in 2021.\"".into());
        let mut a = affiliation(
            Some("globex"),
            vec![
                stale,
                ev(
                    Signal::BioMention,
                    "Engineer at Globex.",
                    Source::Bio,
                    Some("globex"),
                    0.6,
                ),
            ],
        );
        a.organization = Some("Globex".into());
        assert_eq!(
            evidence_line(&a),
            "bio \"Engineer at Globex.\"; company field \"@acme\" (outweighed by a past employer in the bio: \"Left Acme in 2021.\")"
        );
    }

    #[test]
    fn nothing_named_shows_what_was_read() {
        let a = affiliation(
            None,
            vec![
                ev(Signal::FreeMail, "gmail.com", Source::Email, None, 0.0),
                ev(
                    Signal::FreeMail,
                    "gmail.com",
                    Source::CommitEmails,
                    None,
                    0.0,
                ),
            ],
        );
        assert_eq!(
            evidence_line(&a),
            "no organization found (free mail gmail.com)"
        );
        assert_eq!(
            evidence_line(&affiliation(None, vec![])),
            "no organization found"
        );
    }

    #[test]
    fn organization_without_account() {
        let mut e = ev(Signal::CompanyName, "Initech", Source::Company, None, 0.75);
        e.organization = Some("Initech".into());
        let mut a = affiliation(None, vec![e]);
        a.organization = Some("Initech".into());
        assert_eq!(evidence_line(&a), "company field \"Initech\"");
    }

    #[test]
    fn never_an_email_address() {
        let a = affiliation(
            Some("acme"),
            vec![
                ev(
                    Signal::EmailDomain,
                    "jane.doe@acme.com",
                    Source::Email,
                    Some("acme"),
                    0.9,
                ),
                ev(
                    Signal::CompanyName,
                    "Acme (jane@acme.io)",
                    Source::Company,
                    Some("acme"),
                    0.75,
                ),
            ],
        );
        let line = evidence_line(&a);
        assert_eq!(
            line,
            "company email domain acme.com; company field \"Acme (acme.io)\""
        );
        assert!(!line.contains("jane"));
    }
}
