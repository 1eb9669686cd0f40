//! What target accounts ask for: the intent topics of a period's sightings
//! from target accounts, by topic, with the accounts, the tiers and the
//! items each came from. The dashboard's product view and the product digest
//! both read it. Pure: no I/O, no clock.

use crate::intent::{Source, Taxonomy};
use crate::sighting::{EventKind, Sighting};
use crate::time::Millis;
use serde::Serialize;
use std::collections::BTreeMap;

/// One topic of the period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TopicAsks {
    /// `sso`
    pub topic: String,
    /// `SSO`
    pub label: String,
    /// The accounts that asked, most items first, then by name.
    pub accounts: Vec<AccountAsks>,
    /// Accounts by tier (`None`: no tier), most first, then by tier.
    pub tiers: Vec<(Option<String>, u64)>,
    /// The items it came from, newest first.
    pub items: Vec<AskedItem>,
}

/// One account asking about one topic.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AccountAsks {
    /// `account:ID`
    pub key: String,
    pub name: String,
    pub tier: Option<String>,
    pub items: u64,
}

/// An item a topic was found in.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AskedItem {
    pub at: Millis,
    pub account: String,
    pub tier: Option<String>,
    pub login: String,
    pub event: EventKind,
    pub repository: String,
    pub title: Option<String>,
    pub url: String,
    pub phrase: String,
    pub source: Source,
}

/// The topics `sightings` from target accounts ask about, the most asked
/// first (by accounts, then items, then label). `tier` keeps one tier only
/// (case-insensitive).
pub fn topics_asked(
    sightings: &[Sighting],
    taxonomy: &Taxonomy,
    tier: Option<&str>,
) -> Vec<TopicAsks> {
    let mut by_topic: BTreeMap<&str, Vec<(&Sighting, usize)>> = BTreeMap::new();
    for s in sightings {
        if s.account.is_none()
            || tier.is_some_and(|t| !s.tier.as_deref().is_some_and(|x| x.eq_ignore_ascii_case(t)))
        {
            continue;
        }
        for (i, intent) in s.intent.iter().enumerate() {
            by_topic.entry(&intent.topic).or_default().push((s, i));
        }
    }
    let mut out: Vec<TopicAsks> = by_topic
        .into_iter()
        .map(|(topic, found)| {
            let mut accounts: BTreeMap<String, AccountAsks> = BTreeMap::new();
            let mut items = Vec::new();
            for (s, i) in found {
                let key = s.group_key();
                accounts
                    .entry(key.clone())
                    .or_insert_with(|| AccountAsks {
                        key,
                        name: s.group_name().to_string(),
                        tier: s.tier.clone(),
                        items: 0,
                    })
                    .items += 1;
                items.push(AskedItem {
                    at: s.at,
                    account: s.group_name().to_string(),
                    tier: s.tier.clone(),
                    login: s.login.clone(),
                    event: s.event,
                    repository: s.repository.clone(),
                    title: s.item.as_ref().map(|i| i.title.clone()),
                    url: s.url.clone(),
                    phrase: s.intent[i].phrase.clone(),
                    source: s.intent[i].source,
                });
            }
            items.sort_by(|a, b| b.at.cmp(&a.at).then_with(|| a.url.cmp(&b.url)));
            let mut accounts: Vec<AccountAsks> = accounts.into_values().collect();
            accounts.sort_by(|a, b| b.items.cmp(&a.items).then_with(|| a.name.cmp(&b.name)));
            let mut tiers: BTreeMap<Option<String>, u64> = BTreeMap::new();
            for a in &accounts {
                *tiers.entry(a.tier.clone()).or_default() += 1;
            }
            let mut tiers: Vec<(Option<String>, u64)> = tiers.into_iter().collect();
            tiers.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            TopicAsks {
                topic: topic.to_string(),
                label: taxonomy.label(topic).to_string(),
                accounts,
                tiers,
                items,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.accounts
            .len()
            .cmp(&a.accounts.len())
            .then_with(|| b.items.len().cmp(&a.items.len()))
            .then_with(|| a.label.cmp(&b.label))
    });
    out
}

/// "SSO: 4 accounts (Globex, Initech, …), 6 items": one line of the product
/// digest, naming at most `names` accounts.
pub fn summary_line(t: &TopicAsks, names: usize) -> String {
    let mut shown: Vec<&str> = t
        .accounts
        .iter()
        .take(names)
        .map(|a| a.name.as_str())
        .collect();
    if t.accounts.len() > names {
        shown.push("…");
    }
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    format!(
        "{}: {} ({}), {}",
        t.label,
        plural(t.accounts.len(), "account", "accounts"),
        shown.join(", "),
        plural(t.items.len(), "item", "items")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::intent::Intent;
    use crate::sighting::SightedItem;

    fn asked(id: &str, account: Option<&str>, tier: &str, topics: &[&str]) -> Sighting {
        Sighting {
            delivery_id: id.into(),
            at: id.len() as i64,
            event: EventKind::IssueOpened,
            repository: "acme/widgets".into(),
            repository_private: false,
            item: Some(SightedItem {
                number: 1,
                title: format!("item {id}"),
                body: None,
            }),
            url: format!("https://github.com/acme/widgets/issues/{id}"),
            login: format!("{id}-login"),
            account: account.map(str::to_string),
            account_name: account.map(|a| a.to_string()),
            organization: Some(account.unwrap_or("Freelancers Ltd").to_string()),
            tier: Some(tier.to_string()),
            confidence: 0.9,
            evidence: String::new(),
            intent: topics
                .iter()
                .map(|t| Intent {
                    topic: t.to_string(),
                    phrase: "x".into(),
                    source: Source::Title,
                })
                .collect(),
            signal: None,
            rules: Vec::new(),
            moved_from: None,
        }
    }

    #[test]
    fn topics_by_accounts_then_items_from_target_accounts_only() {
        let sightings = [
            asked("1", Some("Globex"), "enterprise", &["sso", "commercial"]),
            asked("22", Some("Globex"), "enterprise", &["sso"]),
            asked("333", Some("Initech"), "strategic", &["sso"]),
            asked("4444", Some("Initech"), "strategic", &["audit"]),
            asked("55555", Some("Hooli"), "enterprise", &["audit"]),
            asked("666666", None, "", &["commercial", "scale"]),
        ];
        let t = topics_asked(&sightings, &Taxonomy::default(), None);
        let lines: Vec<String> = t.iter().map(|t| summary_line(t, 2)).collect();
        assert_eq!(
            lines,
            [
                "SSO: 2 accounts (Globex, Initech), 3 items",
                "audit log: 2 accounts (Hooli, Initech), 2 items",
                "commercial: 1 account (Globex), 1 item",
            ]
        );
        assert_eq!(
            t[0].tiers,
            [
                (Some("enterprise".into()), 1),
                (Some("strategic".into()), 1)
            ]
        );
        assert_eq!(
            t[0].items[0].url,
            "https://github.com/acme/widgets/issues/333"
        );
        let strategic = topics_asked(&sightings, &Taxonomy::default(), Some("Strategic"));
        assert_eq!(strategic.len(), 2);
        let three = [
            asked("a", Some("A"), "t", &["sso"]),
            asked("b", Some("B"), "t", &["sso"]),
            asked("c", Some("C"), "t", &["sso"]),
        ];
        let t = topics_asked(&three, &Taxonomy::default(), None);
        assert_eq!(summary_line(&t[0], 2), "SSO: 3 accounts (A, B, …), 3 items");
    }
}
