//! Affiliation on the real server against the fake GitHub: what it costs in
//! API requests, and that a burst survives GitHub's 502s and rate limits.

use crate::support::fake_github::{APP_ID, Failure, FakeGitHub, PRIVATE_KEY};
use crate::support::*;
use axum::http::Method;
use serde_json::json;
use std::time::Duration;

const ACCOUNTS: &str = "
accounts:
  - id: acme
    name: Acme Corporation
    tier: enterprise
    domains: [acme.com]
    github_orgs: [acme-labs]
";

fn config_with_accounts(dir: &TestDir, fast_retries: bool) -> String {
    let path = dir.path().join("app.yml");
    let mut shipped = std::fs::read_to_string(app_yml()).unwrap();
    if fast_retries {
        shipped = shipped
            .replace("retry_base: 10s", "retry_base: 1s")
            .replace("retry_max: 30m", "retry_max: 4s");
    }
    std::fs::write(&path, format!("{shipped}\n{ACCOUNTS}")).unwrap();
    path.display().to_string()
}

fn start(dir: &TestDir, fake: &FakeGitHub) -> Server {
    start_retrying(dir, fake, false)
}

fn start_retrying(dir: &TestDir, fake: &FakeGitHub, fast_retries: bool) -> Server {
    let config = config_with_accounts(dir, fast_retries);
    let app_id = APP_ID.to_string();
    Server::start_with(
        dir,
        &[
            ("WEBHOOK_SECRET", SECRET),
            ("APP_ID", &app_id),
            ("PRIVATE_KEY", PRIVATE_KEY),
            ("GITHUB_API_URL", &fake.api_url),
            ("ORGRADAR_CONFIG", &config),
            ("RECOVERY_INTERVAL", "off"),
        ],
        &[],
    )
}

fn done(dir: &TestDir, id: &str) -> bool {
    deliveries(dir)
        .iter()
        .any(|d| d["id"] == id && d["status"] == "done")
}

async fn api_cost(dir: TestDir) {
    let fake = FakeGitHub::start().await;
    fake.add_user(
        "alice",
        json!({ "id": 1, "type": "User", "email": "alice@acme.com" }),
        &[],
    );
    fake.add_user(
        "bob",
        json!({ "id": 2, "type": "User", "company": "Freelance" }),
        &[],
    );
    fake.with(|s| {
        s.pull_commits.insert(
            ("acme/widgets".into(), 5),
            vec!["bob@acme.com".into(), "bob@users.noreply.github.com".into()],
        )
    });
    let server = start(&dir, &fake);
    let c = client();
    let send = |id: &str, event: &str, body: Vec<u8>| {
        delivery(&c, &server.webhook_url(), event, id, &body).send()
    };

    assert_eq!(
        send("i1", "issues", issue_opened(1, "alice"))
            .await
            .unwrap()
            .status(),
        202
    );
    wait_until(Duration::from_secs(20), "i1 done", || done(&dir, "i1"));
    assert_eq!(
        fake.count("POST", "/graphql"),
        1,
        "a new actor's issue costs one request"
    );

    assert_eq!(
        send("i2", "issues", issue_opened(2, "alice"))
            .await
            .unwrap()
            .status(),
        202
    );
    wait_until(Duration::from_secs(20), "i2 done", || done(&dir, "i2"));
    assert_eq!(
        fake.count("POST", "/graphql"),
        1,
        "an actor seen within the cache time costs nothing"
    );

    assert_eq!(
        send("p5", "pull_request", pull_request_opened(5, "bob"))
            .await
            .unwrap()
            .status(),
        202
    );
    wait_until(Duration::from_secs(20), "p5 done", || done(&dir, "p5"));
    assert_eq!(fake.count("POST", "/graphql"), 2);
    assert_eq!(
        fake.count("GET", "/pulls/5/commits"),
        1,
        "a pull request adds one request for its commits"
    );

    // Both are seen as people of Acme (alice's two issues by her email's
    // domain, bob's pull request by his commits' address).
    let seen = dir.counts(
        "SELECT login || ' ' || COALESCE(account, '-'), COUNT(*) FROM sightings \
         GROUP BY login, account ORDER BY login",
    );
    assert_eq!(
        seen,
        [("alice acme".to_string(), 2), ("bob acme".to_string(), 1)]
    );
    // The cache keeps domains, never addresses.
    let cached = dir.counts("SELECT facts, CAST(1 AS BIGINT) FROM actors");
    assert_eq!(cached.len(), 2);
    assert!(
        cached.iter().all(|(facts, _)| !facts.contains('@')),
        "{cached:?}"
    );
    assert!(
        !server.log().contains("alice@acme.com"),
        "an email address reached the log"
    );
}

crate::on_both_stores!(api_cost);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_survives_github_502s_and_rate_limits() {
    let dir = TestDir::sqlite();
    let fake = FakeGitHub::start().await;
    for i in 0..100 {
        fake.add_user(
            &format!("user{i}"),
            json!({ "id": 100 + i, "type": "User", "company": "@acme-labs" }),
            &[],
        );
    }
    for i in 0..30 {
        let failure = match i % 6 {
            0 => Failure::SecondaryLimit {
                retry_after: Some(1),
            },
            1 => Failure::PrimaryLimit {
                reset_in: Duration::from_secs(1),
            },
            _ => Failure::BadGateway,
        };
        fake.fail_next(Method::POST, "/graphql", failure);
    }
    // A failed batch fails all its people at once: retries come quickly here.
    let server = start_retrying(&dir, &fake, true);
    let c = client();
    for i in 0..100 {
        let body = issue_opened(i, &format!("user{i}"));
        let r = delivery(&c, &server.webhook_url(), "issues", &format!("b{i}"), &body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 202);
    }
    wait_until(Duration::from_secs(240), "the burst processed", || {
        deliveries(&dir)
            .iter()
            .filter(|d| d["status"] == "done")
            .count()
            == 100
    });
    let mut looked_up = fake.with(|s| s.looked_up.clone());
    looked_up.sort();
    looked_up.dedup();
    assert_eq!(
        looked_up.len(),
        fake.with(|s| s.looked_up.len()),
        "each person fetched once"
    );
    assert_eq!(looked_up.len(), 100);
    let refused = fake
        .requests()
        .iter()
        .filter(|r| r.path == "/graphql" && r.status != 200)
        .count();
    assert_eq!(refused, 30, "every injected failure was met and waited out");
    assert!(deliveries(&dir).iter().all(|d| d["status"] == "done"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn explain_looks_a_login_up_live() {
    let dir = TestDir::sqlite();
    let fake = FakeGitHub::start().await;
    fake.add_installation(7, "acme");
    fake.add_user(
        "carol",
        json!({ "id": 3, "type": "User", "company": "Acme Corp.", "email": "carol@acme.com" }),
        &["acme-labs"],
    );
    let config = config_with_accounts(&dir, false);
    let app_id = APP_ID.to_string();
    let env = [
        ("APP_ID", app_id.as_str()),
        ("PRIVATE_KEY", PRIVATE_KEY),
        ("GITHUB_API_URL", fake.api_url.as_str()),
    ];
    let out = cli_with(
        &dir,
        &env,
        &["explain", "carol", "--config", &config, "--json"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let answer: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(answer["login"], "carol");
    assert_eq!(answer["account"], "acme");
    assert_eq!(answer["tier"], "enterprise");
    assert!(
        answer["evidence"].as_array().unwrap().len() >= 2,
        "{answer}"
    );
    assert!(!String::from_utf8_lossy(&out.stdout).contains("carol@acme.com"));

    let out = cli_with(&dir, &env, &["explain", "nobody-here", "--config", &config]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("GitHub knows no user `nobody-here`"));
}
