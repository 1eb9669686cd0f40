//! What to do about one sighting: the rules that match, the labels to
//! apply, the channels to notify. Pure: no I/O, no clock.

use super::Rules;
use super::matching::same_organization;
use super::template::{Placeholder, Template};
use crate::affiliation::{Affiliation, Signal};
use crate::score::{Inputs, Score, score};
use crate::sighting::Sighting;
use std::fmt;

/// The decision for one sighting.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Plan {
    pub shadow: bool,
    /// The login is in `ignore:`; nothing else is set.
    pub ignored: bool,
    /// Names of the rules that matched, in order.
    pub rules: Vec<String>,
    /// Label names to apply, deduplicated, in order.
    pub labels: Vec<String>,
    /// Labels not applied, and why.
    pub withheld: Vec<Withheld>,
    /// Channels to notify, deduplicated, in first-mention order. In shadow
    /// mode only `review_channel`, when a rule matched.
    pub notify: Vec<String>,
    /// In shadow mode, the channels live mode would notify.
    pub would_notify: Vec<String>,
    /// The sighting's lead score, and how it was made.
    pub score: Score,
}

impl Plan {
    /// In shadow mode, the labels live mode would apply.
    pub fn shadow_labels(&self) -> Vec<String> {
        self.withheld
            .iter()
            .filter(|w| w.reason == WithheldReason::Shadow)
            .map(|w| w.label.clone())
            .collect()
    }
}

/// A label a matching rule names but that is not applied.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Withheld {
    /// The label name, or the template when a value was missing.
    pub label: String,
    #[serde(serialize_with = "as_text")]
    pub reason: WithheldReason,
}

/// Why a label is not applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WithheldReason {
    /// It names the employer on a public repository, and the person has not
    /// published that affiliation themselves.
    PublicRepository,
    /// The sighting has no value for this placeholder.
    MissingValue(Placeholder),
    /// Shadow mode applies no labels.
    Shadow,
    /// The event has no issue or pull request to label.
    NotLabelable,
}

fn as_text<S: serde::Serializer>(reason: &WithheldReason, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(reason)
}

impl fmt::Display for WithheldReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WithheldReason::PublicRepository => f.write_str(
                "public repository, and the person has not made this affiliation public themselves",
            ),
            WithheldReason::MissingValue(p) => write!(f, "no {} to fill in", p.name()),
            WithheldReason::Shadow => f.write_str("shadow mode"),
            WithheldReason::NotLabelable => {
                f.write_str("the event has no issue or pull request to label")
            }
        }
    }
}

/// Decides what to do about `sighting` of a person with `affiliation`;
/// `first_time` says whether it is the first sighting of its account (or,
/// without one, its organization).
pub fn plan(
    rules: &Rules,
    sighting: &Sighting,
    affiliation: &Affiliation,
    first_time: bool,
) -> Plan {
    let shadow = rules.shadow();
    if rules.ignores(&sighting.login) || rules.ignores(&affiliation.login) {
        return Plan {
            shadow,
            ignored: true,
            ..Plan::default()
        };
    }
    let mut out = Plan {
        shadow,
        score: sighting_score(rules, sighting, first_time),
        ..Plan::default()
    };
    let mut notify: Vec<String> = Vec::new();
    for rule in &rules.rules {
        if !rule.matches(sighting, affiliation, first_time, out.score.total) {
            continue;
        }
        out.rules.push(rule.name.clone());
        for template in &rule.labels {
            match decide_label(template, sighting, affiliation, shadow) {
                Ok(name) => {
                    if !out.labels.iter().any(|l| l.eq_ignore_ascii_case(&name)) {
                        out.labels.push(name);
                    }
                }
                Err(w) => {
                    if !out.withheld.contains(&w) {
                        out.withheld.push(w);
                    }
                }
            }
        }
        for channel in &rule.notify {
            if !notify.contains(channel) {
                notify.push(channel.clone());
            }
        }
        if rule.stop {
            break;
        }
    }
    if shadow {
        if !out.rules.is_empty() {
            out.notify.extend(rules.review_channel.iter().cloned());
        }
        out.would_notify = notify;
    } else {
        out.notify = notify;
    }
    out
}

/// A rule that did not apply, and the first of its conditions that failed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Miss {
    pub rule: String,
    pub reason: String,
}

/// Why each rule that does not apply to `sighting` does not, read by the
/// same matcher [`plan`] uses; for explaining a plan (`simulate`).
pub fn misses(
    rules: &Rules,
    sighting: &Sighting,
    affiliation: &Affiliation,
    first_time: bool,
) -> Vec<Miss> {
    let score = sighting_score(rules, sighting, first_time).total;
    rules
        .rules
        .iter()
        .filter_map(|rule| {
            let reason = rule.first_miss(sighting, affiliation, first_time, score)?;
            Some(Miss {
                rule: rule.name.clone(),
                reason,
            })
        })
        .collect()
}

/// The lead score of one sighting: its account, tier, event, topics and
/// whether it is the first contact (see [`crate::score`]).
pub fn sighting_score(rules: &Rules, sighting: &Sighting, first_time: bool) -> Score {
    let topics = sighting
        .intent
        .iter()
        .map(|i| rules.intent.label(&i.topic).to_string())
        .collect();
    score(
        &rules.scoring,
        &Inputs {
            account: sighting.account.is_some(),
            tier: sighting.tier.as_deref(),
            events: vec![sighting.event],
            topics,
            first_contact: first_time,
            people: 1,
            sightings: 1,
        },
    )
}

/// The label name to apply, or why it is withheld.
fn decide_label(
    template: &Template,
    sighting: &Sighting,
    affiliation: &Affiliation,
    shadow: bool,
) -> Result<String, Withheld> {
    let withheld = |label: &str, reason| Withheld {
        label: label.to_string(),
        reason,
    };
    if !sighting.event.labelable() {
        return Err(withheld(template.text(), WithheldReason::NotLabelable));
    }
    let organization = affiliation.organization.as_deref().or(affiliation
        .account
        .as_ref()
        .and(sighting.account_name.as_deref()));
    let name = template
        .render(|p| match p {
            Placeholder::Account => affiliation.account.as_deref(),
            Placeholder::Tier => affiliation.tier.as_deref(),
            Placeholder::Organization => organization,
        })
        .map_err(|p| withheld(template.text(), WithheldReason::MissingValue(p)))?;
    if !sighting.repository_private
        && template
            .placeholders()
            .filter(|p| p.names_employer())
            .any(|p| !self_published(affiliation, p))
    {
        return Err(withheld(&name, WithheldReason::PublicRepository));
    }
    if shadow {
        return Err(withheld(&name, WithheldReason::Shadow));
    }
    Ok(name)
}

/// Whether the strongest evidence naming the account (or organization) is
/// something the person published themselves: a public organization
/// membership, their profile's company field or their bio.
fn self_published(affiliation: &Affiliation, placeholder: Placeholder) -> bool {
    let names_it = |e: &&crate::affiliation::Evidence| match (&affiliation.account, placeholder) {
        (Some(id), _) => e.account.as_deref() == Some(id.as_str()),
        (None, Placeholder::Organization) => match (&e.organization, &affiliation.organization) {
            (Some(a), Some(b)) => same_organization(a, b),
            _ => false,
        },
        (None, _) => false,
    };
    let naming: Vec<_> = affiliation.evidence.iter().filter(names_it).collect();
    let strongest = naming.iter().map(|e| e.strength).fold(0.0, f64::max);
    naming.iter().any(|e| {
        e.strength >= strongest
            && matches!(
                e.signal,
                Signal::OrgMembership
                    | Signal::CompanyMention
                    | Signal::CompanyName
                    | Signal::CompanyUrl
                    | Signal::BioMention
            )
    })
}

#[cfg(test)]
#[path = "plan_tests.rs"]
mod tests;
