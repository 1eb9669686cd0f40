//! A star storm against the fake GitHub with GitHub's rate-limit accounting
//! (REST requests and GraphQL points per installation and hour) and answers
//! that take 50–150 ms: 10,000 `star.created` deliveries from 8,000 people
//! (1% of them from target accounts), with 100 `issues.opened` from target
//! accounts interleaved. It reports GitHub requests and points per 1,000 new
//! people, the time from each target account's issue to its Slack notice,
//! the time until everyone is classified, deliveries lost or processed twice,
//! and the lowest budget GitHub reported.
//!
//! `scripts/bench-storm.sh` (STORM_SECONDS sets how long the storm lasts).

#[path = "../tests/it/support/mod.rs"]
#[allow(unused_imports)]
mod support;

use serde_json::json;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use support::fake_github::{APP_ID, FakeGitHub, PRIVATE_KEY};
use support::fake_slack::FakeSlack;
use support::*;

const STARS: usize = 10_000;
const STARGAZERS: usize = 8_000;
const ISSUES: usize = 100;
const ACCOUNTS: usize = 100;

fn config() -> String {
    let mut accounts = String::new();
    for a in 0..ACCOUNTS {
        accounts.push_str(&format!(
            "  - {{ id: corp{a}, name: Corp {a} Industries, tier: enterprise, domains: [corp{a}-industries.com] }}\n"
        ));
    }
    format!(
        "name: orgradar-storm\nworker:\n  concurrency: 32\naccounts:\n{accounts}rules:\n  - name: enterprise-issues\n    on: [issues.opened]\n    if: {{ tier: [enterprise] }}\n    do:\n      label: [enterprise]\n      notify: [product]\nchannels:\n  product: {{ slack_webhook_env: SLACK_PRODUCT_WEBHOOK }}\n"
    )
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn statuses(db: &std::path::Path) -> HashMap<String, u64> {
    let Ok(conn) =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
    else {
        return HashMap::new();
    };
    let Ok(mut stmt) = conn.prepare("SELECT status, count(*) FROM deliveries GROUP BY status")
    else {
        return HashMap::new();
    };
    stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, u64>(1)?)))
        .map(|rows| rows.flatten().collect())
        .unwrap_or_default()
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let seconds: u64 = std::env::var("STORM_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(120);
    let dir = TestDir::sqlite();
    let github = FakeGitHub::start().await;
    github.with(|s| {
        s.latency = Some((50, 150));
        s.rest_limit = 5_000;
        s.points_limit = 5_000;
        s.repo_installations.insert("acme/widgets".into(), 7);
    });
    // 8,000 stargazers, one in a hundred from a target account; 100 issue authors from target accounts.
    for p in 0..STARGAZERS {
        let email = if p % 100 == 0 {
            format!("fan{p}@corp{}-industries.com", p % ACCOUNTS)
        } else {
            format!("fan{p}@gmail.com")
        };
        github.add_user(
            &format!("fan{p}"),
            json!({ "id": p, "type": "User", "email": email }),
            &[],
        );
    }
    for i in 0..ISSUES {
        github.add_user(
            &format!("engineer{i}"),
            json!({ "id": 100_000 + i, "type": "User", "email": format!("e{i}@corp{}-industries.com", i % ACCOUNTS) }),
            &[],
        );
    }
    let slack = FakeSlack::start("xoxb-storm").await;
    let config_path = dir.path().join("app.yml");
    std::fs::write(&config_path, config()).unwrap();
    let config_path = config_path.display().to_string();
    let app_id = APP_ID.to_string();
    let product = slack.webhook_url("product");
    let server = Server::start_with(
        &dir,
        &[
            ("WEBHOOK_SECRET", SECRET),
            ("APP_ID", &app_id),
            ("PRIVATE_KEY", PRIVATE_KEY),
            ("GITHUB_API_URL", &github.api_url),
            ("ORGRADAR_CONFIG", &config_path),
            ("RECOVERY_INTERVAL", "off"),
            ("SLACK_PRODUCT_WEBHOOK", &product),
        ],
        &[],
    );
    let url = server.webhook_url();
    let c = client();

    // The deliveries in the order they arrive: an issue after every 100 stars.
    let mut plan: Vec<(String, String, Vec<u8>, Option<usize>)> = Vec::new();
    for s in 0..STARS {
        let login = format!("fan{}", (s * 7_919) % STARGAZERS);
        plan.push((
            "star".into(),
            format!("star-{s}"),
            star_created(&login),
            None,
        ));
        if s % (STARS / ISSUES) == STARS / ISSUES / 2 {
            let i = s / (STARS / ISSUES);
            plan.push((
                "issues".into(),
                format!("issue-{i}"),
                issue_opened(i as u64 + 1, &format!("engineer{i}")),
                Some(i),
            ));
        }
    }
    let sent_at: Arc<Mutex<HashMap<usize, Instant>>> = Arc::default();
    let noticed: Arc<Mutex<HashMap<usize, Instant>>> = Arc::default();
    // Watch the product channel for each issue's notice.
    let watch = {
        let (slack, noticed) = (slack.clone(), noticed.clone());
        tokio::spawn(async move {
            loop {
                let posted = slack.posted("product");
                let now = Instant::now();
                {
                    let mut seen = noticed.lock().unwrap();
                    for message in &posted {
                        let text = message.to_string();
                        for i in 0..ISSUES {
                            let link = format!("acme/widgets/issues/{}\"", i + 1);
                            let link2 = format!("acme/widgets/issues/{}|", i + 1);
                            if (text.contains(&link) || text.contains(&link2))
                                && !seen.contains_key(&i)
                            {
                                seen.insert(i, now);
                            }
                        }
                    }
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        })
    };
    let started = Instant::now();
    let total = plan.len();
    let gap = Duration::from_secs_f64(seconds as f64 / total as f64);
    let mut tasks = tokio::task::JoinSet::new();
    for (n, (event, id, body, issue)) in plan.into_iter().enumerate() {
        let due = started + gap * n as u32;
        tokio::time::sleep_until(due.into()).await;
        let (c, url, sent_at) = (c.clone(), url.clone(), sent_at.clone());
        tasks.spawn(async move {
            if let Some(i) = issue {
                sent_at.lock().unwrap().insert(i, Instant::now());
            }
            let status = delivery(&c, &url, &event, &id, &body)
                .send()
                .await
                .map(|r| r.status().as_u16());
            assert_eq!(status.ok(), Some(202), "{id} not accepted");
        });
        while tasks.len() > 64 {
            tasks.join_next().await;
        }
    }
    while tasks.join_next().await.is_some() {}
    let sent = started.elapsed();
    let db = dir.path().join("orgradar.db");
    let deadline = Instant::now() + Duration::from_secs(1_800);
    let classified = loop {
        let counts = statuses(&db);
        if counts.get("done").copied().unwrap_or(0) == total as u64 {
            break started.elapsed();
        }
        assert!(Instant::now() < deadline, "not finished: {counts:?}");
        tokio::time::sleep(Duration::from_millis(250)).await;
    };
    tokio::time::sleep(Duration::from_millis(200)).await;
    watch.abort();

    let sent_at = sent_at.lock().unwrap().clone();
    let noticed = noticed.lock().unwrap().clone();
    let mut latencies: Vec<f64> = noticed
        .iter()
        .filter_map(|(i, t)| Some(t.duration_since(*sent_at.get(i)?).as_secs_f64()))
        .collect();
    latencies.sort_by(|a, b| a.total_cmp(b));
    let notices = slack.posted("product").len();
    let (queries, points, rest, lowest, looked_up, labelled) = github.with(|s| {
        let labelled = (1..=ISSUES as u64)
            .filter(|n| {
                s.issue_labels
                    .get(&("acme/widgets".to_string(), *n))
                    .is_some_and(|l| l == &vec!["enterprise".to_string()])
            })
            .count();
        (
            s.graphql_queries,
            s.graphql_points,
            s.rest_requests,
            s.lowest_left,
            s.looked_up.len(),
            labelled,
        )
    });
    let people = (STARGAZERS + ISSUES) as f64 / 1_000.0;
    let counts = statuses(&db);
    println!(
        "storm: {STARS} stars from {STARGAZERS} people and {ISSUES} target-account issues, sent over {:.0} s",
        sent.as_secs_f64()
    );
    println!(
        "GitHub per 1,000 new people: {:.1} requests ({} GraphQL queries + {} REST), {:.1} GraphQL points",
        (queries + rest) as f64 / people,
        queries,
        rest,
        points as f64 / people
    );
    println!(
        "people looked up: {looked_up} (distinct: {})",
        STARGAZERS + ISSUES
    );
    println!(
        "issue to Slack notice: p50 {:.2} s, p99 {:.2} s, max {:.2} s ({} of {ISSUES} noticed)",
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99),
        latencies.last().copied().unwrap_or(f64::NAN),
        latencies.len()
    );
    println!(
        "everyone classified after {:.1} s",
        classified.as_secs_f64()
    );
    println!(
        "deliveries: {counts:?}; lost: {}; Slack notices {notices} for {ISSUES} issues; labelled once: {labelled}",
        total as u64 - counts.get("done").copied().unwrap_or(0)
    );
    println!(
        "lowest budget left: {} requests, {} points (of 5,000 each)",
        lowest.0, lowest.1
    );
    drop(server);
}
