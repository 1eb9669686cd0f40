//! Job changes end to end: the real server, the fake GitHub and the fake
//! Slack. A person first seen at Globex who later opens an issue as an Acme
//! employee raises `affiliation.changed`: the rule on it tells sales, and
//! logs it on Acme's tracking issue, exactly once whatever happens in
//! between (a failed post, a retry, a redelivery); seeing them at Acme
//! again raises nothing.

use crate::support::fake_github::{APP_ID, FakeGitHub, PRIVATE_KEY};
use crate::support::fake_slack::{Failure, FakeSlack};
use crate::support::*;
use serde_json::{Value, json};
use std::time::Duration;

const WIDGETS_INSTALLATION: u64 = 7;
const LEADS_INSTALLATION: u64 = 9;
const BOT_TOKEN: &str = "xoxb-test-token-7a2b";

/// What GitHub says about jane-dev is asked again at every delivery
/// (`cache: 0s`), so a changed profile is read at once.
const APP_YML: &str = r#"name: orgradar-test
worker:
  retry_base: 1s
  retry_max: 2s
affiliation:
  cache: 0s
accounts:
  - { id: globex, name: Globex Corporation, tier: enterprise }
  - { id: acme, name: Acme Corporation, tier: enterprise }
rules:
  - name: activity
    on: [issues.opened]
    if: { account: any }
    do: { notify: [marketing] }
  - name: left-globex
    on: [affiliation.changed]
    if: { account: any, previous_account: [globex] }
    do: { notify: [sales, leads, marketing] }
channels:
  marketing: { slack_webhook_env: SLACK_MARKETING_WEBHOOK }
  sales: { slack_webhook_env: SLACK_SALES_WEBHOOK }
  leads: { github_issue: { repo: acme-corp/leads, per_account: true } }
throttle: { window: 24h }
"#;

struct World {
    dir: TestDir,
    github: FakeGitHub,
    slack: FakeSlack,
    config: String,
}

impl World {
    async fn new(dir: TestDir) -> World {
        let github = FakeGitHub::start().await;
        github.with(|s| {
            s.repo_installations
                .insert("acme/widgets".into(), WIDGETS_INSTALLATION);
            s.repo_installations
                .insert("acme-corp/leads".into(), LEADS_INSTALLATION);
            s.private_repos.insert("acme-corp/leads".into());
        });
        let slack = FakeSlack::start(BOT_TOKEN).await;
        let path = dir.path().join("app.yml");
        std::fs::write(&path, APP_YML).unwrap();
        World {
            dir,
            github,
            slack,
            config: path.display().to_string(),
        }
    }

    fn works_at(&self, company: &str) {
        self.github.add_user(
            "jane-dev",
            json!({ "id": 77, "type": "User", "company": company }),
            &[],
        );
    }

    fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("WEBHOOK_SECRET", SECRET.to_string()),
            ("APP_ID", APP_ID.to_string()),
            ("PRIVATE_KEY", PRIVATE_KEY.to_string()),
            ("GITHUB_API_URL", self.github.api_url.clone()),
            ("ORGRADAR_CONFIG", self.config.clone()),
            ("RECOVERY_INTERVAL", "off".to_string()),
            (
                "SLACK_MARKETING_WEBHOOK",
                self.slack.webhook_url("marketing"),
            ),
            ("SLACK_SALES_WEBHOOK", self.slack.webhook_url("sales")),
        ]
    }

    fn start(&self) -> Server {
        let env = self.env();
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        Server::start_with(&self.dir, &env, &[])
    }

    /// `orgradar deliveries show ID --json`.
    fn show(&self, id: &str) -> Value {
        let env = self.env();
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let out = cli_with(&self.dir, &env, &["deliveries", "show", id, "--json"]);
        serde_json::from_slice(&out.stdout).unwrap()
    }

    fn wait_done(&self, id: &str) {
        wait_until(Duration::from_secs(30), &format!("{id} done"), || {
            deliveries(&self.dir)
                .iter()
                .any(|d| d["id"] == id && d["status"] == "done")
        });
    }

    fn texts(&self, channel: &str) -> Vec<String> {
        self.slack
            .posted(channel)
            .iter()
            .map(|m| serde_json::to_string(m).unwrap())
            .collect()
    }

    fn leads_comments(&self) -> Vec<Value> {
        self.github.with(|s| {
            s.comments
                .iter()
                .filter(|((repo, _), _)| repo == "acme-corp/leads")
                .flat_map(|(_, c)| c.clone())
                .collect()
        })
    }
}

async fn send(server: &Server, id: &str, number: u64) -> u16 {
    let body = issue_opened(number, "jane-dev");
    delivery(&client(), &server.webhook_url(), "issues", id, &body)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

const MOVED: &str =
    "jane-dev moved from Globex Corporation to Acme Corporation (at Globex Corporation ";

async fn a_move_from_globex_to_acme_is_told_once(dir: TestDir) {
    let w = World::new(dir).await;
    w.works_at("Globex");
    let server = w.start();

    // Sighted at Globex: an ordinary notice, no job change.
    assert_eq!(send(&server, "d1", 1).await, 202);
    w.wait_done("d1");
    let marketing = w.texts("marketing");
    assert_eq!(marketing.len(), 1);
    assert!(marketing[0].contains("Globex Corporation"), "{marketing:?}");
    assert!(w.slack.posted("sales").is_empty());

    // Their profile now says Acme. Slack fails both posts of the next
    // delivery (each tried four times), the issue's and the job change's, so
    // the delivery is retried: what was done is not done again.
    w.works_at("Acme");
    w.slack.fail_next(8, Failure::ServerError);
    assert_eq!(send(&server, "d2", 2).await, 202);
    w.wait_done("d2");

    let sales = w.texts("sales");
    assert_eq!(sales.len(), 1, "{sales:?}");
    let notice = &w.slack.posted("sales")[0];
    let text = notice["text"].as_str().unwrap_or_default();
    assert!(text.starts_with(MOVED), "{text}");
    assert!(
        sales[0].contains("https://github.com/acme/widgets/issues/2"),
        "a link to where they were seen: {}",
        sales[0]
    );
    assert!(
        sales[0].contains("company field"),
        "the evidence: {}",
        sales[0]
    );
    assert!(sales[0].contains("affiliation.changed"), "{}", sales[0]);
    // Marketing hears of the issue and of the job change: a job change is
    // not held back by the throttle the issue's notice just took.
    let marketing = w.texts("marketing");
    assert_eq!(marketing.len(), 3, "{marketing:?}");
    let moved = marketing
        .iter()
        .filter(|m| m.contains("moved from"))
        .count();
    assert_eq!(moved, 1, "{marketing:?}");

    let shown = w.show("d2");
    assert!(
        shown["attempt_log"].as_array().unwrap().len() >= 2,
        "the failed posts made a second attempt: {shown}"
    );
    let ledgered: Vec<(&str, &str)> = shown["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["action"].as_str().unwrap(), a["state"].as_str().unwrap()))
        .collect();
    assert_eq!(
        ledgered,
        [
            ("notify:marketing", "done"),
            ("notify:leads (affiliation.changed)", "done"),
            ("notify:marketing (affiliation.changed)", "done"),
            ("notify:sales (affiliation.changed)", "done"),
        ]
    );

    let comments = w.leads_comments();
    assert_eq!(comments.len(), 1, "{comments:?}");
    let comment = comments[0]["body"].as_str().unwrap_or_default();
    assert!(
        comment.contains("moved from **Globex Corporation** to **Acme Corporation**"),
        "{comment}"
    );

    // GitHub redelivers d2: acknowledged, not acted on again. Then jane-dev
    // is seen at Acme once more: no job change.
    assert_eq!(send(&server, "d2", 2).await, 200);
    assert_eq!(send(&server, "d3", 3).await, 202);
    w.wait_done("d3");
    assert_eq!(w.texts("sales").len(), 1);
    assert_eq!(w.leads_comments().len(), 1);
    assert_eq!(w.texts("marketing").len(), 3, "d3 is throttled");
}

crate::on_both_stores!(a_move_from_globex_to_acme_is_told_once);
