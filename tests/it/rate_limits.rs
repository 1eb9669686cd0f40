//! GitHub's "wait" in every form it takes is never a failure: the delivery
//! waits in the store until the reset, without spending an attempt, and is
//! then processed. With `max_attempts: 1` a wait that spent an attempt would
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
    let status = delivery(&client(), &server.webhook_url(), "issues", id, body)
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
    let config = dir.path().join("app.yml");
    std::fs::write(&config, CONFIG).unwrap();
    let config = config.display().to_string();
    let key = PRIVATE_KEY.to_string();
    let app_id = APP_ID.to_string();
    let env = [
        ("WEBHOOK_SECRET", SECRET),
        ("APP_ID", app_id.as_str()),
        ("PRIVATE_KEY", key.as_str()),
        ("GITHUB_API_URL", github.api_url.as_str()),
        ("ORGRADAR_CONFIG", config.as_str()),
        ("RECOVERY_INTERVAL", "off"),
    ];
    let server = Server::start_with(&dir, &env, &[]);
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
        assert!(shown.contains("rate limit"), "{shown}");
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
