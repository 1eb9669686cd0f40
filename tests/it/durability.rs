//! Acknowledged means stored: a server killed with SIGKILL loses nothing it
//! acknowledged, and a restart processes each delivery to completion once.

use crate::support::app::App;
use crate::support::*;
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

/// delivery id -> number of attempts that ended `done`.
fn done_attempts(dir: &TestDir) -> BTreeMap<String, i64> {
    dir.counts("SELECT delivery_id, COUNT(*) FROM delivery_attempts WHERE outcome = 'done' GROUP BY delivery_id")
        .into_iter()
        .collect()
}

fn assert_each_done_once(dir: &TestDir, acknowledged: &BTreeSet<String>) {
    let stored: BTreeSet<String> = deliveries(dir)
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_string())
        .collect();
    let lost: Vec<_> = acknowledged.difference(&stored).collect();
    assert!(lost.is_empty(), "acknowledged but not stored: {lost:?}");
    let done = done_attempts(dir);
    for id in acknowledged {
        assert_eq!(
            done.get(id),
            Some(&1),
            "{id} should be processed to completion exactly once"
        );
    }
}

async fn acknowledged_deliveries_survive_sigkill_and_are_processed_once_after_restart(
    dir: TestDir,
) {
    let app = App::start().await;
    // Ingest only, so everything is still queued when the process dies.
    let mut server = app.serve(&dir, &[], &["--no-worker"]);
    let c = client();
    let mut acknowledged = BTreeSet::new();
    let posts = (0..300).map(|i| {
        let body = issue_opened(i, &format!("user{i}"));
        let id = format!("kill-{i}");
        let req = delivery(&c, &server.webhook_url(), "issues", &id, &body);
        async move { (id, req.send().await.unwrap().status()) }
    });
    for (id, status) in futures_join_all(posts).await {
        assert_eq!(status, 202, "{id}");
        acknowledged.insert(id);
    }
    server.kill();

    let _server = app.serve(&dir, &[], &[]);
    wait_until(
        Duration::from_secs(30),
        "all deliveries done after the restart",
        || {
            deliveries(&dir)
                .iter()
                .filter(|d| d["status"] == "done")
                .count()
                == acknowledged.len()
        },
    );
    assert_each_done_once(&dir, &acknowledged);
}

async fn a_kill_in_the_middle_of_processing_leaves_nothing_half_done(dir: TestDir) {
    let app = App::start().await;
    let mut server = app.serve(&dir, &[], &[]);
    let c = client();
    let url = server.webhook_url();
    // Keep posting while the worker processes; kill the server part-way.
    let sender = tokio::spawn({
        let c = c.clone();
        async move {
            let mut acknowledged = BTreeSet::new();
            for i in 0..2000u64 {
                let id = format!("mid-{i}");
                let body = issue_opened(i, "mallory");
                match delivery(&c, &url, "issues", &id, &body).send().await {
                    Ok(r) if r.status() == 202 => {
                        acknowledged.insert(id);
                    }
                    Ok(r) => panic!("{id}: {}", r.status()),
                    Err(_) => break, // the server is gone
                }
            }
            acknowledged
        }
    });
    wait_until(Duration::from_secs(30), "some deliveries processed", || {
        deliveries(&dir)
            .iter()
            .filter(|d| d["status"] == "done")
            .count()
            >= 100
    });
    server.kill();
    let acknowledged = sender.await.unwrap();
    assert!(
        acknowledged.len() >= 100,
        "only {} acknowledged",
        acknowledged.len()
    );

    // SQLite's single process takes back what the killed run left at once; on
    // PostgreSQL the new instance takes it over when the killed one's leases
    // (30 s in app.yml) expire, as it would from a crashed machine.
    let _server = app.serve(&dir, &[], &[]);
    wait_until(
        Duration::from_secs(75),
        "every acknowledged delivery done",
        || {
            let done: BTreeSet<String> = deliveries(&dir)
                .iter()
                .filter(|d| d["status"] == "done")
                .map(|d| d["id"].as_str().unwrap().to_string())
                .collect();
            acknowledged.is_subset(&done)
        },
    );
    assert_each_done_once(&dir, &acknowledged);
}

async fn sigterm_finishes_in_flight_work_and_exits_cleanly(dir: TestDir) {
    let app = App::start().await;
    let mut server = app.serve(&dir, &[], &[]);
    let c = client();
    for i in 0..50 {
        let body = issue_opened(i, "trent");
        let r = delivery(
            &c,
            &server.webhook_url(),
            "issues",
            &format!("term-{i}"),
            &body,
        )
        .send()
        .await
        .unwrap();
        assert_eq!(r.status(), 202);
    }
    let status = server.terminate();
    assert!(status.success(), "exit status {status:?}\n{}", server.log());
    // Whatever was not finished is queued, not lost; a restart completes it.
    let _server = app.serve(&dir, &[], &[]);
    let ids: BTreeSet<String> = (0..50).map(|i| format!("term-{i}")).collect();
    wait_until(Duration::from_secs(20), "all done", || {
        deliveries(&dir)
            .iter()
            .filter(|d| d["status"] == "done")
            .count()
            == 50
    });
    assert_each_done_once(&dir, &ids);
}

async fn futures_join_all<F>(futures: impl Iterator<Item = F>) -> Vec<F::Output>
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    let handles: Vec<_> = futures.map(tokio::spawn).collect();
    let mut out = Vec::with_capacity(handles.len());
    for h in handles {
        out.push(h.await.unwrap());
    }
    out
}

crate::on_both_stores!(
    acknowledged_deliveries_survive_sigkill_and_are_processed_once_after_restart
);

crate::on_both_stores!(a_kill_in_the_middle_of_processing_leaves_nothing_half_done);

crate::on_both_stores!(sigterm_finishes_in_flight_work_and_exits_cleanly);
