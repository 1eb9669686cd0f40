//! The buttons of a Slack notice, clicked as Slack clicks them: the fake
//! Slack reads the button from the message orgradar posted, posts the
//! signed `block_actions` payload, and orgradar records the answer and
//! queues its follow-up job. Forged, stale, unsigned and replayed requests
//! are refused and change nothing.

use crate::support::fake_github::{APP_ID, FakeGitHub, PRIVATE_KEY};
use crate::support::fake_slack::FakeSlack;
use crate::support::fake_slack_clicks::{SlackUser, now_secs, send, signed};
use crate::support::*;
use orgradar::config::DatabaseUrl;
use orgradar::people::{Correction, Verdict, Via};
use orgradar::store::Store;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;

const SIGNING: &str = "slack-signing-secret-4b7e";
const RETIRED: &str = "slack-signing-secret-old-9a0c";
const BOT_TOKEN: &str = "xoxb-test-token-5c1e";
const CHANNEL: &str = "sales";
const INTERACTIONS: &str = "/api/slack/interactions";

struct World {
    dir: TestDir,
    _github: FakeGitHub,
    slack: FakeSlack,
    server: Server,
}

impl World {
    /// A server whose rule posts Globex's issues to the `sales` webhook;
    /// with `signing`, SLACK_SIGNING_SECRET holds a retired secret and `signing`.
    async fn start(dir: TestDir, signing: Option<&str>) -> World {
        let github = FakeGitHub::start().await;
        github.add_user(
            "alice",
            json!({ "id": 1, "type": "User", "email": "alice@globex.com", "company": "" }),
            &[],
        );
        github.with(|s| {
            s.repo_installations.insert("acme/widgets".into(), 7);
        });
        let slack = FakeSlack::start(BOT_TOKEN).await;
        let config = dir.path().join("app.yml");
        std::fs::write(
            &config,
            "name: orgradar-test
accounts:
  - { id: globex, name: Globex Corporation, tier: enterprise, domains: [globex.com] }
rules:
  - name: enterprise-issues
    on: [issues.opened]
    if: { tier: [enterprise] }
    do: { notify: [sales] }
channels:
  sales: { slack_webhook_env: SLACK_SALES_WEBHOOK }
",
        )
        .unwrap();
        let secrets = signing.map(|s| format!("{RETIRED},{s}"));
        let mut env = vec![
            ("WEBHOOK_SECRET".to_string(), SECRET.to_string()),
            ("APP_ID".into(), APP_ID.to_string()),
            ("PRIVATE_KEY".into(), PRIVATE_KEY.into()),
            ("GITHUB_API_URL".into(), github.api_url.clone()),
            ("ORGRADAR_CONFIG".into(), config.display().to_string()),
            ("RECOVERY_INTERVAL".into(), "off".into()),
            ("SLACK_SALES_WEBHOOK".into(), slack.webhook_url(CHANNEL)),
        ];
        if let Some(secrets) = secrets {
            env.push(("SLACK_SIGNING_SECRET".into(), secrets));
        }
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let server = Server::start_with(&dir, &env, &[]);
        World {
            dir,
            _github: github,
            slack,
            server,
        }
    }

    /// Alice of Globex opens an issue; the notice is posted.
    async fn notice(&self) -> Value {
        let body = issue_opened(1, "alice");
        let status = delivery(&client(), &self.server.webhook_url(), "issues", "d1", &body)
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(status, 202);
        wait_until(Duration::from_secs(30), "the notice in #sales", || {
            !self.slack.posted(CHANNEL).is_empty()
        });
        self.slack.posted(CHANNEL)[0].clone()
    }

    fn url(&self) -> String {
        self.server.url(INTERACTIONS)
    }

    async fn click(&self, action_id: &str, who: &str) -> u16 {
        let clicked = self
            .slack
            .click(
                &self.url(),
                SIGNING,
                CHANNEL,
                0,
                action_id,
                &SlackUser::new(who),
            )
            .await;
        assert_eq!(clicked.body, "", "{}", self.server.log());
        clicked.status
    }

    async fn store(&self) -> Arc<dyn Store> {
        orgradar::store::open(&DatabaseUrl::parse(&self.dir.database_url).unwrap())
            .await
            .unwrap()
    }

    async fn corrections(&self) -> Vec<Correction> {
        self.store().await.corrections("alice").await.unwrap()
    }

    fn correction_jobs(&self) -> Vec<Value> {
        deliveries(&self.dir)
            .into_iter()
            .filter(|d| d["event"] == "orgradar.correction")
            .collect()
    }
}

/// `(action_id, text, style)` of the buttons of `message`.
fn buttons(message: &Value) -> Vec<(String, String, String)> {
    let blocks = message["blocks"].as_array().cloned().unwrap_or_default();
    blocks
        .iter()
        .filter(|b| b["type"] == "actions")
        .flat_map(|b| b["elements"].as_array().cloned().unwrap_or_default())
        .map(|e| {
            let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
            (
                text(&e["action_id"]),
                text(&e["text"]["text"]),
                text(&e["style"]),
            )
        })
        .collect()
}

fn button(id: &str, text: &str, style: &str) -> (String, String, String) {
    (id.into(), text.into(), style.into())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_signing_secret_notices_have_no_buttons_and_clicks_are_not_taken() {
    let w = World::start(TestDir::sqlite(), None).await;
    let notice = w.notice().await;
    assert!(buttons(&notice).is_empty(), "{notice:#}");
    let answer = send(
        &w.url(),
        "payload=%7B%7D",
        &signed(SIGNING, now_secs(), "payload=%7B%7D"),
    )
    .await;
    assert_eq!(answer.status, 503);
    assert!(
        answer.body.contains(
            "set SLACK_SIGNING_SECRET to the Slack app's Basic Information → Signing Secret"
        ),
        "{}",
        answer.body
    );
}

async fn clicks_are_recorded_with_who_answered_and_what_was_sighted(dir: TestDir) {
    let w = World::start(dir, Some(SIGNING)).await;
    let notice = w.notice().await;
    assert_eq!(
        buttons(&notice),
        [
            button("orgradar_confirm", "Confirm", "primary"),
            button("orgradar_not", "Not Globex Corporation", "danger"),
            button("orgradar_ignore", "Ignore alice", ""),
        ]
    );

    // Signed with the second of the two configured secrets.
    assert_eq!(w.click("orgradar_confirm", "dana").await, 200);
    let first = w.corrections().await;
    assert_eq!(first.len(), 1);
    let c = &first[0];
    assert_eq!(c.verdict, Verdict::Confirm);
    assert_eq!(c.account.as_deref(), Some("globex"));
    assert_eq!(c.by, "@dana");
    assert_eq!(c.via, Via::Slack);
    assert_eq!(c.sighting.as_deref(), Some("d1"));
    assert_eq!(c.sighted.account.as_deref(), Some("globex"));
    assert_eq!(c.sighted.signal.as_deref(), Some("email_domain"));
    assert_eq!(c.sighted.rules, ["enterprise-issues"]);
    assert!(c.id.starts_with("slack-T0ORGRADAR-UDANA-"), "{}", c.id);

    // Someone else on the same message thinks otherwise: both are kept,
    // and the later answer is the one in force.
    assert_eq!(w.click("orgradar_not", "erin").await, 200);
    let store = w.store().await;
    let both = store.corrections("alice").await.unwrap();
    assert_eq!(both.len(), 2);
    assert_eq!(both[1].verdict, Verdict::None);
    assert_eq!(both[1].account, None);
    assert_eq!(both[1].by, "@erin");
    assert_eq!(both[1].sighted.account.as_deref(), Some("globex"));
    let standing = store.standing("alice").await.unwrap();
    assert_eq!(standing.correction.map(|c| c.id), Some(both[1].id.clone()));

    assert_eq!(w.click("orgradar_ignore", "frank").await, 200);
    let all = w.corrections().await;
    assert_eq!(all.len(), 3);
    assert_eq!(all[2].verdict, Verdict::Ignore);
    assert_eq!(all[2].by, "@frank");

    // A job for each answer, under the answer's id.
    let mut jobs: Vec<String> = w
        .correction_jobs()
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_string())
        .collect();
    jobs.sort();
    let mut ids: Vec<String> = all.iter().map(|c| c.id.clone()).collect();
    ids.sort();
    assert_eq!(jobs, ids);
}
crate::on_both_stores!(clicks_are_recorded_with_who_answered_and_what_was_sighted);

async fn forged_stale_unsigned_and_replayed_clicks_are_refused(dir: TestDir) {
    let w = World::start(dir, Some(SIGNING)).await;
    w.notice().await;
    let dana = SlackUser::new("dana");
    let click = w.slack.interaction(CHANNEL, 0, "orgradar_not", &dana);
    let now = now_secs();

    let forged = send(
        &w.url(),
        &click.body,
        &signed("not-the-secret", now, &click.body),
    )
    .await;
    assert_eq!(forged.status, 401);
    assert!(
        forged.body.contains(
            "check SLACK_SIGNING_SECRET against the Slack app's Basic Information → Signing Secret"
        ),
        "{}",
        forged.body
    );
    let stale = send(
        &w.url(),
        &click.body,
        &signed(SIGNING, now - 600, &click.body),
    )
    .await;
    assert_eq!(stale.status, 401);
    assert!(
        stale.body.contains("the server clock may be off"),
        "{}",
        stale.body
    );
    let ahead = send(
        &w.url(),
        &click.body,
        &signed(SIGNING, now + 600, &click.body),
    )
    .await;
    assert_eq!(ahead.status, 401);
    assert!(ahead.body.contains("stale"), "{}", ahead.body);
    let unsigned = send(&w.url(), &click.body, &[]).await;
    assert_eq!(unsigned.status, 401);
    assert!(unsigned.body.starts_with("unsigned"), "{}", unsigned.body);
    let tampered = click.body.replace("dana", "mallory");
    let changed = send(&w.url(), &tampered, &signed(SIGNING, now, &click.body)).await;
    assert_eq!(changed.status, 401);
    assert!(w.corrections().await.is_empty());
    assert!(w.correction_jobs().is_empty());

    // The real click is taken once; the same request again is a replay.
    let headers = signed(SIGNING, now, &click.body);
    let taken = send(&w.url(), &click.body, &headers).await;
    assert_eq!((taken.status, taken.body.as_str()), (200, ""));
    let replayed = send(&w.url(), &click.body, &headers).await;
    assert_eq!(replayed.status, 401);
    assert!(replayed.body.starts_with("replay"), "{}", replayed.body);
    // Signed afresh (as another instance would see it), it changes nothing.
    let again = send(
        &w.url(),
        &click.body,
        &signed(SIGNING, now + 1, &click.body),
    )
    .await;
    assert_eq!(again.status, 200);
    assert_eq!(w.corrections().await.len(), 1);
    assert_eq!(w.correction_jobs().len(), 1);

    // A payload that is not JSON is a 400 that says so; another app's
    // button is acknowledged and ignored.
    let junk = "payload=not-json";
    let bad = send(&w.url(), junk, &signed(SIGNING, now, junk)).await;
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("`payload`"), "{}", bad.body);
    let other = serde_json::json!({
        "type": "block_actions",
        "user": { "id": "U1", "username": "dana" },
        "actions": [{ "action_id": "someone_else", "value": "x", "action_ts": "1.2" }]
    });
    let body = form_urlencoded::Serializer::new(String::new())
        .append_pair("payload", &other.to_string())
        .finish();
    let ignored = send(&w.url(), &body, &signed(SIGNING, now, &body)).await;
    assert_eq!(ignored.status, 200);
    assert_eq!(w.corrections().await.len(), 1);
}
crate::on_both_stores!(forged_stale_unsigned_and_replayed_clicks_are_refused);
