//! The lead score: 0 to 100, for one sighting and for an account over a
//! period. Pure: a sum of documented parts, capped at 100, each weighed by
//! app.yml's `scoring:` (defaults in [`Weights::default`]):
//!
//! | part | default |
//! |---|---|
//! | the person belongs to a target account | 20 |
//! | the account's tier (`tiers:`) | strategic 15, enterprise 10, other 0 |
//! | the kind of event (for an account: its weightiest) | pull request or issue 20, discussion 15, comment 10, fork 5, star 2 |
//! | each intent topic asked about | 10, at most 25 |
//! | first contact (the account's, or organization's, first sighting) | 10 |
//! | each further person of the same account (accounts only) | 5, at most 15 |
//! | each further sighting (accounts only) | 1, at most 10 |

mod settings;

pub use settings::{ScoringSettings, build_weights};

use crate::sighting::EventKind;
use serde::Serialize;
use std::collections::BTreeMap;

/// The weights of the score's parts.
#[derive(Debug, Clone, PartialEq)]
pub struct Weights {
    pub account: u32,
    /// Lowercase tier → points.
    pub tiers: BTreeMap<String, u32>,
    pub events: BTreeMap<EventKind, u32>,
    pub topic: u32,
    pub topics_max: u32,
    pub first_contact: u32,
    pub person: u32,
    pub people_max: u32,
    pub activity: u32,
    pub activity_max: u32,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            account: 20,
            tiers: [
                ("strategic".to_string(), 15),
                ("enterprise".to_string(), 10),
            ]
            .into(),
            events: [
                (EventKind::PullRequestOpened, 20),
                (EventKind::IssueOpened, 20),
                (EventKind::DiscussionCreated, 15),
                (EventKind::IssueCommentCreated, 10),
                (EventKind::Fork, 5),
                (EventKind::StarCreated, 2),
            ]
            .into(),
            topic: 10,
            topics_max: 25,
            first_contact: 10,
            person: 5,
            people_max: 15,
            activity: 1,
            activity_max: 10,
        }
    }
}

/// What a score is made of.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inputs<'a> {
    pub account: bool,
    pub tier: Option<&'a str>,
    /// The kinds of event seen (one for a sighting).
    pub events: Vec<EventKind>,
    /// The intent topics asked about (labels, for the explanation).
    pub topics: Vec<String>,
    pub first_contact: bool,
    /// Distinct people (1 for a sighting).
    pub people: u64,
    /// Sightings (1 for a sighting).
    pub sightings: u64,
}

/// One part of a score: "tier strategic +15".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Part {
    pub what: String,
    pub points: u32,
}

/// A score and how it was made.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Score {
    /// 0 to 100.
    pub total: u32,
    /// The parts that added points, in the order of the formula.
    pub parts: Vec<Part>,
}

impl Score {
    /// "target account +20, tier strategic +15, issue +20 = 55".
    pub fn explain(&self) -> String {
        let parts: Vec<String> = self
            .parts
            .iter()
            .map(|p| format!("{} +{}", p.what, p.points))
            .collect();
        if parts.is_empty() {
            return "0".into();
        }
        let capped = if self.parts.iter().map(|p| p.points).sum::<u32>() > 100 {
            " (capped)"
        } else {
            ""
        };
        format!("{} = {}{capped}", parts.join(", "), self.total)
    }
}

/// Scores `inputs` with `weights`.
pub fn score(weights: &Weights, inputs: &Inputs<'_>) -> Score {
    let mut parts = Vec::new();
    let mut add = |what: String, points: u32| {
        if points > 0 {
            parts.push(Part { what, points });
        }
    };
    if inputs.account {
        add("target account".into(), weights.account);
    }
    if let Some(tier) = inputs.tier {
        let points = weights
            .tiers
            .get(&tier.trim().to_lowercase())
            .copied()
            .unwrap_or(0);
        add(format!("tier {tier}"), points);
    }
    if let Some((kind, points)) = inputs
        .events
        .iter()
        .map(|k| (*k, weights.events.get(k).copied().unwrap_or(0)))
        .max_by_key(|(_, p)| *p)
    {
        add(kind.noun().to_string(), points);
    }
    if !inputs.topics.is_empty() {
        let n = inputs.topics.len() as u32;
        add(
            format!("asks about {}", inputs.topics.join(", ")),
            (weights.topic * n).min(weights.topics_max),
        );
    }
    if inputs.first_contact {
        add("first contact".into(), weights.first_contact);
    }
    if inputs.people > 1 {
        let more = (inputs.people - 1).min(100) as u32;
        add(
            format!("{} people", inputs.people),
            (weights.person * more).min(weights.people_max),
        );
    }
    if inputs.sightings > 1 {
        let more = (inputs.sightings - 1).min(1000) as u32;
        add(
            format!("{} sightings", inputs.sightings),
            (weights.activity * more).min(weights.activity_max),
        );
    }
    let total = parts.iter().map(|p| p.points).sum::<u32>().min(100);
    Score { total, parts }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sighting_adds_its_parts_and_says_how() {
        let s = score(
            &Weights::default(),
            &Inputs {
                account: true,
                tier: Some("Strategic"),
                events: vec![EventKind::IssueOpened],
                topics: vec!["SSO".into(), "commercial".into()],
                first_contact: true,
                people: 1,
                sightings: 1,
            },
        );
        assert_eq!(s.total, 85);
        assert_eq!(
            s.explain(),
            "target account +20, tier Strategic +15, issue +20, asks about SSO, commercial +20, first contact +10 = 85"
        );
    }

    #[test]
    fn an_account_counts_people_and_activity_and_is_capped() {
        let inputs = Inputs {
            account: true,
            tier: Some("strategic"),
            events: vec![EventKind::StarCreated, EventKind::PullRequestOpened],
            topics: vec!["SSO".into(), "audit log".into(), "scale".into()],
            first_contact: true,
            people: 4,
            sightings: 30,
        };
        let s = score(&Weights::default(), &inputs);
        assert_eq!(s.total, 100);
        assert!(s.explain().ends_with("= 100 (capped)"), "{}", s.explain());
        let star = score(
            &Weights::default(),
            &Inputs {
                events: vec![EventKind::StarCreated],
                people: 1,
                sightings: 1,
                ..Inputs::default()
            },
        );
        assert_eq!(
            star.total, 2,
            "a star of someone from no account weighs little"
        );
    }
}
