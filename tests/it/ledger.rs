//! The action ledger, throttle slots and sightings, on both stores: what
//! exactly-once, the throttle, the digest and retention rely on.

use crate::support::TestDir;
use orgradar::config::DatabaseUrl;
use orgradar::sighting::{EventKind, Sighting};
use orgradar::store::{ActionRecord, ActionState, Purged, Store};
use std::sync::Arc;

const HOUR: i64 = 3_600_000;

async fn open(dir: &TestDir) -> Arc<dyn Store> {
    orgradar::store::open(&DatabaseUrl::parse(&dir.database_url).unwrap())
        .await
        .unwrap()
}

fn sighting(id: &str, at: i64, account: Option<&str>) -> Sighting {
    Sighting {
        delivery_id: id.into(),
        at,
        event: EventKind::IssueOpened,
        repository: "acme/widgets".into(),
        repository_private: false,
        item: None,
        url: format!("https://github.com/acme/widgets/issues/{id}"),
        login: "alice".into(),
        account: account.map(str::to_string),
        account_name: account.map(|a| format!("{a} Inc")),
        organization: account.map(|a| format!("{a} Inc")),
        tier: Some("enterprise".into()),
        confidence: 0.9,
        evidence: "company email domain globex.com".into(),
        intent: Vec::new(),
        signal: None,
        rules: Vec::new(),
        moved_from: None,
    }
}

async fn throttle_slots_are_taken_once_per_window(dir: TestDir) {
    let store = open(&dir).await;
    let t = 100 * HOUR;
    assert!(
        store
            .take_throttle("product", "account:globex", "d1", t + 24 * HOUR, t)
            .await
            .unwrap()
    );
    assert!(
        store
            .take_throttle("product", "account:globex", "d1", t + 25 * HOUR, t + HOUR)
            .await
            .unwrap(),
        "the holder's retry keeps its slot"
    );
    assert!(
        !store
            .take_throttle("product", "account:globex", "d2", t + 25 * HOUR, t + HOUR)
            .await
            .unwrap()
    );
    assert!(
        store
            .take_throttle("marketing", "account:globex", "d2", t + 25 * HOUR, t + HOUR)
            .await
            .unwrap(),
        "slots are per channel"
    );
    store
        .give_back_throttle("product", "account:globex", "d1")
        .await
        .unwrap();
    assert!(
        store
            .take_throttle(
                "product",
                "account:globex",
                "d2",
                t + 26 * HOUR,
                t + 2 * HOUR
            )
            .await
            .unwrap(),
        "a slot given back is free"
    );
    assert!(
        store
            .take_throttle(
                "product",
                "account:globex",
                "d3",
                t + 60 * HOUR,
                t + 27 * HOUR
            )
            .await
            .unwrap(),
        "a slot is free once its window is over"
    );
    store.close().await;
}
crate::on_both_stores!(throttle_slots_are_taken_once_per_window);

async fn the_ledger_keeps_the_last_state_of_each_action(dir: TestDir) {
    let store = open(&dir).await;
    let record = |state, detail: Option<&str>| ActionRecord {
        state,
        detail: detail.map(str::to_string),
    };
    store
        .record_action(
            "d1",
            "label:enterprise",
            record(ActionState::Started, None),
            1,
        )
        .await
        .unwrap();
    store
        .record_action(
            "d1",
            "label:enterprise",
            record(ActionState::Done, Some("acme/widgets#1")),
            2,
        )
        .await
        .unwrap();
    store
        .record_action(
            "d1",
            "notify:product",
            record(ActionState::Throttled, Some("why")),
            2,
        )
        .await
        .unwrap();
    let ledger = store.actions("d1").await.unwrap();
    assert_eq!(ledger.len(), 2);
    assert_eq!(
        ledger["label:enterprise"],
        record(ActionState::Done, Some("acme/widgets#1"))
    );
    assert!(ledger["notify:product"].state.settled());
    assert!(store.actions("d2").await.unwrap().is_empty());
    store.close().await;
}
crate::on_both_stores!(the_ledger_keeps_the_last_state_of_each_action);

async fn sightings_feed_first_time_and_the_digest_and_are_purged(dir: TestDir) {
    let store = open(&dir).await;
    let channels = ["marketing".to_string()];
    store
        .record_sighting(&sighting("a", 10 * HOUR, Some("globex")), &channels)
        .await
        .unwrap();
    store
        .record_sighting(&sighting("b", 20 * HOUR, Some("globex")), &channels)
        .await
        .unwrap();
    store
        .record_sighting(&sighting("c", 30 * HOUR, Some("initech")), &[])
        .await
        .unwrap();
    // Recording again changes nothing.
    store
        .record_sighting(&sighting("a", 10 * HOUR, Some("globex")), &channels)
        .await
        .unwrap();

    assert!(
        store
            .first_sighting("account:globex", 10 * HOUR, "a")
            .await
            .unwrap()
    );
    assert!(
        !store
            .first_sighting("account:globex", 20 * HOUR, "b")
            .await
            .unwrap()
    );
    assert!(
        store
            .first_sighting("account:initech", 30 * HOUR, "c")
            .await
            .unwrap()
    );

    let week = store
        .channel_sightings("marketing", 0, 40 * HOUR)
        .await
        .unwrap();
    let ids: Vec<&str> = week.iter().map(|s| s.delivery_id.as_str()).collect();
    assert_eq!(ids, ["a", "b"], "only the channel's, oldest first");
    assert_eq!(
        week[0],
        sighting("a", 10 * HOUR, Some("globex")),
        "stored whole"
    );
    assert_eq!(
        store
            .channel_sightings("marketing", 15 * HOUR, 20 * HOUR)
            .await
            .unwrap()
            .len(),
        0,
        "to is exclusive"
    );

    store
        .record_action(
            "a",
            "notify:marketing",
            ActionRecord {
                state: ActionState::Done,
                detail: None,
            },
            10 * HOUR,
        )
        .await
        .unwrap();
    let purged = store.purge(25 * HOUR).await.unwrap();
    assert_eq!(
        purged,
        Purged {
            sightings: 2,
            actions: 1,
            deliveries: 0
        }
    );
    assert!(
        store
            .channel_sightings("marketing", 0, 40 * HOUR)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        store
            .first_sighting("account:initech", 30 * HOUR, "c")
            .await
            .unwrap()
    );
    store.close().await;
}
crate::on_both_stores!(sightings_feed_first_time_and_the_digest_and_are_purged);

async fn tracking_issues_are_remembered_per_repository(dir: TestDir) {
    let store = open(&dir).await;
    assert_eq!(
        store
            .tracking_issue("acme/leads", "account:globex")
            .await
            .unwrap(),
        None
    );
    store
        .set_tracking_issue("Acme/Leads", "account:globex", 12)
        .await
        .unwrap();
    assert_eq!(
        store
            .tracking_issue("acme/leads", "account:globex")
            .await
            .unwrap(),
        Some(12)
    );
    assert_eq!(
        store
            .tracking_issue("acme/other", "account:globex")
            .await
            .unwrap(),
        None
    );
    store.close().await;
}
crate::on_both_stores!(tracking_issues_are_remembered_per_repository);
