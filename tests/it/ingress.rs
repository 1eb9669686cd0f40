//! Every refusal the webhook endpoint makes, and every way it accepts.

use crate::support::*;
use orgradar::ingress::signature::sign;
use serde_json::Value;

async fn refused(resp: reqwest::Response, status: u16, needle: &str) {
    assert_eq!(resp.status().as_u16(), status);
    let body: Value = resp.json().await.expect("refusals are JSON");
    let error = body["error"].as_str().expect("an error message");
    assert!(error.contains(needle), "`{needle}` not in: {error}");
    assert!(
        !error.contains(SECRET),
        "a refusal echoed the secret: {error}"
    );
}

#[tokio::test]
async fn each_refusal_has_its_status_and_says_how_to_fix_it() {
    let dir = TestDir::sqlite();
    let server = Server::start(&dir);
    let url = server.webhook_url();
    let c = client();
    let body = issue_opened(1, "alice");

    let h = github_headers("issues", "r1", &body);
    let long_id = "x".repeat(101);
    let legacy = with(
        &with(&h, "x-hub-signature-256", None),
        "x-hub-signature",
        Some("sha1=0123456789abcdef0123456789abcdef01234567"),
    );
    let other_secret = sign(b"another secret", &body);
    // The same JSON re-serialized (pretty-printed) no longer matches: the signature covers the raw bytes.
    let pretty =
        serde_json::to_vec_pretty(&serde_json::from_slice::<Value>(&body).unwrap()).unwrap();
    type Case<'a> = (Vec<(String, String)>, &'a [u8], u16, &'a str);
    let cases: Vec<Case> = vec![
        (
            with(&h, "x-github-event", None),
            &body,
            400,
            "missing X-GitHub-Event",
        ),
        (
            with(&h, "x-github-delivery", None),
            &body,
            400,
            "missing X-GitHub-Delivery",
        ),
        (
            with(&h, "x-github-delivery", Some(&long_id)),
            &body,
            400,
            "X-GitHub-Delivery must be",
        ),
        (
            with(&h, "content-type", Some("text/plain")),
            &body,
            415,
            "`text/plain`",
        ),
        (with(&h, "content-type", None), &body, 415, "(none)"),
        (
            with(&h, "x-hub-signature-256", None),
            &body,
            401,
            "missing X-Hub-Signature-256",
        ),
        (legacy, &body, 401, "legacy SHA-1"),
        (
            with(&h, "x-hub-signature-256", Some("sha256=xyz")),
            &body,
            401,
            "64 lowercase hex digits",
        ),
        (
            with(&h, "x-hub-signature-256", Some(&other_secret)),
            &body,
            401,
            "signature does not match",
        ),
        (h.clone(), &pretty, 401, "re-encodes the body"),
    ];
    for (headers, payload, status, needle) in cases {
        refused(
            post(&c, &url, &headers, payload).send().await.unwrap(),
            status,
            needle,
        )
        .await;
    }
    let send =
        |headers: Vec<(String, String)>, body: Vec<u8>| post(&c, &url, &headers, &body).send();

    let not_json = b"this is not json".to_vec();
    refused(
        delivery(&c, &url, "issues", "r4", &not_json)
            .send()
            .await
            .unwrap(),
        400,
        "not JSON",
    )
    .await;
    refused(
        delivery(&c, &url, "push", "r4", &not_json)
            .send()
            .await
            .unwrap(),
        400,
        "not JSON",
    )
    .await;
    let form_without_payload = b"other=1".to_vec();
    let form_headers = with(
        &github_headers("issues", "r5", &form_without_payload),
        "content-type",
        Some("application/x-www-form-urlencoded"),
    );
    let form = send(form_headers, form_without_payload).await.unwrap();
    refused(form, 400, "no `payload` field").await;

    // A declared length over GitHub's 25 MiB cap is refused before the body is read.
    let addr = server.base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST /api/github/webhooks HTTP/1.1\r\nhost: {addr}\r\ncontent-type: application/json\r\n\
         x-github-event: issues\r\nx-github-delivery: r6\r\nx-hub-signature-256: {}\r\n\
         content-length: {}\r\nconnection: close\r\n\r\n",
        sign(SECRET.as_bytes(), b"{}"),
        25 * 1024 * 1024 + 1
    );
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("over 25 MiB"), "{answer}");
    // Without a declared length (chunked), reading stops at the cap.
    let stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let (mut read, mut write) = stream.into_split();
    let head = format!(
        "POST /api/github/webhooks HTTP/1.1\r\nhost: {addr}\r\ncontent-type: application/json\r\n\
         x-github-event: issues\r\nx-github-delivery: r7\r\nx-hub-signature-256: {}\r\n\
         transfer-encoding: chunked\r\nconnection: close\r\n\r\n",
        sign(SECRET.as_bytes(), b"{}")
    );
    let writer = tokio::spawn(async move {
        write.write_all(head.as_bytes()).await?;
        let chunk = vec![b' '; 1024 * 1024];
        for _ in 0..26 {
            write
                .write_all(format!("{:x}\r\n", chunk.len()).as_bytes())
                .await?;
            write.write_all(&chunk).await?;
            write.write_all(b"\r\n").await?;
        }
        write.write_all(b"0\r\n\r\n").await
    });
    let mut answer = String::new();
    read.read_to_string(&mut answer).await.unwrap();
    let _ = writer.await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");

    let get = c.get(&url).send().await.unwrap();
    refused(get, 405, "POST /api/github/webhooks").await;
    refused(
        c.get(server.url("/nope")).send().await.unwrap(),
        404,
        "no such page",
    )
    .await;

    // Nothing refused was stored, and the refusals were counted by reason.
    assert!(deliveries(&dir).is_empty());
    let metrics = server.metrics().await;
    for reason in [
        "missing_event",
        "missing_delivery",
        "unsupported_content_type",
        "missing_signature",
        "legacy_signature",
        "malformed_signature",
        "signature_mismatch",
        "not_json",
        "no_form_payload",
        "too_large",
    ] {
        assert!(
            metrics.contains(&format!(
                "orgradar_webhook_refusals_total{{reason=\"{reason}\"}}"
            )),
            "{reason}"
        );
    }
}

#[tokio::test]
async fn without_a_secret_the_webhook_answers_503_and_the_rest_runs() {
    let dir = TestDir::sqlite();
    let server = Server::start_with(&dir, &[], &[]);
    let c = client();
    let r = delivery(
        &c,
        &server.webhook_url(),
        "issues",
        "n1",
        &issue_opened(1, "a"),
    )
    .send()
    .await
    .unwrap();
    refused(r, 503, "set WEBHOOK_SECRET").await;
    assert_eq!(
        c.get(server.url("/healthz")).send().await.unwrap().status(),
        200
    );
    assert_eq!(
        c.get(server.url("/metrics")).send().await.unwrap().status(),
        200
    );
}

async fn accepted_deliveries_are_stored_once_and_others_acknowledged(dir: TestDir) {
    let app = crate::support::app::App::start().await;
    let server = app.serve(
        &dir,
        &[("WEBHOOK_SECRET", &format!("old-one,{SECRET}"))],
        &[],
    );
    let url = server.webhook_url();
    let c = client();
    let body = issue_opened(5, "bob");

    let first = delivery(&c, &url, "issues", "a1", &body)
        .send()
        .await
        .unwrap();
    assert_eq!(first.status(), 202);
    let first: Value = first.json().await.unwrap();
    assert_eq!(first["status"], "queued");
    let again = delivery(&c, &url, "issues", "a1", &body)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 200);
    assert_eq!(again.json::<Value>().await.unwrap()["status"], "duplicate");

    // Signed with the old secret during a rotation: accepted too.
    let old = delivery_signed_with(&c, &url, "issues", "a2", &body, b"old-one")
        .send()
        .await
        .unwrap();
    assert_eq!(old.status(), 202);

    // The form-encoded content type GitHub can send.
    let json = String::from_utf8(issue_opened(6, "carol")).unwrap();
    let form: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("payload", &json)
        .finish();
    let form_headers = with(
        &github_headers("issues", "a3", form.as_bytes()),
        "content-type",
        Some("application/x-www-form-urlencoded; charset=utf-8"),
    );
    let r = post(&c, &url, &form_headers, form.as_bytes())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 202);

    // Events and actions no rule uses are acknowledged, not stored.
    let push = delivery(&c, &url, "push", "a4", br#"{"ref":"refs/heads/main"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(push.status(), 200);
    assert_eq!(push.json::<Value>().await.unwrap()["status"], "ignored");
    let edited = br#"{"action":"edited","issue":{"number":1}}"#;
    assert_eq!(
        delivery(&c, &url, "issues", "a5", edited)
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    let ping = delivery(
        &c,
        &url,
        "ping",
        "a6",
        br#"{"zen":"Keep it logically awesome.","hook_id":1}"#,
    )
    .send()
    .await
    .unwrap();
    assert_eq!(ping.json::<Value>().await.unwrap()["status"], "pong");

    let stored = deliveries(&dir);
    let mut ids: Vec<&str> = stored.iter().map(|d| d["id"].as_str().unwrap()).collect();
    ids.sort();
    assert_eq!(ids, ["a1", "a2", "a3"]);
    let a3 = stored.iter().find(|d| d["id"] == "a3").unwrap();
    assert_eq!(a3["event"], "issues");
    assert_eq!(a3["action"], "opened");
    assert_eq!(a3["installation_id"], 7);
    assert_eq!(a3["repository"], "acme/widgets");

    wait_until(
        std::time::Duration::from_secs(10),
        "three deliveries done",
        || {
            deliveries(&dir)
                .iter()
                .filter(|d| d["status"] == "done")
                .count()
                == 3
        },
    );
    let metrics = server.metrics().await;
    assert!(
        metrics.contains(r#"orgradar_webhook_deliveries_total{event="issues",outcome="queued"} 3"#),
        "{metrics}"
    );
    assert!(
        metrics
            .contains(r#"orgradar_webhook_deliveries_total{event="issues",outcome="duplicate"} 1"#)
    );
    assert!(
        metrics.contains(r#"orgradar_webhook_deliveries_total{event="push",outcome="ignored"} 1"#)
    );
    assert!(
        metrics.contains(r#"orgradar_deliveries_processed_total{event="issues",outcome="done"} 3"#)
    );
    assert!(metrics.contains(r#"orgradar_queue_deliveries{status="queued"} 0"#));
}

#[tokio::test]
async fn a_delivery_the_store_cannot_commit_is_refused_with_503_and_can_be_redelivered() {
    let dir = TestDir::sqlite();
    let server = Server::start_with(&dir, &[("WEBHOOK_SECRET", SECRET)], &["--no-worker"]);
    let c = client();
    let body = issue_opened(9, "dave");
    // Make every insert fail inside SQLite, as a full disk or a broken volume would.
    dir.execute(
        "CREATE TRIGGER fail_inserts BEFORE INSERT ON deliveries BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END;");
    let r = delivery(&c, &server.webhook_url(), "issues", "s1", &body)
        .send()
        .await
        .unwrap();
    refused(r, 503, "redeliver it once orgradar is healthy").await;
    assert!(deliveries(&dir).is_empty());

    dir.execute("DROP TRIGGER fail_inserts;");
    let redelivered = delivery(&c, &server.webhook_url(), "issues", "s1", &body)
        .send()
        .await
        .unwrap();
    assert_eq!(redelivered.status(), 202);
    assert_eq!(deliveries(&dir).len(), 1);
}

crate::on_both_stores!(accepted_deliveries_are_stored_once_and_others_acknowledged);
