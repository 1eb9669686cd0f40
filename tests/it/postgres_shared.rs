//! PostgreSQL for several instances: two servers on one database share a
//! burst without doing anything twice, and an outage of the database loses
//! nothing that was acknowledged.

use crate::support::app::App;
use crate::support::proxy::Relay;
use crate::support::*;
use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

fn done_once(dir: &TestDir, ids: &BTreeSet<String>) {
    let done: std::collections::BTreeMap<String, i64> = dir
        .counts("SELECT delivery_id, COUNT(*) FROM delivery_attempts WHERE outcome = 'done' GROUP BY delivery_id")
        .into_iter()
        .collect();
    for id in ids {
        assert_eq!(
            done.get(id),
            Some(&1),
            "{id} should be processed to completion exactly once"
        );
    }
}

fn done_count(dir: &TestDir) -> i64 {
    dir.counts("SELECT 'all', COUNT(*) FROM deliveries WHERE status = 'done'")[0].1
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_share_a_burst_with_duplicates_and_do_each_delivery_once() {
    let app = App::start().await;
    let Some(dir) = TestDir::new(db::Backend::Postgres, "two_instances_share_a_burst") else {
        return;
    };
    let a = app.serve(&dir, &[], &[]);
    let b = app.serve(&dir, &[], &[]);
    let c = client();
    let urls = Arc::new([a.webhook_url(), b.webhook_url()]);
    let limit = Arc::new(tokio::sync::Semaphore::new(32));
    let mut sends = Vec::new();
    // 2,000 deliveries, and every fifth sent again to the other instance (GitHub redelivering).
    for i in 0..2000u64 {
        for copy in 0..(if i % 5 == 0 { 2 } else { 1 }) {
            let (c, urls, limit) = (c.clone(), urls.clone(), limit.clone());
            sends.push(tokio::spawn(async move {
                let _permit = limit.acquire().await.unwrap();
                let body = issue_opened(i, "burst");
                let url = &urls[((i + copy) % 2) as usize];
                // A 503 (the database busy past its timeout) is redelivered, as GitHub allows.
                let mut status = 0;
                for _ in 0..10 {
                    let r = delivery(&c, url, "issues", &format!("burst-{i}"), &body)
                        .send()
                        .await
                        .unwrap();
                    status = r.status().as_u16();
                    if status != 503 {
                        break;
                    }
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                status
            }));
        }
    }
    let mut statuses = std::collections::BTreeMap::new();
    for s in sends {
        *statuses.entry(s.await.unwrap()).or_insert(0) += 1;
    }
    assert_eq!(statuses.get(&202), Some(&2000), "{statuses:?}");
    assert_eq!(statuses.get(&200), Some(&400), "{statuses:?}");
    let ids: BTreeSet<String> = (0..2000).map(|i| format!("burst-{i}")).collect();
    wait_until(Duration::from_secs(60), "the burst processed", || {
        done_count(&dir) == 2000
    });
    done_once(&dir, &ids);
    let workers = dir.counts("SELECT worker, COUNT(*) FROM delivery_attempts GROUP BY worker");
    assert_eq!(workers.len(), 2, "both instances took part: {workers:?}");
    assert_eq!(
        workers.iter().map(|(_, n)| n).sum::<i64>(),
        2000,
        "no delivery attempted twice: {workers:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_outage_is_refused_with_503_and_loses_nothing_acknowledged() {
    let app = App::start().await;
    let Some(mut dir) = TestDir::new(db::Backend::Postgres, "a_database_outage") else {
        return;
    };
    let target = {
        let after_at = dir
            .database_url
            .split('@')
            .nth(1)
            .unwrap_or("127.0.0.1:5432/x");
        after_at.split('/').next().unwrap().to_string()
    };
    let relay = Relay::start(target.clone()).await;
    let direct = dir.database_url.clone();
    dir.database_url = direct.replace(&target, &format!("127.0.0.1:{}", relay.port));
    let server = app.serve(&dir, &[], &[]);
    let c = client();
    let post = |i: u64| {
        let body = issue_opened(i, "outage");
        delivery(
            &c,
            &server.webhook_url(),
            "issues",
            &format!("outage-{i}"),
            &body,
        )
        .send()
    };
    let mut acknowledged = BTreeSet::new();
    for i in 0..50 {
        assert_eq!(post(i).await.unwrap().status(), 202);
        acknowledged.insert(format!("outage-{i}"));
    }

    relay.down();
    for i in 50..55 {
        let r = post(i).await.unwrap();
        assert_eq!(r.status(), 503, "while the database is down");
        assert!(r.text().await.unwrap().contains("redeliver"));
    }
    relay.up();

    // Redelivered by GitHub once orgradar is healthy again, and new ones.
    for i in 50..100 {
        let mut status = 0;
        for _ in 0..20 {
            status = post(i).await.unwrap().status().as_u16();
            if status == 202 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
        assert_eq!(status, 202, "outage-{i} after the database came back");
        acknowledged.insert(format!("outage-{i}"));
    }
    dir.database_url = direct;
    wait_until(
        Duration::from_secs(60),
        "everything acknowledged processed",
        || done_count(&dir) == 100,
    );
    done_once(&dir, &acknowledged);
    let metrics = server.metrics().await;
    let refused: u64 = metrics
        .lines()
        .find_map(|l| {
            l.strip_prefix(r#"orgradar_webhook_refusals_total{reason="store_unavailable"} "#)
        })
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0);
    assert!(
        refused >= 5,
        "the outage's refusals are counted as store_unavailable: {metrics}"
    );
}

/// A delivery another instance is working on, as its row stands while it holds the lease.
const HELD_ELSEWHERE: &str = "INSERT INTO deliveries (id, event, action, installation_id, repository, \
     received_at, payload, status, attempts, next_attempt_at, lease_owner, lease_until, updated_at) \
     VALUES ('held-1', 'issues', 'opened', 1, 'acme/widgets', 1, '{}', 'processing', 1, 1, \
     'instance-a', 9000000000000, 1)";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_instance_starting_leaves_the_running_instances_work_alone() {
    let app = App::start().await;
    let Some(dir) = TestDir::new(db::Backend::Postgres, "an_instance_starting") else {
        return;
    };
    assert!(cli(&dir, &["migrate"]).status.success());
    dir.execute(HELD_ELSEWHERE);
    // A rolling deploy: a new machine starts while instance A is at work.
    let b = app.serve(&dir, &[], &[]);
    let r = delivery(
        &client(),
        &b.webhook_url(),
        "issues",
        "fresh-1",
        &issue_opened(1, "x"),
    )
    .send()
    .await
    .unwrap();
    assert_eq!(r.status(), 202);
    wait_until(
        Duration::from_secs(20),
        "B processed its own delivery",
        || done_count(&dir) == 1,
    );
    let held = dir.counts(
        "SELECT lease_owner || ' ' || status, CAST(attempts AS BIGINT) FROM deliveries WHERE id = 'held-1'",
    );
    assert_eq!(
        held,
        [("instance-a processing".to_string(), 1)],
        "B must not take back a delivery whose lease A still holds"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_single_sqlite_process_takes_back_what_its_last_run_left_processing() {
    let Some(dir) = TestDir::new(db::Backend::Sqlite, "sqlite_takes_back") else {
        return;
    };
    assert!(cli(&dir, &["migrate"]).status.success());
    dir.execute(HELD_ELSEWHERE);
    let _server = Server::start(&dir);
    wait_until(
        Duration::from_secs(20),
        "the interrupted delivery processed again at once",
        || done_count(&dir) == 1,
    );
}
