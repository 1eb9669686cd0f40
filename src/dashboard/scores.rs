//! The lead score of each account over a period (see [`crate::score`]):
//! its tier, its weightiest kind of event, the topics it asked about, whether
//! the period holds its first contact, its people and its activity.

use super::model::GroupRow;
use crate::intent::Taxonomy;
use crate::score::{Inputs, Score, Weights, score};
use crate::sighting::{EventKind, Sighting};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// An account and its score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoredGroup {
    pub row: GroupRow,
    pub score: Score,
}

/// Scores `groups`, highest first (then most active, then by name).
/// `asking` are the period's sightings with topics; `new_groups` the groups
/// whose first contact falls in the period.
pub fn account_scores(
    groups: &[GroupRow],
    asking: &[Sighting],
    new_groups: &BTreeSet<String>,
    taxonomy: &Taxonomy,
    weights: &Weights,
) -> Vec<ScoredGroup> {
    let mut topics: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
    for s in asking {
        let entry = topics.entry(s.group_key()).or_default();
        entry.extend(s.intent.iter().map(|i| i.topic.as_str()));
    }
    let mut out: Vec<ScoredGroup> = groups
        .iter()
        .map(|g| {
            let asked = topics
                .get(&g.key)
                .map(|t| t.iter().map(|id| taxonomy.label(id).to_string()).collect())
                .unwrap_or_default();
            let inputs = Inputs {
                account: g.account.is_some(),
                tier: g.tier.as_deref(),
                events: EventKind::SEEN
                    .into_iter()
                    .filter(|k| g.counts.get(*k) > 0)
                    .collect(),
                topics: asked,
                first_contact: new_groups.contains(&g.key),
                people: g.people,
                sightings: g.counts.total(),
            };
            ScoredGroup {
                row: g.clone(),
                score: score(weights, &inputs),
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.score
            .total
            .cmp(&a.score.total)
            .then_with(|| b.row.counts.total().cmp(&a.row.counts.total()))
            .then_with(|| a.row.name.cmp(&b.row.name))
    });
    out
}
