//! GitHub's "wait" in every form it takes is never a failure: the delivery
//! waits in the store until the reset, without spending an attempt, and is
//! then processed; and people are looked up in batches. With `max_attempts: 1` a wait that spent an attempt would
//! leave the delivery dead.

use crate::support::fake_github::{APP_ID, Failure, FakeGitHub, PRIVATE_KEY};
use crate::support::*;
use axum::http::Method;
use serde_json::json;
use std::time::Duration;

const CONFIG: &str = r#"name: orgradar-test
worker:
  max_attempts: 1
accounts:
  - id: globex
    name: Globex Corporation
    tier: enterprise
    domains: [globex.com]
rules:
  - name: enterprise-activity
    on: [issues.opened]
    if: { tier: [enterprise] }
    do:
      label: [enterprise]
"#;

async fn send(server: &Server, id: &str, body: &[u8]) {
    send_event(server, "issues", id, body).await;
}

async fn send_event(server: &Server, event: &str, id: &str, body: &[u8]) {
    let status = delivery(&client(), &server.webhook_url(), event, id, body)
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status.as_u16(), 202);
}

fn status_of(dir: &TestDir, id: &str) -> String {
    deliveries(dir)
        .iter()
        .find(|d| d["id"] == id)
        .and_then(|d| d["status"].as_str().map(str::to_string))
        .unwrap_or_default()
}

fn start(dir: &TestDir, github: &FakeGitHub) -> Server {
    let config = dir.path().join("app.yml");
    std::fs::write(&config, CONFIG).unwrap();
    let config = config.display().to_string();
    let app_id = APP_ID.to_string();
    let env = [
        ("WEBHOOK_SECRET", SECRET),
        ("APP_ID", app_id.as_str()),
        ("PRIVATE_KEY", PRIVATE_KEY),
        ("GITHUB_API_URL", github.api_url.as_str()),
        ("ORGRADAR_CONFIG", config.as_str()),
        ("RECOVERY_INTERVAL", "off"),
    ];
    Server::start_with(dir, &env, &[])
}

#[tokio::test(flavor = "multi_thread")]
async fn stargazers_are_looked_up_fifty_to_a_query_and_an_unknown_one_fails_alone() {
    let dir = TestDir::sqlite();
    let github = FakeGitHub::start().await;
    for n in 0..100 {
        github.add_user(&format!("fan{n}"), json!({ "id": n, "type": "User" }), &[]);
    }
    github.with(|s| s.latency = Some((50, 150)));
    let server = start(&dir, &github);
    // 100 people, 20 of them twice, and one GitHub does not know.
    let mut logins: Vec<String> = (0..100).map(|n| format!("fan{n}")).collect();
    logins.extend((0..20).map(|n| format!("fan{n}")));
    logins.push("ghost-account".into());
    for (n, login) in logins.iter().enumerate() {
        send_event(&server, "star", &format!("s{n}"), &star_created(login)).await;
    }
    wait_until(Duration::from_secs(60), "every star processed", || {
        let all = deliveries(&dir);
        all.len() == logins.len() && all.iter().all(|d| d["status"] == "done")
    });
    let (queries, points, mut looked_up) =
        github.with(|s| (s.graphql_queries, s.graphql_points, s.looked_up.clone()));
    let asked = looked_up.len();
    looked_up.sort();
    looked_up.dedup();
    assert_eq!(asked, looked_up.len(), "nobody was looked up twice");
    assert_eq!(looked_up.len(), 101);
    assert!(
        queries <= 6,
        "101 people in {queries} queries: batches of up to 50 were expected"
    );
    assert_eq!(points, queries, "each batch costs one point");
}

#[tokio::test(flavor = "multi_thread")]
async fn every_form_of_rate_limit_waits_for_the_reset_and_spends_no_attempt() {
    let dir = TestDir::sqlite();
    let github = FakeGitHub::start().await;
    for login in ["ann", "ben", "cat", "dan"] {
        github.add_user(
            login,
            json!({ "id": 1, "type": "User", "email": format!("{login}@globex.com") }),
            &[],
        );
    }
    github.with(|s| {
        s.repo_installations.insert("acme/widgets".into(), 7);
    });
    let server = start(&dir, &github);
    let reset_in = Duration::from_secs(8);

    // The forms GitHub uses, each for the next request of its kind.
    let forms: [(&str, Method, &str, Failure); 4] = [
        (
            "ann",
            Method::POST,
            "/graphql",
            Failure::GraphQlLimit {
                kind: "RATE_LIMITED",
                code: None,
                reset_in,
                remaining: 0,
            },
        ),
        (
            "ben",
            Method::POST,
            "/graphql",
            Failure::GraphQlLimit {
                kind: "RATE_LIMIT",
                code: Some("graphql_rate_limit"),
                reset_in,
                remaining: 1200,
            },
        ),
        (
            "cat",
            Method::POST,
            "/repos/acme/widgets/issues/3/labels",
            Failure::PrimaryLimit { reset_in },
        ),
        (
            "dan",
            Method::POST,
            "/repos/acme/widgets/issues/4/labels",
            Failure::TooManyRequests { retry_after: 8 },
        ),
    ];
    for (n, (login, method, path, failure)) in forms.into_iter().enumerate() {
        let id = format!("d{}", n + 1);
        github.fail_next(method, path, failure);
        send(&server, &id, &issue_opened(n as u64 + 1, login)).await;
        wait_until(
            Duration::from_secs(20),
            &format!("{id} waiting for the rate limit"),
            || status_of(&dir, &id) == "waiting",
        );
        let shown = cli(&dir, &["deliveries", "show", &id]);
        let shown = String::from_utf8_lossy(&shown.stdout).to_string();
        // Waiting for the reset of the limit itself, or of the budget it emptied.
        assert!(
            shown.contains("rate limit") || shown.contains("GitHub's API budget"),
            "{shown}"
        );
    }
    for n in 1..=4u64 {
        let id = format!("d{n}");
        wait_until(Duration::from_secs(40), &format!("{id} done"), || {
            status_of(&dir, &id) == "done"
        });
        let labels = github.with(|s| {
            s.issue_labels
                .get(&("acme/widgets".to_string(), n))
                .cloned()
                .unwrap_or_default()
        });
        assert_eq!(labels, vec!["enterprise".to_string()], "{id}");
    }
    assert!(
        deliveries(&dir).iter().all(|d| d["status"] == "done"),
        "{:?}",
        deliveries(&dir)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn when_the_budget_runs_low_stars_wait_and_issues_are_still_looked_up() {
    let dir = TestDir::sqlite();
    let github = FakeGitHub::start().await;
    for login in ["fan1", "fan2", "fan3"] {
        github.add_user(login, json!({ "id": 1, "type": "User" }), &[]);
    }
    github.add_user(
        "ann",
        json!({ "id": 9, "type": "User", "email": "ann@globex.com" }),
        &[],
    );
    // Four points an hour: the reserve (10%) is one point, and stars stop at two.
    github.with(|s| {
        s.points_limit = 4;
        s.repo_installations.insert("acme/widgets".into(), 7);
    });
    let server = start(&dir, &github);
    for (n, fan) in ["fan1", "fan2"].into_iter().enumerate() {
        let id = format!("s{n}");
        send_event(&server, "star", &id, &star_created(fan)).await;
        wait_until(Duration::from_secs(30), &format!("{id} done"), || {
            status_of(&dir, &id) == "done"
        });
    }
    send_event(&server, "star", "s3", &star_created("fan3")).await;
    wait_until(Duration::from_secs(30), "s3 waiting for the budget", || {
        status_of(&dir, "s3") == "waiting"
    });
    let shown = cli(&dir, &["deliveries", "show", "s3"]);
    let shown = String::from_utf8_lossy(&shown.stdout).to_string();
    assert!(shown.contains("GitHub's API budget"), "{shown}");

    // The author of an issue is still looked up, and the issue labelled.
    send(&server, "i1", &issue_opened(1, "ann")).await;
    wait_until(Duration::from_secs(30), "i1 done", || {
        status_of(&dir, "i1") == "done"
    });
    let labels = github.with(|s| {
        s.issue_labels
            .get(&("acme/widgets".to_string(), 1))
            .cloned()
    });
    assert_eq!(labels, Some(vec!["enterprise".to_string()]));
    assert_eq!(
        status_of(&dir, "s3"),
        "waiting",
        "the star waits for the reset"
    );
    assert_eq!(
        github.with(|s| s.looked_up.clone()),
        ["fan1", "fan2", "ann"],
        "fan3 was not looked up"
    );
    let metrics = server.metrics().await;
    assert!(
        metrics.contains("orgradar_github_budget_remaining{resource=\"graphql\"} 1"),
        "{metrics}"
    );
}
