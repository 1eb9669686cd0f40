//! The command line: `check`, `deliveries list|show|retry`.

use crate::support::app::App;
use crate::support::*;
use serde_json::Value;
use std::time::Duration;

fn text(out: &std::process::Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn check_accepts_the_shipped_app_yml_and_points_at_mistakes() {
    let dir = TestDir::sqlite();
    let out = cli(&dir, &["check", "--config", app_yml().to_str().unwrap()]);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(stdout.contains("is valid"), "{stdout}");

    let bad = dir.path().join("app.yml");
    std::fs::write(
        &bad,
        "name: orgradar\ndefault_permissions:\n  issues: write\nworker:\n  concurency: 4\n",
    )
    .unwrap();
    let out = cli(&dir, &["check", "--config", bad.to_str().unwrap()]);
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr.contains("app.yml:5:3: "), "{stderr}");
    assert!(stderr.contains("concurency"), "{stderr}");

    let missing = dir.path().join("nope.yml");
    let out = cli(&dir, &["check", "--config", missing.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out).1.contains("--config "), "{}", text(&out).1);
}

#[test]
fn serve_refuses_to_start_on_a_broken_config_or_environment() {
    let dir = TestDir::sqlite();
    let bad = dir.path().join("app.yml");
    std::fs::write(&bad, "name: orgradar\nworker: { max_attempts: 0 }\n").unwrap();
    let out = std::process::Command::new(binary())
        .arg("serve")
        .env("ORGRADAR_CONFIG", &bad)
        .env(
            "DATABASE_URL",
            format!("sqlite://{}", dir.path().join("o.db").display()),
        )
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        text(&out)
            .1
            .contains("worker.max_attempts must be between 1 and 100"),
        "{}",
        text(&out).1
    );

    let out = std::process::Command::new(binary())
        .arg("serve")
        .env("PORT", "eighty")
        .env("WEBHOOK_SECRET", "do-not-print-me")
        .output()
        .unwrap();
    let (_, stderr) = text(&out);
    assert!(!out.status.success());
    assert!(stderr.contains("environment variable PORT"), "{stderr}");
    assert!(!stderr.contains("do-not-print-me"));
}

async fn a_dead_delivery_is_listed_shown_and_retried(dir: TestDir) {
    let app = App::start().await;
    let _server = app.serve(&dir, &[], &[]);
    let c = client();
    // GitHub-signed JSON of a shape this version cannot use: kept, then dead, never lost.
    let odd = br#"{"action":"opened","issue":"not an object","repository":{"id":1,"full_name":"acme/widgets"}}"#;
    let r = delivery(&c, &_server.webhook_url(), "issues", "odd-1", odd)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 202);
    let ok = issue_opened(1, "erin");
    assert_eq!(
        delivery(&c, &_server.webhook_url(), "issues", "ok-1", &ok)
            .send()
            .await
            .unwrap()
            .status(),
        202
    );

    let status_of = |id: &str| -> Value {
        deliveries(&dir)
            .into_iter()
            .find(|d| d["id"] == id)
            .unwrap()
    };
    wait_until(Duration::from_secs(10), "odd-1 dead", || {
        status_of("odd-1")["status"] == "dead"
    });
    wait_until(Duration::from_secs(10), "ok-1 done", || {
        status_of("ok-1")["status"] == "done"
    });

    let out = cli(&dir, &["deliveries", "list", "--status", "dead", "--json"]);
    let dead: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(dead.len(), 1);
    let d = &dead[0];
    for key in ["id", "event", "action", "status", "attempts", "received_at"] {
        assert!(d.get(key).is_some(), "{key} missing from {d}");
    }
    assert_eq!(d["attempts"], 1);
    assert!(
        d["last_error"]
            .as_str()
            .unwrap()
            .contains("deliveries retry odd-1"),
        "{d}"
    );

    let out = cli(&dir, &["deliveries", "show", "odd-1"]);
    let (stdout, _) = text(&out);
    assert!(stdout.contains("attempt 1 by"), "{stdout}");
    assert!(stdout.contains(": dead"), "{stdout}");

    let out = cli(&dir, &["deliveries", "retry", "odd-1"]);
    assert!(out.status.success(), "{}", text(&out).1);
    wait_until(Duration::from_secs(10), "odd-1 tried again", || {
        status_of("odd-1")["attempts"] == 2
    });
    wait_until(Duration::from_secs(10), "odd-1 dead again", || {
        status_of("odd-1")["status"] == "dead"
    });

    let out = cli(&dir, &["deliveries", "retry", "ok-1"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out).1.contains("--force"), "{}", text(&out).1);
    let out = cli(&dir, &["deliveries", "retry", "ok-1", "--force"]);
    assert!(out.status.success());
    wait_until(Duration::from_secs(10), "ok-1 done twice over", || {
        let d = status_of("ok-1");
        d["status"] == "done" && d["attempts"] == 2
    });

    let out = cli(&dir, &["deliveries", "retry", "no-such-id"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out).1.contains("no delivery with id no-such-id"));
    let out = cli(&dir, &["deliveries", "list", "--status", "lost"]);
    assert!(!out.status.success());
    assert!(
        text(&out)
            .1
            .contains("queued, processing, waiting, done, failed or dead"),
        "{}",
        text(&out).1
    );
}

crate::on_both_stores!(a_dead_delivery_is_listed_shown_and_retried);
