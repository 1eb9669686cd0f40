//! Corrections from Slack end to end: the fake Slack clicks the buttons of
//! the notice orgradar posted, signed as Slack signs; the server's worker
//! puts right what the wrong answer did and replaces the message.

use crate::actions::{World, send};
use crate::corrections::{jobs, wait_jobs};
use crate::support::fake_github::Failure;
use crate::support::fake_slack_clicks::SlackUser;
use crate::support::*;
use axum::http::Method;
use serde_json::Value;
use std::time::Duration;

const SIGNING: &str = "8f742231b10e8888abcd99yyyzzz85a5";

fn start(w: &World) -> Server {
    let mut env = w.env();
    env.push(("SLACK_SIGNING_SECRET".into(), SIGNING.into()));
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    Server::start_with(&w.dir, &env, &[])
}

/// The context lines a replaced message ends with.
fn answers_shown(message: &Value) -> String {
    let blocks = message["blocks"].as_array().unwrap();
    assert!(
        blocks.iter().all(|b| b["type"] != "actions"),
        "the buttons are gone: {message}"
    );
    blocks.last().unwrap()["elements"][0]["text"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn not_from_slack_puts_right_and_replaces_the_message(dir: TestDir) {
    let w = World::new(dir, "").await;
    let server = start(&w);
    assert_eq!(
        send(&server, "issues", "d1", &issue_opened(1, "alice")).await,
        202
    );
    w.wait_done("d1");
    w.assert_one_of_each(1);

    let url = server.url("/api/slack/interactions");
    let dana = SlackUser::new("dana");
    let clicked = w
        .slack
        .click(&url, SIGNING, "product", 0, "orgradar_not", &dana)
        .await;
    assert_eq!(clicked.status, 200, "{}", clicked.body);
    wait_jobs(&w, 1, "done");

    assert!(w.labels("acme/widgets", 1).is_empty());
    let comments = w.leads_comments(1);
    assert_eq!(comments.len(), 2);
    assert!(comments[1]["body"].as_str().unwrap().contains("via Slack"));
    let replaced = w
        .slack
        .replaced(clicked.reply)
        .expect("the message was replaced");
    let shown = answers_shown(&replaced);
    assert!(
        shown.starts_with("*Marked not Globex Corporation* by @dana, <!date^"),
        "{shown}"
    );
    assert!(
        replaced.to_string().contains("Globex Corporation"),
        "the notice itself stays: {replaced}"
    );
    assert_eq!(w.slack.replies(clicked.reply).len(), 1);

    // The next issue from alice follows the answer.
    assert_eq!(
        send(&server, "issues", "d2", &issue_opened(2, "alice")).await,
        202
    );
    w.wait_done("d2");
    assert!(w.labels("acme/widgets", 2).is_empty());
    assert_eq!(w.slack.posted("product").len(), 1);
}

async fn a_click_waits_for_its_delivery_and_of_two_answers_the_later_wins(dir: TestDir) {
    let w = World::new(dir, "").await;
    // The tracking-issue comment fails for a while: the delivery is posted
    // to Slack, then waits for its retry.
    for _ in 0..6 {
        w.github
            .fail_next(Method::POST, "/comments", Failure::BadGateway);
    }
    let server = start(&w);
    assert_eq!(
        send(&server, "issues", "d1", &issue_opened(1, "alice")).await,
        202
    );
    wait_until(
        Duration::from_secs(30),
        "the notice posted, d1 not done",
        || w.slack.posted("product").len() == 1 && w.status("d1") == "failed",
    );

    let url = server.url("/api/slack/interactions");
    let confirm = w
        .slack
        .click(
            &url,
            SIGNING,
            "product",
            0,
            "orgradar_confirm",
            &SlackUser::new("dana"),
        )
        .await;
    let not = w
        .slack
        .click(
            &url,
            SIGNING,
            "#marketing",
            0,
            "orgradar_not",
            &SlackUser::new("bob"),
        )
        .await;
    assert_eq!((confirm.status, not.status), (200, 200));
    wait_until(
        Duration::from_secs(30),
        "the answer in force waits for d1",
        || {
            jobs(&w).iter().any(|j| {
                j["status"] == "waiting"
                    && j["last_error"]
                        .as_str()
                        .is_some_and(|e| e.contains("still"))
            })
        },
    );
    assert_eq!(
        w.labels("acme/widgets", 1),
        ["enterprise"],
        "nothing undone yet"
    );

    w.github.clear_failures();
    w.wait_done("d1");
    wait_jobs(&w, 2, "done");
    assert!(
        w.labels("acme/widgets", 1).is_empty(),
        "the later answer won"
    );
    // Whether the retry of d1 logged the sighting before the answer came
    // depends on timing; either way the tracking issue never shows Globex
    // without the correction after it.
    let comments: Vec<String> = w
        .leads_comments(1)
        .iter()
        .map(|c| c["body"].as_str().unwrap().to_string())
        .collect();
    match comments.as_slice() {
        [] => {}
        [logged, corrected] => {
            assert!(logged.contains("orgradar:delivery=d1"), "{logged}");
            assert!(
                corrected.contains("Marked not Globex Corporation"),
                "{corrected}"
            );
        }
        other => panic!("{other:?}"),
    }
    let shown: Value =
        serde_json::from_slice(&w.cli(&["people", "show", "alice", "--json"]).stdout).unwrap();
    assert_eq!(shown["corrections"].as_array().unwrap().len(), 2, "{shown}");
    assert_eq!(shown["in_force"]["by"], "@bob");
    assert_eq!(shown["in_force"]["verdict"], "none");
    let latest = answers_shown(&w.slack.replaced(not.reply).unwrap());
    assert!(
        latest.starts_with("*Marked not Globex Corporation* by @bob"),
        "{latest}"
    );
    assert!(
        latest.contains("\n*Confirmed Globex Corporation* by @dana"),
        "{latest}"
    );
}

crate::on_both_stores!(not_from_slack_puts_right_and_replaces_the_message);
crate::on_both_stores!(a_click_waits_for_its_delivery_and_of_two_answers_the_later_wins);
