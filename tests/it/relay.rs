//! `WEBHOOK_PROXY_URL`: `serve` subscribes to a relay channel and posts each
//! delivery to its own webhook endpoint, signed body intact.

use crate::support::sse_relay::{SseRelay, message, ping, ready};
use crate::support::*;
use serde_json::Value;
use std::time::Duration;

/// A real GitHub payload, byte for byte as GitHub sent it (compact, GitHub's key order).
fn github_payload() -> String {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/issues.opened.json");
    std::fs::read_to_string(path)
        .unwrap()
        .trim_end()
        .to_string()
}

fn stored(dir: &TestDir) -> Vec<String> {
    deliveries(dir)
        .iter()
        .filter_map(|d| d["id"].as_str().map(str::to_string))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deliveries_from_the_relay_channel_are_stored_across_a_reconnect() {
    let first = github_payload();
    // Not in sorted order: the order has to survive the relay.
    assert!(first.starts_with("{\"action\":\"opened\",\"issue\":{\"url\":"));
    let third = String::from_utf8(star_created("relay-ann")).unwrap();
    // GitHub escaped the é; the relay parsed the payload and wrote it out again unescaped.
    let template = String::from_utf8(issue_opened(2, "relay-bob")).unwrap();
    let as_github_sent = template.replace("Issue 2", "Caf\\u00e9 2");
    let as_relayed = template.replace("Issue 2", "Café 2");
    let signed = |event: &str, id: &str, body: &str| github_headers(event, id, body.as_bytes());
    let relay = SseRelay::start(vec![
        vec![
            ready(),
            ping(),
            message(&signed("issues", "relay-1", &first), &first),
        ],
        vec![
            ready(),
            message(&signed("issues", "relay-2", &as_github_sent), &as_relayed),
            ping(),
            message(&signed("star", "relay-3", &third), &third),
        ],
    ])
    .await;
    let dir = TestDir::sqlite();
    let server = Server::start_with(
        &dir,
        &[
            ("WEBHOOK_SECRET", SECRET),
            ("WEBHOOK_PROXY_URL", relay.url.as_str()),
        ],
        &["--no-worker"],
    );

    wait_until(
        Duration::from_secs(30),
        "both relayed deliveries stored",
        || {
            let ids = stored(&dir);
            ids.contains(&"relay-1".to_string()) && ids.contains(&"relay-3".to_string())
        },
    );
    let requests = relay.requests();
    assert!(
        requests.len() >= 2,
        "reconnected after the drop: {requests:?}"
    );
    for head in &requests {
        assert!(head.starts_with("GET /channel "), "{head}");
        assert!(
            head.to_ascii_lowercase()
                .contains("accept: text/event-stream"),
            "{head}"
        );
    }

    // The re-encoded one was refused for its signature, and said so plainly.
    let mut metrics = String::new();
    for _ in 0..200 {
        metrics = server.metrics().await;
        if metrics.contains("orgradar_webhook_refusals_total{reason=\"signature_mismatch\"} 1") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        metrics.contains("orgradar_webhook_refusals_total{reason=\"signature_mismatch\"} 1"),
        "{metrics}"
    );
    assert!(!stored(&dir).contains(&"relay-2".to_string()));
    wait_until(Duration::from_secs(10), "the mismatch reported", || {
        server.log().lines().any(|line| {
            let Ok(v) = serde_json::from_str::<Value>(line) else {
                return false;
            };
            v["fields"]["delivery"] == "relay-2"
                && v["fields"]["status"] == 401
                && v["fields"]["message"]
                    .as_str()
                    .is_some_and(|m| m.contains("re-encoded body no longer matches the signature"))
        })
    });
    // Each forwarded delivery is logged with its event, id and local status.
    let log = server.log();
    let relayed: Vec<Value> = log
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|v| v["fields"]["message"] == "relayed a delivery")
        .collect();
    assert!(
        relayed.iter().any(|v| v["fields"]["delivery"] == "relay-1"
            && v["fields"]["event"] == "issues"
            && v["fields"]["status"] == 202),
        "{log}"
    );
}
