//! Data for the page tests: a period of 90 days ending 2026-03-04 12:00 UTC.

use super::dates::{DAY, WEEK, week_start};
use super::view::View;
use crate::dashboard::model::{
    EventCounts, Filter, GroupPage, GroupRow, Overview, Person, WeekCount,
};
use crate::sighting::{EventKind, SightedItem, Sighting};
use crate::time::Millis;

/// 2026-03-04T12:00:00Z, a Wednesday.
pub const NOW: Millis = 1_772_625_600_000;

pub fn view(days: u32) -> View {
    View {
        days,
        signed_in_as: Some("octocat".to_string()),
        now: NOW,
    }
}

pub fn filter(days: u32) -> Filter {
    Filter {
        from: NOW - i64::from(days) * DAY,
        to: NOW,
        repository: None,
        tier: None,
        event: None,
    }
}

fn counts(kinds: &[(EventKind, u64)]) -> EventCounts {
    let mut counts = EventCounts::default();
    for &(kind, n) in kinds {
        counts.add(kind, n);
    }
    counts
}

pub fn acme() -> GroupRow {
    GroupRow {
        key: "account:1001".to_string(),
        name: "Acme Corp".to_string(),
        account: Some("1001".to_string()),
        tier: Some("enterprise".to_string()),
        people: 3,
        counts: counts(&[
            (EventKind::IssueOpened, 4),
            (EventKind::PullRequestOpened, 2),
            (EventKind::IssueCommentCreated, 5),
            (EventKind::StarCreated, 1),
        ]),
        first_seen: NOW - 80 * DAY,
        last_seen: NOW - DAY,
    }
}

fn group(key: &str, name: &str, tier: Option<&str>, stars: u64, days_ago: i64) -> GroupRow {
    GroupRow {
        key: key.to_string(),
        name: name.to_string(),
        account: None,
        tier: tier.map(str::to_string),
        people: 1,
        counts: counts(&[(EventKind::StarCreated, stars), (EventKind::Fork, 1)]),
        first_seen: NOW - days_ago * DAY,
        last_seen: NOW - days_ago * DAY,
    }
}

/// Three groups with sightings in ten of the period's weeks.
pub fn overview() -> Overview {
    let last_week = week_start(NOW);
    let weeks = (0..10)
        .flat_map(|i| {
            let week_start = last_week - (9 - i) * WEEK;
            let enterprise = WeekCount {
                week_start,
                tier: Some("enterprise".to_string()),
                sightings: 1 + (i as u64 % 3),
            };
            let startup = WeekCount {
                week_start,
                tier: Some("startup".to_string()),
                sightings: i as u64 % 2,
            };
            let none = WeekCount {
                week_start,
                tier: None,
                sightings: u64::from(i == 9),
            };
            [enterprise, startup, none]
        })
        .filter(|w| w.sightings > 0)
        .collect();
    Overview {
        filter: filter(90),
        groups: vec![
            acme(),
            group("org:globex", "Globex", Some("startup"), 4, 10),
            group("org:initech", "Initech", None, 1, 2),
        ],
        weeks,
        repositories: vec!["acme/widgets".to_string(), "acme/gadgets".to_string()],
        tiers: vec!["enterprise".to_string(), "startup".to_string()],
    }
}

pub fn empty_overview(days: u32) -> Overview {
    Overview {
        filter: filter(days),
        groups: Vec::new(),
        weeks: Vec::new(),
        repositories: Vec::new(),
        tiers: Vec::new(),
    }
}

pub fn sighting(event: EventKind, login: &str, days_ago: i64, title: Option<&str>) -> Sighting {
    Sighting {
        delivery_id: format!("d-{login}-{days_ago}"),
        at: NOW - days_ago * DAY,
        event,
        repository: "acme/widgets".to_string(),
        repository_private: false,
        item: title.map(|t| SightedItem {
            number: 42,
            title: t.to_string(),
            body: None,
        }),
        url: "https://github.com/acme/widgets/issues/42".to_string(),
        login: login.to_string(),
        account: Some("1001".to_string()),
        account_name: Some("Acme Corp".to_string()),
        organization: Some("acme".to_string()),
        tier: Some("enterprise".to_string()),
        confidence: 0.9,
        evidence: "company email domain acme.com; public member of @acme".to_string(),
        intent: Vec::new(),
        signal: None,
        rules: Vec::new(),
        moved_from: None,
    }
}

pub fn group_page() -> GroupPage {
    let mut star = sighting(EventKind::StarCreated, "wile", 3, None);
    star.url = "https://github.com/acme/widgets".to_string();
    let mut private = sighting(
        EventKind::PullRequestOpened,
        "roadrunner",
        9,
        Some("Faster builds"),
    );
    private.repository = "acme/internal".to_string();
    private.repository_private = true;
    private.url = "https://github.com/acme/internal/pull/42".to_string();
    GroupPage {
        filter: filter(30),
        row: acme(),
        people: vec![
            Person {
                login: "wile".to_string(),
                sightings: 8,
                last_seen: NOW - DAY,
            },
            Person {
                login: "roadrunner".to_string(),
                sightings: 3,
                last_seen: NOW - 9 * DAY,
            },
        ],
        repositories: vec![
            ("acme/widgets".to_string(), 10),
            ("acme/internal".to_string(), 2),
        ],
        sightings: vec![
            sighting(EventKind::IssueOpened, "wile", 1, Some("Crash on start")),
            star,
            private,
        ],
    }
}

/// The HTML with a line break between tags, for snapshots a person can read.
pub fn readable(html: &str) -> String {
    html.replace("><", ">\n<")
}
