//! Rules and actions end to end: the real server, the fake GitHub and the
//! fake Slack. An enterprise user's issue is labelled, posted to Slack and
//! logged on the account's tracking issue, exactly once whatever happens in
//! between: redeliveries, retries after 502s, a kill in the middle.

use crate::support::fake_github::{APP_ID, Failure, FakeGitHub, PRIVATE_KEY};
use crate::support::fake_slack::{self, FakeSlack};
use crate::support::*;
use axum::http::Method;
use serde_json::{Value, json};
use std::time::Duration;

pub(crate) const WIDGETS_INSTALLATION: u64 = 7;
const LEADS_INSTALLATION: u64 = 9;
const BOT_TOKEN: &str = "xoxb-test-token-5c1e";

/// The rules of these tests, after the shipped app.yml.
fn rules(extra: &str) -> String {
    format!(
        r##"
worker:
  retry_base: 1s
  retry_max: 2s
accounts:
  - id: globex
    name: Globex Corporation
    tier: enterprise
    domains: [globex.com]
    github_orgs: [globex-labs]
rules:
  - name: enterprise-activity
    on: [issues.opened, pull_request.opened, star.created]
    repos: ["acme/*"]
    if: {{ tier: [enterprise] }}
    do:
      label: [enterprise, "account:{{account}}"]
      notify: [product, marketing, leads]
channels:
  product: {{ slack_webhook_env: SLACK_PRODUCT_WEBHOOK }}
  marketing: {{ slack_channel: "#marketing" }}
  leads: {{ github_issue: {{ repo: acme-corp/leads, per_account: true }} }}
  review: {{ slack_webhook_env: SLACK_REVIEW_WEBHOOK }}
throttle: {{ window: 24h }}
digest: {{ channels: [marketing], every: monday 09:00, timezone: Europe/Berlin }}
{extra}
"##
    )
}

pub(crate) struct World {
    pub(crate) dir: TestDir,
    pub(crate) github: FakeGitHub,
    pub(crate) slack: FakeSlack,
    pub(crate) config: String,
}

impl World {
    pub(crate) async fn new(dir: TestDir, extra: &str) -> World {
        let github = FakeGitHub::start().await;
        github.add_user(
            "alice",
            json!({ "id": 1, "type": "User", "email": "alice@globex.com", "company": "" }),
            &[],
        );
        github.add_user(
            "bob",
            json!({ "id": 2, "type": "User", "company": "@globex-labs" }),
            &["globex-labs"],
        );
        github.with(|s| {
            s.repo_installations
                .insert("acme/widgets".into(), WIDGETS_INSTALLATION);
            s.repo_installations
                .insert("acme-corp/leads".into(), LEADS_INSTALLATION);
            s.private_repos.insert("acme-corp/leads".into());
        });
        let slack = FakeSlack::start(BOT_TOKEN).await;
        let path = dir.path().join("app.yml");
        std::fs::write(&path, format!("name: orgradar-test\n{}", rules(extra))).unwrap();
        World {
            dir,
            github,
            slack,
            config: path.display().to_string(),
        }
    }

    pub(crate) fn env(&self) -> Vec<(String, String)> {
        vec![
            ("WEBHOOK_SECRET".into(), SECRET.into()),
            ("APP_ID".into(), APP_ID.to_string()),
            ("PRIVATE_KEY".into(), PRIVATE_KEY.into()),
            ("GITHUB_API_URL".into(), self.github.api_url.clone()),
            ("ORGRADAR_CONFIG".into(), self.config.clone()),
            ("RECOVERY_INTERVAL".into(), "off".into()),
            (
                "SLACK_PRODUCT_WEBHOOK".into(),
                self.slack.webhook_url("product"),
            ),
            (
                "SLACK_REVIEW_WEBHOOK".into(),
                self.slack.webhook_url("review"),
            ),
            ("SLACK_BOT_TOKEN".into(), BOT_TOKEN.into()),
            ("SLACK_API_URL".into(), self.slack.api_base()),
        ]
    }

    pub(crate) fn start(&self) -> Server {
        let env = self.env();
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        Server::start_with(&self.dir, &env, &[])
    }

    pub(crate) fn cli(&self, args: &[&str]) -> std::process::Output {
        let env = self.env();
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        cli_with(&self.dir, &env, args)
    }

    pub(crate) fn status(&self, id: &str) -> String {
        deliveries(&self.dir)
            .iter()
            .find(|d| d["id"] == id)
            .map(|d| d["status"].as_str().unwrap_or_default().to_string())
            .unwrap_or_default()
    }

    pub(crate) fn wait_done(&self, id: &str) {
        wait_until(Duration::from_secs(30), &format!("{id} done"), || {
            self.status(id) == "done"
        });
    }

    pub(crate) fn labels(&self, repo: &str, number: u64) -> Vec<String> {
        self.github.with(|s| {
            s.issue_labels
                .get(&(repo.to_string(), number))
                .cloned()
                .unwrap_or_default()
        })
    }

    pub(crate) fn leads_issues(&self) -> Vec<Value> {
        self.github
            .with(|s| s.issues.get("acme-corp/leads").cloned().unwrap_or_default())
    }

    pub(crate) fn leads_comments(&self, number: u64) -> Vec<Value> {
        self.github.with(|s| {
            s.comments
                .get(&("acme-corp/leads".to_string(), number))
                .cloned()
                .unwrap_or_default()
        })
    }

    /// Exactly one of each: label, message per Slack channel, tracking issue
    /// and comment, for `n` sightings of Globex so far.
    pub(crate) fn assert_one_of_each(&self, number: u64) {
        assert_eq!(self.labels("acme/widgets", number), vec!["enterprise"]);
        assert_eq!(self.slack.posted("product").len(), 1, "product");
        assert_eq!(self.slack.posted("#marketing").len(), 1, "#marketing");
        let issues = self.leads_issues();
        assert_eq!(issues.len(), 1, "{issues:?}");
        assert_eq!(self.leads_comments(1).len(), 1);
    }
}

pub(crate) async fn send(server: &Server, event: &str, id: &str, body: &[u8]) -> u16 {
    delivery(&client(), &server.webhook_url(), event, id, body)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

fn slack_text(message: &Value) -> String {
    serde_json::to_string(message).unwrap()
}

async fn enterprise_issue_gets_one_of_each(dir: TestDir) {
    let w = World::new(dir, "").await;
    let server = w.start();
    assert_eq!(
        send(&server, "issues", "d1", &issue_opened(1, "alice")).await,
        202
    );
    w.wait_done("d1");

    w.assert_one_of_each(1);
    let product = slack_text(&w.slack.posted("product")[0]);
    assert!(product.contains("Globex Corporation"), "{product}");
    assert!(
        product.contains("company email domain globex.com"),
        "{product}"
    );
    assert!(
        product.contains("https://github.com/acme/widgets/issues/1"),
        "{product}"
    );
    assert!(
        !product.contains("alice@globex.com"),
        "an email address reached Slack"
    );
    let issue = &w.leads_issues()[0];
    assert!(
        issue["title"]
            .as_str()
            .unwrap()
            .contains("Globex Corporation")
    );
    let comment = w.leads_comments(1)[0]["body"].as_str().unwrap().to_string();
    assert!(comment.contains("orgradar:delivery=d1"), "{comment}");
    assert!(comment.contains("alice"), "{comment}");
    // The leads repository is written with its own installation's token.
    let writes: Vec<_> = w
        .github
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST" && r.path.starts_with("/repos/acme-corp/leads"))
        .collect();
    assert!(!writes.is_empty());
    assert!(writes.iter().all(|r| r.status < 300), "{writes:?}");
    let shown = w.cli(&["deliveries", "show", "d1", "--json"]);
    let shown: Value = serde_json::from_slice(&shown.stdout).unwrap();
    let state = |action: &str| {
        shown["actions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["action"] == action)
            .map(|a| a["state"].as_str().unwrap().to_string())
    };
    assert_eq!(
        state("label:enterprise").as_deref(),
        Some("done"),
        "{shown}"
    );
    assert_eq!(state("notify:product").as_deref(), Some("done"), "{shown}");
    // alice's employer is inferred from her email: not published on a public repository.
    assert_eq!(
        state("label:account:globex").as_deref(),
        Some("withheld"),
        "{shown}"
    );
    let metrics = server.metrics().await;
    assert!(
        metrics.contains(r#"orgradar_actions_total{kind="notify",state="done"} 3"#),
        "{metrics}"
    );

    // A redelivery of the same delivery is a duplicate; a forced manual retry
    // runs the pipeline again, and the ledger makes it do nothing twice.
    assert_eq!(
        send(&server, "issues", "d1", &issue_opened(1, "alice")).await,
        200
    );
    let out = w.cli(&["deliveries", "retry", "d1", "--force"]);
    assert!(out.status.success(), "{out:?}");
    wait_until(Duration::from_secs(30), "d1 processed again", || {
        crate::support::deliveries(&w.dir)
            .iter()
            .any(|d| d["id"] == "d1" && d["status"] == "done" && d["attempts"] == 2)
    });
    w.assert_one_of_each(1);
}
crate::on_both_stores!(enterprise_issue_gets_one_of_each);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lost_answers_and_slack_failures_are_retried_without_doubles() {
    let w = World::new(TestDir::sqlite(), "").await;
    // GitHub does the label and the comment but the answers are lost; Slack
    // is rate limited once and fails once.
    w.github.fail_next(
        Method::POST,
        "/issues/1/labels",
        Failure::BadGatewayAfterWrite,
    );
    w.github.fail_next(
        Method::POST,
        "/issues/1/comments",
        Failure::BadGatewayAfterWrite,
    );
    w.slack.fail_next(
        1,
        fake_slack::Failure::RateLimited {
            retry_after_secs: 1,
        },
    );
    w.slack.fail_next(2, fake_slack::Failure::ServerError);
    let server = w.start();
    assert_eq!(
        send(&server, "issues", "d2", &issue_opened(1, "alice")).await,
        202
    );
    w.wait_done("d2");
    w.assert_one_of_each(1);
    let shown = w.cli(&["deliveries", "show", "d2", "--json"]);
    let shown: Value = serde_json::from_slice(&shown.stdout).unwrap();
    assert!(
        shown["attempt_log"].as_array().unwrap().len() >= 2,
        "the lost answers made a second attempt: {shown}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kill_while_writing_the_comment_leaves_one_of_each() {
    let w = World::new(TestDir::sqlite(), "").await;
    w.github.fail_next(
        Method::POST,
        "/issues/1/comments",
        Failure::SlowAfterWrite(Duration::from_secs(30)),
    );
    let mut server = w.start();
    assert_eq!(
        send(&server, "issues", "d3", &issue_opened(1, "alice")).await,
        202
    );
    wait_until(Duration::from_secs(30), "the comment written", || {
        w.leads_comments(1).len() == 1
    });
    server.kill();
    let _server = w.start();
    w.wait_done("d3");
    w.assert_one_of_each(1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_sighting_within_the_window_waits_for_the_digest() {
    let w = World::new(TestDir::sqlite(), "").await;
    let server = w.start();
    assert_eq!(
        send(&server, "issues", "d4", &issue_opened(1, "alice")).await,
        202
    );
    w.wait_done("d4");
    assert_eq!(
        send(&server, "issues", "d5", &issue_opened(2, "bob")).await,
        202
    );
    w.wait_done("d5");
    assert_eq!(
        send(&server, "star", "d6", &star_created("alice")).await,
        202
    );
    w.wait_done("d6");

    assert_eq!(w.slack.posted("product").len(), 1, "throttled per account");
    assert_eq!(w.slack.posted("#marketing").len(), 1);
    // Labels are not throttled; bob published his membership of globex-labs
    // himself, so the account may be named on the public repository.
    assert_eq!(
        w.labels("acme/widgets", 2),
        vec!["enterprise", "account:globex"]
    );
    assert_eq!(
        w.leads_comments(1).len(),
        3,
        "the tracking issue logs every sighting"
    );

    let dry = w.cli(&["digest", "--dry-run"]);
    let text = String::from_utf8_lossy(&dry.stdout);
    assert!(text.contains("Globex Corporation"), "{text}");
    assert!(text.contains("2 issues"), "{text}");
    assert!(text.contains("1 star"), "{text}");
    assert_eq!(
        w.slack.posted("#marketing").len(),
        1,
        "a dry run sends nothing"
    );

    let sent = w.cli(&["digest"]);
    assert!(sent.status.success(), "{sent:?}");
    let marketing = w.slack.posted("#marketing");
    assert_eq!(marketing.len(), 2);
    let digest = slack_text(&marketing[1]);
    assert!(digest.contains("Globex Corporation"), "{digest}");
    let again = w.cli(&["digest"]);
    assert!(again.status.success());
    assert_eq!(
        w.slack.posted("#marketing").len(),
        2,
        "a digest covers a period once"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shadow_mode_writes_nothing_public() {
    let w = World::new(TestDir::sqlite(), "mode: shadow\nreview_channel: review\n").await;
    let server = w.start();
    assert_eq!(
        send(&server, "issues", "d7", &issue_opened(1, "alice")).await,
        202
    );
    w.wait_done("d7");
    assert!(w.labels("acme/widgets", 1).is_empty());
    assert_eq!(w.github.count("POST", "/repos/acme/widgets"), 0);
    assert!(w.slack.posted("product").is_empty());
    assert!(w.slack.posted("#marketing").is_empty());
    assert!(w.leads_issues().is_empty());
    let review = w.slack.posted("review");
    assert_eq!(review.len(), 1);
    let text = slack_text(&review[0]).to_lowercase();
    assert!(text.contains("shadow"), "{text}");
    assert!(text.contains("enterprise"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ignored_login_is_neither_looked_up_nor_reported() {
    let w = World::new(TestDir::sqlite(), "ignore: [Alice]\n").await;
    let server = w.start();
    assert_eq!(
        send(&server, "issues", "d8", &issue_opened(1, "alice")).await,
        202
    );
    w.wait_done("d8");
    assert_eq!(w.github.count("POST", "/graphql"), 0, "not looked up");
    assert!(w.labels("acme/widgets", 1).is_empty());
    assert!(w.slack.posted("product").is_empty());
    assert!(w.leads_issues().is_empty());
    let sightings = w
        .dir
        .counts("SELECT login, COUNT(*) FROM sightings GROUP BY login");
    assert!(sightings.is_empty(), "{sightings:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_leads_repository_without_the_app_is_reported_plainly() {
    let w = World::new(TestDir::sqlite(), "").await;
    w.github
        .with(|s| s.repo_installations.remove("acme-corp/leads"));
    let server = w.start();
    assert_eq!(
        send(&server, "issues", "d9", &issue_opened(1, "alice")).await,
        202
    );
    wait_until(Duration::from_secs(30), "d9 dead", || {
        w.status("d9") == "dead"
    });
    // The other actions were made.
    assert_eq!(w.labels("acme/widgets", 1), vec!["enterprise"]);
    assert_eq!(w.slack.posted("product").len(), 1);
    let shown = w.cli(&["deliveries", "show", "d9", "--json"]);
    let shown = String::from_utf8_lossy(&shown.stdout).to_string();
    assert!(
        shown.contains("orgradar is not installed on the leads repository acme-corp/leads"),
        "{shown}"
    );
    // The operator's warning at start-up is the server's own output.
    wait_until(Duration::from_secs(10), "the start-up warning", || {
        server
            .log()
            .contains("not installed on the leads repository acme-corp/leads")
    });
    let check = w.cli(&["check"]);
    let text = String::from_utf8_lossy(&check.stdout);
    assert!(
        text.contains("warning: orgradar is not installed on the leads repository acme-corp/leads"),
        "{text}\n{}",
        String::from_utf8_lossy(&check.stderr)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_scheduled_digest_goes_out_once() {
    let w = World::new(TestDir::sqlite(), "").await;
    let schedule = orgradar::rules::Schedule::new("monday 09:00", "Europe/Berlin").unwrap();
    let due = schedule.latest_at_or_before(orgradar::time::now_ms());
    // The server creates the schema (and may set the digest's first
    // checkpoint); stop it before seeding.
    let mut first = w.start();
    first.kill();
    // A killed instance's locks would expire in minutes; let them go now.
    w.dir.execute("DELETE FROM job_locks");
    // Sightings for #marketing around the scheduled time; the last digest a
    // week before it. `old-*` are past the retention period: the purge that
    // follows each round of digests removes them, which shows the round is over.
    let sighting = |id: &str, at: i64| {
        let data = json!({
            "delivery_id": id, "at": at, "event": "star.created", "repository": "acme/widgets",
            "repository_private": false, "item": null, "url": "https://github.com/acme/widgets",
            "login": "alice", "account": "globex", "account_name": "Globex Corporation",
            "organization": "Globex Corporation", "tier": "enterprise", "confidence": 0.9,
            "evidence": "company email domain globex.com"
        });
        w.dir.execute(&format!(
            "INSERT INTO sightings (delivery_id, at, group_key, account, organization, tier, login, repository, event, url, data) \
             VALUES ('{id}', {at}, 'account:globex', 'globex', 'Globex Corporation', 'enterprise', 'alice', 'acme/widgets', 'star.created', 'https://github.com/acme/widgets', '{data}')"
        ));
        w.dir.execute(&format!(
            "INSERT INTO sighting_channels (channel, at, delivery_id) VALUES ('marketing', {at}, '{id}')"
        ));
    };
    for (id, at) in [
        ("s1", due - 3_600_000),
        ("s2", due - 7_200_000),
        ("s3", due + 60_000),
        ("old-1", 1_000),
    ] {
        sighting(id, at);
    }
    w.dir.execute(&format!(
        "INSERT INTO checkpoints (name, value, updated_at) VALUES ('digest:marketing', {}, 0) \
         ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        due - 7 * 24 * 3_600_000
    ));
    let purged = |id: &str| {
        w.dir
            .counts(&format!(
                "SELECT delivery_id, COUNT(*) FROM sightings WHERE delivery_id = '{id}' GROUP BY delivery_id"
            ))
            .is_empty()
    };
    let mut server = w.start();
    wait_until(Duration::from_secs(20), "the digest and the purge", || {
        !w.slack.posted("#marketing").is_empty() && purged("old-1")
    });
    let digest = slack_text(&w.slack.posted("#marketing")[0]);
    assert!(
        digest.contains("2 stars"),
        "only the week before the scheduled time: {digest}"
    );
    server.kill();
    w.dir.execute("DELETE FROM job_locks");
    sighting("old-2", 1_000);
    let _again = w.start();
    wait_until(
        Duration::from_secs(20),
        "the restarted instance's first round of digests and purge",
        || purged("old-2"),
    );
    assert_eq!(w.slack.posted("#marketing").len(), 1, "sent once");
}

#[test]
fn simulate_shows_the_plan_and_writes_nothing() {
    let dir = TestDir::sqlite();
    let config = dir.path().join("app.yml");
    std::fs::write(&config, format!("name: orgradar-test\n{}", rules(""))).unwrap();
    let payload = dir.path().join("issue.json");
    std::fs::write(&payload, issue_opened(1, "alice")).unwrap();
    let profile = dir.path().join("alice.json");
    let user = json!({ "user": { "login": "alice", "id": 1, "type": "User", "email": "alice@globex.com" } });
    std::fs::write(&profile, user.to_string()).unwrap();
    let env = [("ORGRADAR_CONFIG", config.to_str().unwrap())];
    let args = |json: bool| {
        let mut a = vec![
            "simulate",
            "--event",
            "issues.opened",
            payload.to_str().unwrap(),
            "--profile",
            profile.to_str().unwrap(),
        ];
        if json {
            a.push("--json");
        }
        a
    };
    let out = cli_with(&dir, &env, &args(false));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{out:?}");
    assert!(text.contains("Globex Corporation"), "{text}");
    assert!(
        text.contains("rules matched: enterprise-activity"),
        "{text}"
    );
    assert!(text.contains("labels: enterprise"), "{text}");
    assert!(text.contains("withheld `account:globex`"), "{text}");
    assert!(text.contains("notify: product, marketing, leads"), "{text}");

    let out = cli_with(&dir, &env, &args(true));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["affiliation"]["account"], "globex");
    assert_eq!(report["plan"]["labels"], json!(["enterprise"]));
    assert_eq!(report["messages"].as_array().unwrap().len(), 3);
    let store = dir.database_url.trim_start_matches("sqlite://");
    assert!(!std::path::Path::new(store).exists(), "nothing was written");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn intent_topics_reach_the_notice_the_tracking_issue_and_the_product_digest() {
    let extra = "intent: { topics: { gitops: { label: GitOps, phrases: [Argo CD] } } }\n\
                 product_digest: { channels: [product], every: monday 09:00, timezone: Europe/Berlin }\n";
    let w = World::new(TestDir::sqlite(), extra).await;
    let server = w.start();
    let mut payload: Value = serde_json::from_slice(&issue_opened(1, "alice")).unwrap();
    payload["issue"]["title"] = json!("SAML single sign-on");
    payload["issue"]["body"] =
        json!("We deploy with Argo CD and need Okta. What is the pricing?\n\n```\nldap: true\n```");
    let body = serde_json::to_vec(&payload).unwrap();
    assert_eq!(send(&server, "issues", "i1", &body).await, 202);
    w.wait_done("i1");

    let notice = slack_text(&w.slack.posted("product")[0]);
    assert!(
        notice.contains("*Asks about:* SSO (SAML), GitOps (Argo CD), commercial (pricing)"),
        "{notice}"
    );
    let comments = w.leads_comments(1);
    let comment = comments[0]["body"].as_str().unwrap_or_default();
    assert!(
        comment.contains("- Asks about: SSO (SAML), GitOps (Argo CD), commercial (pricing)"),
        "{comment}"
    );

    let dry = w.cli(&["digest", "--dry-run"]);
    let text = String::from_utf8_lossy(&dry.stdout);
    assert!(
        text.contains("product digest, not sent (--dry-run)"),
        "{text}"
    );
    assert!(
        text.contains("*SSO*: 1 account (Globex Corporation), 1 item"),
        "{text}"
    );
    assert_eq!(
        w.slack.posted("product").len(),
        1,
        "a dry run sends nothing"
    );
    let sent = w.cli(&["digest"]);
    assert!(sent.status.success(), "{sent:?}");
    let product = w.slack.posted("product");
    assert_eq!(product.len(), 2);
    let digest = slack_text(&product[1]);
    assert!(
        digest.contains("What target accounts asked for"),
        "{digest}"
    );
    assert!(
        digest.contains("*GitOps*: 1 account (Globex Corporation), 1 item"),
        "{digest}"
    );
    assert!(w.cli(&["digest"]).status.success());
    assert_eq!(w.slack.posted("product").len(), 2, "a period goes out once");
}

#[test]
fn simulate_says_what_the_person_asks_about_and_the_score() {
    let dir = TestDir::sqlite();
    let config = dir.path().join("app.yml");
    std::fs::write(&config, format!("name: orgradar-test\n{}", rules(""))).unwrap();
    let mut payload: Value = serde_json::from_slice(&issue_opened(1, "alice")).unwrap();
    payload["issue"]["title"] = json!("SAML single sign-on");
    payload["issue"]["body"] = json!("What is the pricing? We don't need LDAP.");
    let path = dir.path().join("issue.json");
    std::fs::write(&path, payload.to_string()).unwrap();
    let profile = dir.path().join("alice.json");
    let user = json!({ "user": { "login": "alice", "id": 1, "type": "User", "email": "alice@globex.com" } });
    std::fs::write(&profile, user.to_string()).unwrap();
    let env = [("ORGRADAR_CONFIG", config.to_str().unwrap())];
    let mut args = vec![
        "simulate",
        "--event",
        "issues",
        path.to_str().unwrap(),
        "--profile",
        profile.to_str().unwrap(),
    ];
    let out = cli_with(&dir, &env, &args);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{out:?}");
    assert!(
        text.contains("asks about: SSO (SAML), commercial (pricing)"),
        "{text}"
    );
    assert!(
        text.contains(
            "score: target account +20, tier enterprise +10, issue +20, asks about SSO, commercial +20, first contact +10 = 80"
        ),
        "{text}"
    );
    assert!(
        text.contains("*Asks about:* SSO (SAML), commercial (pricing)"),
        "{text}"
    );
    args.push("--json");
    let out = cli_with(&dir, &env, &args);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        report["intent"],
        json!([
            { "topic": "sso", "phrase": "SAML", "source": "title" },
            { "topic": "commercial", "phrase": "pricing", "source": "body" }
        ])
    );
    assert_eq!(report["plan"]["score"]["total"], 80);
}
