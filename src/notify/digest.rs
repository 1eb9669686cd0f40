//! The digest's numbers: sightings of a period grouped by account.

use crate::sighting::{EventKind, Sighting};
use crate::time::Millis;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Links kept per account.
pub const LINKS_PER_ACCOUNT: usize = 5;

/// What one channel is told about one period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Digest {
    pub channel: String,
    pub from: Millis,
    pub to: Millis,
    /// An IANA time zone (`Europe/Berlin`) for the dates shown; UTC if unknown.
    pub timezone: String,
    /// Most active first.
    pub accounts: Vec<DigestAccount>,
}

/// One account (or organization, or person) in a digest.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DigestAccount {
    pub name: String,
    pub tier: Option<String>,
    /// Per kind of event, in [`EventKind::SEEN`] order, none zero.
    pub counts: Vec<(EventKind, u64)>,
    /// Distinct repositories.
    pub repositories: u64,
    /// Distinct people.
    pub people: u64,
    /// (label, url), most recent first, at most [`LINKS_PER_ACCOUNT`].
    pub links: Vec<(String, String)>,
}

impl DigestAccount {
    /// Sightings in all.
    pub fn total(&self) -> u64 {
        self.counts.iter().map(|(_, n)| n).sum()
    }
}

impl Digest {
    /// Groups `sightings` by [`Sighting::group_key`], most active first (then by name).
    pub fn from_sightings(
        channel: String,
        from: Millis,
        to: Millis,
        timezone: String,
        sightings: &[Sighting],
    ) -> Digest {
        let mut groups: HashMap<String, Vec<&Sighting>> = HashMap::new();
        for s in sightings {
            groups.entry(s.group_key()).or_default().push(s);
        }
        let mut accounts: Vec<DigestAccount> = groups.into_values().map(account).collect();
        accounts.sort_by(|a, b| {
            b.total()
                .cmp(&a.total())
                .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
                .then_with(|| a.name.cmp(&b.name))
        });
        Digest {
            channel,
            from,
            to,
            timezone,
            accounts,
        }
    }

    /// Sightings in all.
    pub fn total(&self) -> u64 {
        self.accounts.iter().map(DigestAccount::total).sum()
    }
}

fn account(mut group: Vec<&Sighting>) -> DigestAccount {
    // Most recent first; the delivery id breaks ties so the order is stable.
    group.sort_by(|a, b| {
        b.at.cmp(&a.at)
            .then_with(|| a.delivery_id.cmp(&b.delivery_id))
    });
    let latest = group.first().copied();
    let name = latest
        .map(|s| s.group_name().to_string())
        .unwrap_or_default();
    let tier = group.iter().find_map(|s| s.tier.clone());
    let mut counts: BTreeMap<EventKind, u64> = BTreeMap::new();
    let mut repositories = BTreeSet::new();
    let mut people = BTreeSet::new();
    for s in &group {
        *counts.entry(s.event).or_default() += 1;
        repositories.insert(s.repository.to_lowercase());
        people.insert(s.login.to_lowercase());
    }
    let links = group
        .iter()
        .take(LINKS_PER_ACCOUNT)
        .map(|s| (link_label(s), s.url.clone()))
        .collect();
    DigestAccount {
        name,
        tier,
        counts: EventKind::SEEN
            .into_iter()
            .filter_map(|k| counts.get(&k).map(|n| (k, *n)))
            .collect(),
        repositories: repositories.len() as u64,
        people: people.len() as u64,
        links,
    }
}

/// `alice: #12 Crash on start (acme/widgets)` or `bob starred acme/widgets`.
fn link_label(s: &Sighting) -> String {
    match &s.item {
        Some(item) => format!(
            "{}: #{} {} ({})",
            s.login, item.number, item.title, s.repository
        ),
        None => format!("{} {} {}", s.login, s.event.verb_phrase(), s.repository),
    }
}
