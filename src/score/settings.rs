//! `scoring:` in app.yml: the weights of the lead score's parts. Every key
//! is optional; what is not given keeps its default.
//!
//! ```yaml
//! scoring:
//!   account: 20
//!   tiers: { strategic: 15, enterprise: 10 }
//!   events: { pull_request.opened: 20, issues.opened: 20, star.created: 2 }
//!   topic: 10
//!   topics_max: 25
//!   first_contact: 10
//!   person: 5
//!   people_max: 15
//!   activity: 1
//!   activity_max: 10
//! ```

use super::Weights;
use crate::sighting::EventKind;
use serde::Deserialize;
use serde_saphyr::{Location, Spanned};
use std::collections::BTreeMap;

type Points = Option<Spanned<u32>>;

/// `scoring:` as written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoringSettings {
    pub account: Points,
    #[serde(default)]
    pub tiers: BTreeMap<String, Spanned<u32>>,
    #[serde(default)]
    pub events: BTreeMap<String, Spanned<u32>>,
    pub topic: Points,
    pub topics_max: Points,
    pub first_contact: Points,
    pub person: Points,
    pub people_max: Points,
    pub activity: Points,
    pub activity_max: Points,
}

/// The weights `settings` give, or the place and text of a mistake.
pub fn build_weights(settings: &ScoringSettings) -> Result<Weights, (Location, String)> {
    let mut w = Weights::default();
    let points = |key: &str, value: &Spanned<u32>| {
        if value.value > 100 {
            Err((
                value.referenced,
                format!(
                    "scoring.{key} is {}, but a score runs from 0 to 100: give it at most 100",
                    value.value
                ),
            ))
        } else {
            Ok(value.value)
        }
    };
    let s = settings;
    for (key, slot, value) in [
        ("account", &mut w.account, &s.account),
        ("topic", &mut w.topic, &s.topic),
        ("topics_max", &mut w.topics_max, &s.topics_max),
        ("first_contact", &mut w.first_contact, &s.first_contact),
        ("person", &mut w.person, &s.person),
        ("people_max", &mut w.people_max, &s.people_max),
        ("activity", &mut w.activity, &s.activity),
        ("activity_max", &mut w.activity_max, &s.activity_max),
    ] {
        if let Some(v) = value {
            *slot = points(key, v)?;
        }
    }
    for (tier, value) in &s.tiers {
        let p = points(&format!("tiers.{tier}"), value)?;
        w.tiers.insert(tier.trim().to_lowercase(), p);
    }
    for (name, value) in &s.events {
        let Some(kind) = EventKind::parse(name.trim()) else {
            return Err((
                value.referenced,
                format!(
                    "scoring.events names `{name}`, which is no event orgradar knows; use one of {}",
                    EventKind::ALL.map(EventKind::as_str).join(", ")
                ),
            ));
        };
        w.events
            .insert(kind, points(&format!("events.{name}"), value)?);
    }
    Ok(w)
}
