//! A delivery that cannot be processed yet is never silently done: before
//! the app is registered it is held, with a reason that says what to do,
//! counted in /metrics, and processed by itself once the registration
//! completes. A delivery with nothing to do is done with a note saying why.

use crate::setup_flow::{attribute, browser_cookie, callback};
use crate::support::fake_github::FakeGitHub;
use crate::support::*;
use serde_json::{Value, json};
use std::time::Duration;

fn find(dir: &TestDir, id: &str) -> Option<Value> {
    deliveries(dir).into_iter().find(|d| d["id"] == id)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delivery_before_registration_is_held_then_processed_once_the_app_is_registered() {
    let fake = FakeGitHub::start().await;
    fake.add_manifest_code("code123");
    fake.add_installation(7, "acme");
    fake.add_user(
        "alice",
        json!({ "id": 1, "type": "User", "company": "Initech" }),
        &[],
    );
    let dir = TestDir::sqlite();
    let env = [
        ("WEBHOOK_SECRET", SECRET),
        ("GITHUB_API_URL", fake.api_url.as_str()),
        ("PUBLIC_URL", "https://orgradar.example.com"),
    ];
    let server = Server::start_with(&dir, &env, &[]);
    let c = client();
    let sent = delivery(
        &c,
        &server.webhook_url(),
        "issues",
        "held-1",
        &issue_opened(1, "alice"),
    );
    assert_eq!(sent.send().await.unwrap().status(), 202);

    wait_until(Duration::from_secs(20), "the delivery to be held", || {
        find(&dir, "held-1").is_some_and(|d| d["status"] == "waiting")
    });
    let held = find(&dir, "held-1").unwrap();
    let reason = held["last_error"].as_str().unwrap_or_default();
    assert!(reason.starts_with("held: "), "{held}");
    assert!(reason.contains("orgradar register"), "{reason}");
    let metrics = server.metrics().await;
    assert!(
        metrics.contains(r#"orgradar_deliveries_processed_total{event="issues",outcome="held"}"#),
        "{metrics}"
    );

    // Registering from the page gives the running server its credentials.
    let home = c.get(server.url("/")).send().await.unwrap();
    let cookie = browser_cookie(&home);
    let page = home.text().await.unwrap();
    let action = attribute(&page, "<form action=\"");
    let state = action.rsplit("state=").next().unwrap().to_string();
    let done = callback(&c, &server, "code123", &state, Some(&cookie)).await;
    assert_eq!(done.status(), 200);

    // Well before the held delivery's next look (5 minutes), it is processed.
    wait_until(
        Duration::from_secs(15),
        "the held delivery to be processed",
        || find(&dir, "held-1").is_some_and(|d| d["status"] == "done"),
    );
    let processed = find(&dir, "held-1").unwrap();
    let note = processed["note"].as_str().unwrap_or_default();
    assert!(note.contains("no rule matched alice"), "{processed}");
    assert!(
        fake.requests().iter().any(|r| r.path == "/graphql"),
        "alice was looked up"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_installation_event_is_done_with_a_note_saying_there_was_nothing_to_do() {
    let dir = TestDir::sqlite();
    let server = Server::start(&dir);
    let c = client();
    let body = serde_json::to_vec(&json!({
        "action": "created",
        "installation": { "id": 7, "account": { "login": "acme" } },
        "sender": { "login": "octocat", "id": 1 }
    }))
    .unwrap();
    let sent = delivery(&c, &server.webhook_url(), "installation", "inst-1", &body);
    assert_eq!(sent.send().await.unwrap().status(), 202);
    wait_until(Duration::from_secs(20), "the delivery to be done", || {
        find(&dir, "inst-1").is_some_and(|d| d["status"] == "done")
    });
    let done = find(&dir, "inst-1").unwrap();
    assert!(
        done["note"]
            .as_str()
            .unwrap_or_default()
            .contains("about no person"),
        "{done}"
    );
    let show = cli(&dir, &["deliveries", "show", "inst-1"]);
    let text = String::from_utf8_lossy(&show.stdout);
    assert!(
        text.contains("note") && text.contains("about no person"),
        "{text}"
    );
}
