//! The work queue, on both stores: what a claim takes, when a failed delivery
//! comes back, and how a dead worker's deliveries are taken again.

use crate::support::TestDir;
use orgradar::config::DatabaseUrl;
use orgradar::store::{Claimed, Ingested, Lease, NewDelivery, Outcome, Status, Store};
use std::sync::Arc;

const LEASE: i64 = 60_000;

async fn open(dir: &TestDir) -> Arc<dyn Store> {
    orgradar::store::open(&DatabaseUrl::parse(&dir.database_url).unwrap())
        .await
        .unwrap()
}

async fn queue(store: &dyn Store, id: &str, at: i64) {
    queue_event(store, id, "issues", at).await;
}

async fn queue_event(store: &dyn Store, id: &str, event: &str, at: i64) {
    store.ingest(delivery(id, event, at)).await.unwrap();
}

fn delivery(id: &str, event: &str, at: i64) -> NewDelivery {
    NewDelivery {
        id: id.into(),
        event: event.into(),
        action: Some("opened".into()),
        installation_id: Some(1),
        repository: Some("acme/widgets".into()),
        received_at: at,
        payload: "{}".into(),
    }
}

fn ids(claimed: &[Claimed]) -> Vec<&str> {
    let mut ids: Vec<&str> = claimed.iter().map(|c| c.id.as_str()).collect();
    ids.sort();
    ids
}

async fn a_claim_takes_queued_work_then_due_retries_and_expired_leases(dir: TestDir) {
    let store = open(&dir).await;
    let t = 1_000_000;
    for id in ["a", "b", "c"] {
        queue(store.as_ref(), id, t).await;
    }
    let first = store.claim("w1", 10, t, LEASE).await.unwrap();
    assert_eq!(ids(&first), ["a", "b", "c"]);
    assert!(
        store.claim("w2", 10, t, LEASE).await.unwrap().is_empty(),
        "a held lease is not taken"
    );
    let [a, b, _c] = first.as_slice() else {
        panic!("{first:?}")
    };
    assert!(store.finish(a, Outcome::Done, t + 1).await.unwrap());
    let retry = Outcome::Retry {
        error: "502 from GitHub".into(),
        at: t + 10_000,
    };
    assert!(store.finish(b, retry, t + 1).await.unwrap());
    // w1 dies holding c.

    let early = t + 5_000;
    assert!(
        store
            .claim("w2", 10, early, LEASE)
            .await
            .unwrap()
            .is_empty(),
        "neither a retry before its time nor a lease still running is taken"
    );
    let later = t + LEASE + 1;
    let retaken = store.claim("w2", 10, later, LEASE).await.unwrap();
    assert_eq!(ids(&retaken), ["b", "c"]);
    assert!(retaken.iter().all(|c| c.attempt == 2 && c.owner == "w2"));

    let (row, attempts) = store.get("c").await.unwrap().unwrap();
    assert_eq!(row.status, Status::Processing);
    let outcomes: Vec<(u32, &str, Option<&str>)> = attempts
        .iter()
        .map(|a| (a.attempt, a.worker.as_str(), a.outcome.as_deref()))
        .collect();
    assert_eq!(
        outcomes,
        [(1, "w1", Some("interrupted")), (2, "w2", None)],
        "the dead worker's attempt is closed as interrupted"
    );
    let stale = first.iter().find(|x| x.id == "c").unwrap();
    assert!(
        !store.finish(stale, Outcome::Done, later + 1).await.unwrap(),
        "the dead worker's late outcome is refused: the delivery is w2's now"
    );
    for c in &retaken {
        assert!(store.finish(c, Outcome::Done, later + 2).await.unwrap());
    }
    assert_eq!(
        store.get("c").await.unwrap().unwrap().0.status,
        Status::Done
    );
    store.close().await;
}
crate::on_both_stores!(a_claim_takes_queued_work_then_due_retries_and_expired_leases);

async fn issues_come_before_stars_which_still_get_their_share_and_waits_cost_no_attempt(
    dir: TestDir,
) {
    let store = open(&dir).await;
    let t = 1_000_000;
    // The stars came first, the issues after.
    for n in 0..6 {
        queue_event(store.as_ref(), &format!("star{n}"), "star", t + n).await;
    }
    for n in 0..6 {
        queue_event(store.as_ref(), &format!("issue{n}"), "issues", t + 10 + n).await;
    }
    let first = store.claim("w1", 4, t + 100, LEASE).await.unwrap();
    assert_eq!(
        ids(&first),
        ["issue0", "issue1", "issue2", "star0"],
        "three issues, and one star so that stars are never starved"
    );
    let second = store.claim("w1", 4, t + 100, LEASE).await.unwrap();
    assert_eq!(ids(&second), ["issue3", "issue4", "issue5", "star1"]);
    let rest = store.claim("w1", 10, t + 100, LEASE).await.unwrap();
    assert_eq!(ids(&rest), ["star2", "star3", "star4", "star5"]);

    // A wait is not a failure: the delivery comes back at its time with its
    // attempt budget intact, and shows as waiting meanwhile.
    let issue0 = first.iter().find(|c| c.id == "issue0").unwrap();
    assert_eq!(issue0.budget_used, 1);
    let wait = Outcome::Wait {
        reason: "waiting for GitHub's rate limit to reset".into(),
        at: t + 60_000,
    };
    assert!(store.finish(issue0, wait, t + 200).await.unwrap());
    let (row, attempts) = store.get("issue0").await.unwrap().unwrap();
    assert_eq!(row.status, Status::Waiting);
    assert_eq!(attempts[0].outcome.as_deref(), Some("waiting"));
    assert!(
        store
            .claim("w1", 10, t + 59_999, LEASE)
            .await
            .unwrap()
            .is_empty()
    );
    let again = store.claim("w1", 10, t + 60_000, LEASE).await.unwrap();
    assert_eq!(ids(&again), ["issue0"]);
    assert_eq!(again[0].attempt, 2);
    assert_eq!(again[0].budget_used, 1, "the wait gave its attempt back");
    let backlog = store.backlog().await.unwrap();
    assert!(!backlog.iter().any(|(s, n)| *s == Status::Waiting && *n > 0));
    store.close().await;
}
crate::on_both_stores!(
    issues_come_before_stars_which_still_get_their_share_and_waits_cost_no_attempt
);

async fn a_delivery_stored_with_a_lease_is_the_workers_at_once_and_only_once(dir: TestDir) {
    let store = open(&dir).await;
    let t = 1_000_000;
    let lease = Lease {
        owner: "w1".into(),
        until: t + LEASE,
    };
    // The worker's side of the hand-over: a channel.
    let (to_worker, handed) = std::sync::mpsc::channel::<Claimed>();
    let take = |tx: std::sync::mpsc::Sender<Claimed>| {
        Box::new(move |c: Claimed| tx.send(c).unwrap()) as orgradar::store::TakeOver
    };
    let ingested = store
        .ingest_claimed(delivery("a", "issues", t), &lease, take(to_worker.clone()))
        .await
        .unwrap();
    assert_eq!(ingested, Ingested::Queued);
    let a = handed
        .try_recv()
        .expect("once stored, the delivery is handed over leased");
    assert_eq!((a.id.as_str(), a.attempt, a.budget_used), ("a", 1, 1));
    assert_eq!((a.owner.as_str(), a.payload.as_str()), ("w1", "{}"));
    let (row, attempts) = store.get("a").await.unwrap().unwrap();
    assert_eq!(row.status, Status::Processing);
    let started: Vec<(u32, &str, i64, Option<&str>)> = attempts
        .iter()
        .map(|x| {
            (
                x.attempt,
                x.worker.as_str(),
                x.started_at,
                x.outcome.as_deref(),
            )
        })
        .collect();
    assert_eq!(started, [(1, "w1", t, None)], "its first attempt is open");

    let again = store
        .ingest_claimed(delivery("a", "issues", t + 1), &lease, take(to_worker))
        .await
        .unwrap();
    assert_eq!(again, Ingested::Duplicate);
    assert!(
        handed.try_recv().is_err(),
        "a redelivery is a duplicate, not a second lease"
    );
    assert!(
        store
            .claim("w2", 10, t + 1, LEASE)
            .await
            .unwrap()
            .is_empty(),
        "no claim takes a delivery leased at ingest while its lease runs"
    );
    // The worker dies before its outcome: the lease runs out and another takes it.
    let later = t + LEASE + 1;
    let retaken = store.claim("w2", 10, later, LEASE).await.unwrap();
    assert_eq!(ids(&retaken), ["a"]);
    assert_eq!(retaken[0].attempt, 2);
    assert!(
        !store.finish(&a, Outcome::Done, later + 1).await.unwrap(),
        "the first worker's late outcome is refused"
    );
    assert!(
        store
            .finish(&retaken[0], Outcome::Done, later + 1)
            .await
            .unwrap()
    );
    let (row, attempts) = store.get("a").await.unwrap().unwrap();
    assert_eq!(row.status, Status::Done);
    let outcomes: Vec<Option<&str>> = attempts.iter().map(|x| x.outcome.as_deref()).collect();
    assert_eq!(outcomes, [Some("interrupted"), Some("done")]);
    store.close().await;
}
crate::on_both_stores!(a_delivery_stored_with_a_lease_is_the_workers_at_once_and_only_once);
