//! The dashboard's overview and group page, on both stores, over seeded sightings.

use crate::support::TestDir;
use orgradar::config::DatabaseUrl;
use orgradar::dashboard::model::{EventCounts, Filter, GROUP_PAGE_SIGHTINGS, WeekCount};
use orgradar::sighting::{EventKind, Sighting};
use orgradar::store::Store;
use std::sync::Arc;

const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;
/// Monday 2024-01-01 00:00 UTC.
const MONDAY: i64 = 1_704_067_200_000;

async fn open(dir: &TestDir) -> Arc<dyn Store> {
    orgradar::store::open(&DatabaseUrl::parse(&dir.database_url).unwrap())
        .await
        .unwrap()
}

/// `who` is `account:NAME` (a target account) or an organization.
fn sighting(id: &str, at: i64, who: &str, login: &str, event: EventKind, repo: &str) -> Sighting {
    let account = who.strip_prefix("account:");
    Sighting {
        delivery_id: id.into(),
        at,
        event,
        repository: repo.into(),
        repository_private: false,
        item: None,
        url: format!("https://github.com/{repo}/issues/{id}"),
        login: login.into(),
        account: account.map(str::to_string),
        account_name: account.map(|a| format!("{a} Inc")),
        organization: Some(account.unwrap_or(who).to_string()),
        tier: account.map(|_| "Enterprise".to_string()),
        confidence: 0.9,
        evidence: "company email domain".into(),
        intent: Vec::new(),
        signal: None,
        rules: Vec::new(),
        moved_from: None,
    }
}

fn filter(from: i64, to: i64) -> Filter {
    Filter {
        from,
        to,
        repository: None,
        tier: None,
        event: None,
    }
}

/// Globex (an account): alice ×3, bob ×1 over two weeks; Initech (an
/// organization): carol ×2; one Globex sighting before and one at the end.
async fn seed(store: &dyn Store) {
    use EventKind::*;
    let rows = [
        (
            "g1",
            MONDAY + 2 * HOUR,
            "account:globex",
            "alice",
            IssueOpened,
            "acme/widgets",
        ),
        (
            "g2",
            MONDAY + DAY + 5 * HOUR,
            "account:globex",
            "alice",
            StarCreated,
            "acme/gadgets",
        ),
        (
            "g3",
            MONDAY + 8 * DAY,
            "account:globex",
            "bob",
            IssueOpened,
            "acme/widgets",
        ),
        (
            "g4",
            MONDAY + 9 * DAY + 1,
            "account:globex",
            "alice",
            Fork,
            "acme/widgets",
        ),
        (
            "i1",
            MONDAY + 3 * DAY,
            "Initech",
            "carol",
            PullRequestOpened,
            "acme/widgets",
        ),
        (
            "i2",
            MONDAY + 10 * DAY,
            "Initech",
            "carol",
            IssueCommentCreated,
            "acme/tools",
        ),
        (
            "old",
            MONDAY - DAY,
            "account:globex",
            "dave",
            IssueOpened,
            "acme/old",
        ),
        (
            "end",
            MONDAY + 14 * DAY,
            "account:globex",
            "erin",
            IssueOpened,
            "acme/late",
        ),
    ];
    for (id, at, who, login, event, repo) in rows {
        store
            .record_sighting(&sighting(id, at, who, login, event, repo), &[])
            .await
            .unwrap();
    }
    // A redelivery changes nothing.
    store
        .record_sighting(
            &sighting(
                "g1",
                MONDAY + 2 * HOUR,
                "account:globex",
                "alice",
                IssueOpened,
                "acme/widgets",
            ),
            &[],
        )
        .await
        .unwrap();
}

async fn overview_counts_groups_in_the_period(dir: TestDir) {
    let store = open(&dir).await;
    seed(store.as_ref()).await;
    // Starts mid-day and ends at a day boundary (exclusive): partial days and rollups both.
    let o = store
        .overview(&filter(MONDAY + HOUR, MONDAY + 14 * DAY))
        .await
        .unwrap();
    assert_eq!(o.groups.len(), 2);
    let g = &o.groups[0];
    assert_eq!(g.key, "account:globex");
    assert_eq!(g.name, "globex Inc");
    assert_eq!(g.account.as_deref(), Some("globex"));
    assert_eq!(g.tier.as_deref(), Some("Enterprise"));
    assert_eq!(g.people, 2);
    assert_eq!(
        g.counts,
        EventCounts {
            issues: 2,
            stars: 1,
            forks: 1,
            ..EventCounts::default()
        }
    );
    assert_eq!(
        (g.first_seen, g.last_seen),
        (MONDAY + 2 * HOUR, MONDAY + 9 * DAY + 1)
    );
    let i = &o.groups[1];
    assert_eq!(
        (i.key.as_str(), i.name.as_str()),
        ("org:initech", "Initech")
    );
    assert_eq!((i.account.clone(), i.tier.clone()), (None, None));
    assert_eq!((i.people, i.counts.total()), (1, 2));
    assert_eq!(
        o.repositories,
        ["acme/gadgets", "acme/tools", "acme/widgets"]
    );
    assert_eq!(o.tiers, ["Enterprise"]);
    let week = |start: i64, tier: Option<&str>, n: u64| WeekCount {
        week_start: start,
        tier: tier.map(str::to_string),
        sightings: n,
    };
    assert_eq!(
        o.weeks,
        [
            week(MONDAY, None, 1),
            week(MONDAY, Some("Enterprise"), 2),
            week(MONDAY + 7 * DAY, None, 1),
            week(MONDAY + 7 * DAY, Some("Enterprise"), 2),
        ]
    );
    // `to` is exclusive, `from` inclusive.
    let o = store
        .overview(&filter(MONDAY + 2 * HOUR, MONDAY + 9 * DAY + 1))
        .await
        .unwrap();
    assert_eq!(o.groups[0].counts.total(), 3);
    assert_eq!(o.groups[0].people, 2);
    let o = store
        .overview(&filter(MONDAY + 2 * HOUR + 1, MONDAY + 9 * DAY + 2))
        .await
        .unwrap();
    assert_eq!(o.groups[0].counts.total(), 3);
    assert_eq!(o.groups[0].first_seen, MONDAY + DAY + 5 * HOUR);
    // A period of whole days only, and one inside a single day.
    let o = store
        .overview(&filter(MONDAY - DAY, MONDAY + 15 * DAY))
        .await
        .unwrap();
    assert_eq!((o.groups[0].counts.total(), o.groups[0].people), (6, 4));
    assert!(o.repositories.contains(&"acme/old".to_string()));
    let o = store
        .overview(&filter(MONDAY + 3 * DAY - 1, MONDAY + 3 * DAY + 1))
        .await
        .unwrap();
    assert_eq!(o.groups.len(), 1);
    assert_eq!(
        (o.groups[0].name.as_str(), o.groups[0].people),
        ("Initech", 1)
    );
    assert_eq!(o.repositories, ["acme/widgets"]);
    assert!(o.tiers.is_empty());
    let empty = store
        .overview(&filter(MONDAY + 20 * DAY, MONDAY + 30 * DAY))
        .await
        .unwrap();
    assert!(empty.groups.is_empty() && empty.weeks.is_empty() && empty.repositories.is_empty());
}
crate::on_both_stores!(overview_counts_groups_in_the_period);

async fn overview_filters(dir: TestDir) {
    let store = open(&dir).await;
    seed(store.as_ref()).await;
    let all = filter(MONDAY, MONDAY + 14 * DAY);
    let by_repo = Filter {
        repository: Some("acme/widgets".into()),
        ..all.clone()
    };
    let o = store.overview(&by_repo).await.unwrap();
    let totals: Vec<_> = o
        .groups
        .iter()
        .map(|g| (g.name.as_str(), g.counts.total(), g.people))
        .collect();
    assert_eq!(totals, [("globex Inc", 3, 2), ("Initech", 1, 1)]);
    assert_eq!(
        o.repositories,
        ["acme/gadgets", "acme/tools", "acme/widgets"],
        "unfiltered"
    );

    let by_tier = Filter {
        tier: Some("enterprise".into()),
        ..all.clone()
    };
    let o = store.overview(&by_tier).await.unwrap();
    assert_eq!(o.groups.len(), 1);
    assert_eq!((o.groups[0].counts.total(), o.groups[0].people), (4, 2));
    assert!(
        o.weeks
            .iter()
            .all(|w| w.tier.as_deref() == Some("Enterprise"))
    );

    let by_event = Filter {
        event: Some(EventKind::IssueOpened),
        ..all.clone()
    };
    let o = store.overview(&by_event).await.unwrap();
    assert_eq!(o.groups.len(), 1);
    let g = &o.groups[0];
    assert_eq!((g.counts.issues, g.counts.total(), g.people), (2, 2, 2));
    assert_eq!(
        (g.first_seen, g.last_seen),
        (MONDAY + 2 * HOUR, MONDAY + 8 * DAY)
    );
}
crate::on_both_stores!(overview_filters);

async fn overview_sorts_by_activity_then_name(dir: TestDir) {
    let store = open(&dir).await;
    for (i, (who, n)) in [("Zeta", 2), ("Alpha", 2), ("Beta", 5), ("Gamma", 1)]
        .into_iter()
        .enumerate()
    {
        for k in 0..n {
            let id = format!("{i}-{k}");
            let s = sighting(
                &id,
                MONDAY + k * HOUR,
                who,
                "x",
                EventKind::StarCreated,
                "acme/a",
            );
            store.record_sighting(&s, &[]).await.unwrap();
        }
    }
    let o = store.overview(&filter(MONDAY, MONDAY + DAY)).await.unwrap();
    let names: Vec<_> = o.groups.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(names, ["Beta", "Alpha", "Zeta", "Gamma"]);
}
crate::on_both_stores!(overview_sorts_by_activity_then_name);

async fn group_page(dir: TestDir) {
    let store = open(&dir).await;
    seed(store.as_ref()).await;
    let period = filter(MONDAY, MONDAY + 14 * DAY);
    let page = store
        .group("account:globex", &period)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (
            page.row.name.as_str(),
            page.row.people,
            page.row.counts.total()
        ),
        ("globex Inc", 2, 4)
    );
    let people: Vec<_> = page
        .people
        .iter()
        .map(|p| (p.login.as_str(), p.sightings, p.last_seen))
        .collect();
    assert_eq!(
        people,
        [
            ("alice", 3, MONDAY + 9 * DAY + 1),
            ("bob", 1, MONDAY + 8 * DAY)
        ]
    );
    assert_eq!(
        page.repositories,
        [
            ("acme/widgets".to_string(), 3),
            ("acme/gadgets".to_string(), 1)
        ]
    );
    let ids: Vec<_> = page
        .sightings
        .iter()
        .map(|s| s.delivery_id.as_str())
        .collect();
    assert_eq!(ids, ["g4", "g3", "g2", "g1"]);

    let stars = Filter {
        event: Some(EventKind::StarCreated),
        ..period.clone()
    };
    let page = store
        .group("account:globex", &stars)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(page.sightings.len(), 1);
    assert_eq!(page.people.len(), 1);
    assert!(
        store
            .group(
                "account:globex",
                &filter(MONDAY + 20 * DAY, MONDAY + 21 * DAY)
            )
            .await
            .unwrap()
            .is_none()
    );
    assert!(store.group("org:nobody", &period).await.unwrap().is_none());
    let tools = Filter {
        repository: Some("acme/tools".into()),
        ..period
    };
    assert!(
        store
            .group("account:globex", &tools)
            .await
            .unwrap()
            .is_none()
    );
}
crate::on_both_stores!(group_page);

async fn group_page_lists_the_latest_sightings(dir: TestDir) {
    let store = open(&dir).await;
    let n = GROUP_PAGE_SIGHTINGS as i64 + 5;
    for k in 0..n {
        let s = sighting(
            &format!("d{k:04}"),
            MONDAY + k * 1000,
            "Initech",
            "carol",
            EventKind::StarCreated,
            "acme/a",
        );
        store.record_sighting(&s, &[]).await.unwrap();
    }
    let page = store
        .group("org:initech", &filter(MONDAY, MONDAY + DAY))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(page.row.counts.stars, n as u64);
    assert_eq!(page.people[0].sightings, n as u64);
    assert_eq!(page.sightings.len(), GROUP_PAGE_SIGHTINGS);
    assert_eq!(page.sightings[0].delivery_id, format!("d{:04}", n - 1));
    assert_eq!(
        page.sightings[GROUP_PAGE_SIGHTINGS - 1].delivery_id,
        "d0005"
    );
}
crate::on_both_stores!(group_page_lists_the_latest_sightings);

async fn purge_keeps_the_rollups_true(dir: TestDir) {
    let store = open(&dir).await;
    seed(store.as_ref()).await;
    // Cut in the middle of Globex's second day.
    store.purge(MONDAY + DAY + 6 * HOUR).await.unwrap();
    let o = store
        .overview(&filter(MONDAY - 2 * DAY, MONDAY + 20 * DAY))
        .await
        .unwrap();
    let g = o.groups.iter().find(|g| g.key == "account:globex").unwrap();
    assert_eq!((g.counts.total(), g.people), (3, 3));
    assert_eq!(g.first_seen, MONDAY + 8 * DAY);
    assert!(!o.repositories.contains(&"acme/gadgets".to_string()));
    // Alice's sightings of the first days are gone: she was first seen after
    // this period now, and only Bob was seen in it.
    let o = store
        .overview(&filter(MONDAY + HOUR, MONDAY + 8 * DAY + 1))
        .await
        .unwrap();
    let g = o.groups.iter().find(|g| g.key == "account:globex").unwrap();
    assert_eq!((g.counts.total(), g.people), (1, 1));
    let issues = Filter {
        event: Some(EventKind::IssueOpened),
        ..filter(MONDAY - 2 * DAY, MONDAY + 20 * DAY)
    };
    let o = store.overview(&issues).await.unwrap();
    assert_eq!(o.groups.len(), 1);
    let g = &o.groups[0];
    assert_eq!((g.counts.issues, g.counts.total(), g.people), (2, 2, 2));
    assert_eq!(
        (g.first_seen, g.last_seen),
        (MONDAY + 8 * DAY, MONDAY + 14 * DAY)
    );
    let stars = Filter {
        event: Some(EventKind::StarCreated),
        ..filter(MONDAY - 2 * DAY, MONDAY + 20 * DAY)
    };
    assert!(store.overview(&stars).await.unwrap().groups.is_empty());
    let enterprise = Filter {
        tier: Some("enterprise".into()),
        ..filter(MONDAY + HOUR, MONDAY + 8 * DAY + 1)
    };
    let o = store.overview(&enterprise).await.unwrap();
    assert_eq!((o.groups[0].counts.total(), o.groups[0].people), (1, 1));
}
crate::on_both_stores!(purge_keeps_the_rollups_true);

/// Dana of Hooli: stars on three days (one of them as Gold tier), a fork in
/// between; Ed of Hooli: one comment on the middle day.
async fn seed_hooli(store: &dyn Store) {
    let mut rows = vec![
        (
            "h1",
            MONDAY + 2 * HOUR,
            "dana",
            EventKind::StarCreated,
            None,
        ),
        ("h2", MONDAY + 2 * DAY + HOUR, "dana", EventKind::Fork, None),
        (
            "h3",
            MONDAY + 2 * DAY + 2 * HOUR,
            "ed",
            EventKind::IssueCommentCreated,
            None,
        ),
        (
            "h4",
            MONDAY + 4 * DAY + HOUR,
            "dana",
            EventKind::StarCreated,
            Some("Gold"),
        ),
        (
            "h5",
            MONDAY + 6 * DAY + HOUR,
            "dana",
            EventKind::StarCreated,
            None,
        ),
    ];
    for (id, at, login, event, tier) in rows.drain(..) {
        let mut s = sighting(id, at, "Hooli", login, event, "acme/widgets");
        s.tier = tier.map(str::to_string);
        store.record_sighting(&s, &[]).await.unwrap();
        // Every redelivery changes nothing.
        store.record_sighting(&s, &[]).await.unwrap();
    }
}

async fn people_count_once_across_days_tiers_and_events(dir: TestDir) {
    let store = open(&dir).await;
    seed_hooli(store.as_ref()).await;
    let people = |o: &orgradar::dashboard::model::Overview| {
        o.groups
            .iter()
            .map(|g| (g.counts.total(), g.people))
            .collect::<Vec<_>>()
    };
    // Whole days, partial days, and a period inside one day.
    for (from, to, seen) in [
        (MONDAY, MONDAY + 7 * DAY, (5, 2)),
        (MONDAY + HOUR, MONDAY + 6 * DAY + 2 * HOUR, (5, 2)),
        (MONDAY + 2 * HOUR, MONDAY + 2 * DAY + 2 * HOUR + 1, (3, 2)),
        (MONDAY + 4 * DAY, MONDAY + 7 * DAY, (2, 1)),
    ] {
        let o = store.overview(&filter(from, to)).await.unwrap();
        assert_eq!(people(&o), [seen], "{from}..{to}");
    }
    let stars = Filter {
        event: Some(EventKind::StarCreated),
        ..filter(MONDAY, MONDAY + 7 * DAY)
    };
    let o = store.overview(&stars).await.unwrap();
    assert_eq!(people(&o), [(3, 1)]);
    let g = &o.groups[0];
    assert_eq!(
        (g.first_seen, g.last_seen),
        (MONDAY + 2 * HOUR, MONDAY + 6 * DAY + HOUR)
    );
    assert_eq!(g.tier, None, "of the latest star");
    let gold = Filter {
        tier: Some("gold".into()),
        ..stars.clone()
    };
    let o = store.overview(&gold).await.unwrap();
    assert_eq!(people(&o), [(1, 1)]);
    assert_eq!(o.groups[0].tier.as_deref(), Some("Gold"));
    assert_eq!(o.weeks.len(), 1);
    // Dana starred before and after the middle days but not in them: she
    // counts only where she did something.
    let middle = filter(MONDAY + 2 * DAY, MONDAY + 4 * DAY);
    assert_eq!(people(&store.overview(&middle).await.unwrap()), [(2, 2)]);
    let o = store
        .overview(&Filter {
            event: Some(EventKind::IssueCommentCreated),
            ..middle.clone()
        })
        .await
        .unwrap();
    assert_eq!(people(&o), [(1, 1)]);
    let o = store
        .overview(&Filter {
            event: Some(EventKind::StarCreated),
            ..filter(MONDAY + DAY, MONDAY + 4 * DAY)
        })
        .await
        .unwrap();
    assert!(o.groups.is_empty());
    // Seen before, in and after the period.
    let o = store
        .overview(&Filter {
            event: Some(EventKind::StarCreated),
            ..filter(MONDAY + DAY, MONDAY + 5 * DAY)
        })
        .await
        .unwrap();
    assert_eq!(people(&o), [(1, 1)]);
    let o = store
        .overview(&filter(MONDAY + 2 * DAY + 90 * 60_000, MONDAY + 3 * DAY))
        .await
        .unwrap();
    assert_eq!(people(&o), [(1, 1)], "Ed only");
}
crate::on_both_stores!(people_count_once_across_days_tiers_and_events);
