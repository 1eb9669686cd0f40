//! From evidence to an answer: the strongest account wins, the confidence
//! follows the strength of what supports it and what contradicts it.

use super::signals::{Found, Outweighs};
use super::{Accounts, Affiliation, Context, Evidence, Profile, Signal, Source};
use std::cmp::Ordering;

/// Marks a member or collaborator of the project, or a member of the
/// organization that installed the app, as an insider.
pub fn insider(profile: &Profile, context: &Context, evidence: &mut Vec<Evidence>) -> bool {
    let mut insider = false;
    if let Some(association) = context
        .author_association
        .as_ref()
        .filter(|a| a.is_insider())
    {
        insider = true;
        let value = association.as_str().to_string();
        evidence.push(insider_evidence(value, Source::AuthorAssociation));
    }
    if let Some(installer) = &context.installation_account
        && let Some(org) = profile
            .orgs
            .iter()
            .find(|o| o.eq_ignore_ascii_case(installer))
    {
        insider = true;
        evidence.push(insider_evidence(org.clone(), Source::Orgs));
    }
    insider
}

fn insider_evidence(value: String, source: Source) -> Evidence {
    Evidence {
        signal: Signal::Insider,
        value,
        source,
        account: None,
        organization: None,
        strength: 0.0,
        note: Some("part of the project's own team; not a lead".into()),
    }
}

/// 1 − Π(1 − s): independent signals that agree add up, never past 1.
fn combined(strengths: impl Iterator<Item = f64>) -> f64 {
    1.0 - strengths.fold(1.0, |miss, s| miss * (1.0 - s))
}

fn rounded(x: f64) -> f64 {
    (x.clamp(0.0, 1.0) * 100.0).round() / 100.0
}

/// Support for one account or one organization.
struct Candidate<'a> {
    strongest: f64,
    support: f64,
    first: usize,
    /// Tie-breaker that depends on the account, not on its position: its id.
    id: &'a str,
}

fn better(a: &Candidate<'_>, b: &Candidate<'_>) -> Ordering {
    a.strongest
        .total_cmp(&b.strongest)
        .then(a.support.total_cmp(&b.support))
        .then(b.first.cmp(&a.first))
        .then(b.id.cmp(a.id))
}

/// A past employer or a disclaimer stated in the profile outweighs what
/// may be left over from that job: the company field, the profile email, an
/// org membership not yet given up, the website, the bio. Commit emails
/// (current work) and overrides still count, and so does an account the
/// profile names as current in so many words ("now", "since 2020").
fn discount(found: &mut [Found]) {
    let affirmed: Vec<usize> = found
        .iter()
        .filter(|f| f.now || f.evidence.signal == Signal::BioMention)
        .filter_map(|f| f.account)
        .collect();
    // "Block (formerly Square)", "Meta (formerly Facebook)": a former name
    // written after the current one, in the same text, is the same employer
    // renamed, not a job left.
    let renamed = |at: usize, i: usize| {
        let source = found[at].evidence.source;
        found[..at].iter().any(|f| {
            f.account == Some(i)
                && f.evidence.source == source
                && matches!(source, Source::Company | Source::Bio)
        })
    };
    let mut reasons: Vec<(Option<usize>, String)> = Vec::new();
    for (at, f) in found.iter().enumerate() {
        let (account, what) = match f.outweighs {
            Outweighs::Past(i) if !affirmed.contains(&i) && !renamed(at, i) => {
                (Some(i), "a past employer")
            }
            Outweighs::Disclaimed(i) => (Some(i), "a disclaimer"),
            Outweighs::Everyone => (None, "a disclaimer"),
            _ => continue,
        };
        let place = match f.evidence.source {
            Source::Company => "company field".to_string(),
            other => other.to_string(),
        };
        let why = format!(
            "outweighed by {what} in the {place}: \"{}\"",
            f.evidence.value
        );
        reasons.push((account, why));
    }
    if reasons.is_empty() {
        return;
    }
    for f in found.iter_mut() {
        let signal = f.evidence.signal;
        let stale = matches!(
            signal,
            Signal::OrgMembership
                | Signal::Website
                | Signal::CompanyUrl
                | Signal::CompanyName
                | Signal::CompanyMention
                | Signal::BioMention
        ) || (signal == Signal::EmailDomain && f.evidence.source == Source::Email);
        if !stale {
            continue;
        }
        let everyone_covers = signal != Signal::EmailDomain && signal != Signal::BioMention;
        let reason = reasons.iter().find(|(account, _)| match account {
            Some(a) => f.account == Some(*a),
            None => everyone_covers && (f.account.is_some() || f.org_key.is_some()),
        });
        if let Some((_, why)) = reason {
            f.evidence.strength = 0.0;
            f.evidence.note = Some(why.clone().into());
            f.account = None;
            f.org_key = None;
        }
    }
}

pub fn decide(profile: &Profile, accounts: &Accounts, mut found: Vec<Found>) -> Affiliation {
    discount(&mut found);
    let parents: Vec<usize> = found
        .iter()
        .filter(|f| f.parent)
        .filter_map(|f| f.account)
        .collect();
    let mut by_account: Vec<(usize, Candidate<'_>)> = Vec::new();
    for (pos, f) in found.iter().enumerate() {
        let Some(index) = f.account else { continue };
        let s = f.evidence.strength;
        match by_account.iter_mut().find(|(i, _)| *i == index) {
            Some((_, c)) => {
                c.strongest = c.strongest.max(s);
                c.support = combined([c.support, s].into_iter());
            }
            None => by_account.push((
                index,
                Candidate {
                    strongest: s,
                    support: s,
                    first: pos,
                    id: &accounts.get(index).id,
                },
            )),
        }
    }
    let winner = by_account.iter().max_by(|(_, a), (_, b)| better(a, b));
    let (account, organization, tier, confidence) = match winner {
        Some((index, c)) => {
            let a = accounts.get(*index);
            let overridden = found
                .iter()
                .any(|f| f.account == Some(*index) && f.evidence.signal == Signal::Override);
            // A parent company named with its subsidiary agrees with it.
            let related = |i: &usize| parents.contains(i) || parents.contains(index);
            let against = by_account
                .iter()
                .filter(|(i, _)| i != index && !related(i))
                .map(|(_, o)| o.strongest)
                .fold(0.0, f64::max);
            let confidence = if overridden {
                1.0
            } else {
                c.support * (1.0 - 0.5 * against)
            };
            (
                Some(a.id.clone()),
                Some(a.name.clone()),
                a.tier.clone(),
                confidence,
            )
        }
        None => {
            let (organization, confidence) = best_organization(&found);
            (None, organization, None, confidence)
        }
    };
    Affiliation {
        login: profile.login.clone(),
        account,
        organization,
        tier,
        bot: false,
        insider: false,
        confidence: rounded(confidence),
        evidence: found.into_iter().map(|f| f.evidence).collect(),
    }
}

/// How much a source's naming of an organization is preferred: what the
/// person writes as their company first, then their email, then commits.
fn rank(source: Source) -> u8 {
    match source {
        Source::Company => 2,
        Source::Email => 1,
        _ => 0,
    }
}

/// The organization (no target account) the evidence agrees on most.
fn best_organization(found: &[Found]) -> (Option<String>, f64) {
    struct Group<'a> {
        key: &'a str,
        rank: u8,
        support: f64,
        first: usize,
        name: &'a str,
    }
    let mut groups: Vec<Group<'_>> = Vec::new();
    for (pos, f) in found.iter().enumerate() {
        let (Some(key), Some(name)) = (&f.org_key, &f.evidence.organization) else {
            continue;
        };
        if key.is_empty() {
            continue;
        }
        let r = rank(f.evidence.source);
        match groups.iter_mut().find(|g| g.key == key) {
            Some(g) => {
                g.support = combined([g.support, f.evidence.strength].into_iter());
                if r > g.rank {
                    g.rank = r;
                    g.name = name;
                }
            }
            None => groups.push(Group {
                key,
                rank: r,
                support: f.evidence.strength,
                first: pos,
                name,
            }),
        }
    }
    groups
        .iter()
        .max_by(|a, b| {
            a.rank
                .cmp(&b.rank)
                .then(a.support.total_cmp(&b.support))
                .then(b.first.cmp(&a.first))
        })
        .map_or((None, 0.0), |g| (Some(g.name.to_string()), g.support))
}
