//! Every payload in `@octokit/webhooks-examples` (payloads GitHub really
//! sent), signed and posted to a running server. `.ci/run` installs the
//! package and sets WEBHOOK_EXAMPLES_DIR; where it is absent the test says so.

use crate::support::*;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

fn examples_index() -> Option<PathBuf> {
    let dir = std::env::var_os("WEBHOOK_EXAMPLES_DIR").map(PathBuf::from)?;
    let index = dir.join("api.github.com").join("index.json");
    index.exists().then_some(index)
}

/// The deliveries orgradar must store, written out independently of the server's own table.
fn must_store(event: &str, action: Option<&str>) -> bool {
    matches!(
        (event, action),
        ("issues", Some("opened"))
            | ("pull_request", Some("opened"))
            | ("discussion", Some("created"))
            | ("issue_comment", Some("created"))
            | ("star", Some("created"))
            | ("fork", _)
            | ("installation", _)
            | ("installation_repositories", _)
    )
}

async fn every_real_github_payload_is_accepted_and_the_relevant_ones_stored(dir: TestDir) {
    let Some(index) = examples_index() else {
        missing(
            "every_real_github_payload_is_accepted_and_the_relevant_ones_stored",
            "WEBHOOK_EXAMPLES_DIR does not name an installed @octokit/webhooks-examples@7 \
             (`npm install @octokit/webhooks-examples@7` and set WEBHOOK_EXAMPLES_DIR to its \
             node_modules/@octokit/webhooks-examples; .ci/run does this)",
        );
        return;
    };
    let events: Vec<Value> = serde_json::from_slice(&std::fs::read(&index).unwrap()).unwrap();
    let server = Server::start(&dir);
    let c = client();
    let mut expected = BTreeMap::new();
    let mut total = 0;
    for event in &events {
        let name = event["name"].as_str().unwrap();
        for (i, example) in event["examples"].as_array().unwrap().iter().enumerate() {
            total += 1;
            let id = format!("{name}-{i}");
            let body = serde_json::to_vec(example).unwrap();
            let resp = delivery(&c, &server.webhook_url(), name, &id, &body)
                .send()
                .await
                .unwrap();
            let status = resp.status();
            let text = resp.text().await.unwrap();
            assert!(status.is_success(), "{id}: {status} {text}");
            let action = example["action"].as_str();
            if must_store(name, action) {
                assert_eq!(status, 202, "{id} should be queued: {text}");
                expected.insert(
                    id,
                    (
                        name,
                        action,
                        example["installation"]["id"].as_i64(),
                        example["repository"]["full_name"].as_str(),
                    ),
                );
            } else {
                assert_eq!(status, 200, "{id} should be acknowledged only: {text}");
            }
        }
    }
    assert!(
        total >= 300,
        "only {total} examples: is this version 7 of the package?"
    );
    assert!(
        expected.len() >= 20,
        "only {} relevant examples",
        expected.len()
    );

    let stored = deliveries(&dir);
    assert_eq!(stored.len(), expected.len(), "stored deliveries");
    for d in &stored {
        let id = d["id"].as_str().unwrap();
        let (event, action, installation, repository) = expected
            .get(id)
            .unwrap_or_else(|| panic!("{id} stored but not relevant"));
        assert_eq!(d["event"], *event, "{id}");
        assert_eq!(d["action"].as_str(), *action, "{id}");
        assert_eq!(d["installation_id"].as_i64(), *installation, "{id}");
        assert_eq!(d["repository"].as_str(), *repository, "{id}");
    }
    // Each stored one decodes into an event and is processed: done, or (an
    // event about a person, while this server has no app credentials) held
    // until the app is registered. A payload that does not decode would be
    // dead.
    wait_until(Duration::from_secs(20), "every example processed", || {
        deliveries(&dir)
            .iter()
            .all(|d| d["status"] != "queued" && d["status"] != "processing")
    });
    let held = |d: &Value| {
        d["status"] == "waiting"
            && d["last_error"]
                .as_str()
                .is_some_and(|e| e.starts_with("held: the app is not registered"))
    };
    let not_done: Vec<Value> = deliveries(&dir)
        .into_iter()
        .filter(|d| d["status"] != "done" && !held(d))
        .collect();
    assert!(not_done.is_empty(), "not processed: {not_done:#?}");
    eprintln!(
        "{total} example payloads posted, {} stored and processed",
        expected.len()
    );
}

crate::on_both_stores!(every_real_github_payload_is_accepted_and_the_relevant_ones_stored);
