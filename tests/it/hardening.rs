//! The endpoint on the open internet: it cannot be exhausted by big or slow
//! uploads or idle connections, it keeps working when its log destination
//! breaks, and it says the truth about its health.

use crate::support::*;
use orgradar::ingress::signature::sign;
use serde_json::Value;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const MIB: usize = 1024 * 1024;

/// Posts a `size`-byte body with the given signature header (if any) on a
/// raw connection, writing as much as the server takes, and returns the
/// status the server answered with, if the answer could be read.
async fn upload(
    addr: String,
    id: String,
    signature: Option<String>,
    size: usize,
    chunk: Arc<Vec<u8>>,
) -> Option<u16> {
    let mut s = TcpStream::connect(&addr).await.ok()?;
    let signature = signature.map_or(String::new(), |sig| {
        format!("X-Hub-Signature-256: {sig}\r\n")
    });
    let head = format!(
        "POST /api/github/webhooks HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nX-GitHub-Event: issues\r\nX-GitHub-Delivery: {id}\r\n{signature}Content-Length: {size}\r\nConnection: close\r\n\r\n"
    );
    s.write_all(head.as_bytes()).await.ok()?;
    let mut sent = 0;
    while sent < size {
        let n = chunk.len().min(size - sent);
        if s.write_all(&chunk[..n]).await.is_err() {
            break;
        }
        sent += n;
    }
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(60), s.read_to_end(&mut answer)).await;
    let text = String::from_utf8_lossy(&answer);
    text.strip_prefix("HTTP/1.1 ")?.get(..3)?.parse().ok()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn big_unsigned_or_forged_uploads_leave_the_memory_bounded() {
    const CLIENTS: usize = 40;
    const SIZE: usize = 20 * MIB;
    let dir = TestDir::sqlite();
    let server = Server::start(&dir);
    let chunk = Arc::new(vec![b' '; MIB]);
    // Half send no signature (refused before the body is read), half a
    // well-formed one that will not match (read within the byte budget).
    let forged = format!("sha256={}", "0".repeat(64));
    let uploads: Vec<_> = (0..CLIENTS)
        .map(|i| {
            let signature = (i % 2 == 1).then(|| forged.clone());
            tokio::spawn(upload(
                server.address(),
                format!("big-{i}"),
                signature,
                SIZE,
                chunk.clone(),
            ))
        })
        .collect();
    let mut answered = Vec::new();
    for u in uploads {
        answered.extend(u.await.unwrap());
    }
    for status in &answered {
        assert!([401, 503].contains(status), "{answered:?}");
    }
    let peak = peak_rss(server.pid());
    assert!(
        peak < 256 * MIB as u64,
        "{CLIENTS} uploads of 20 MiB took the server to {} MiB",
        peak / MIB as u64
    );
    // And it still takes deliveries.
    let body = issue_opened(1, "alice");
    let ok = delivery(
        &client(),
        &server.webhook_url(),
        "issues",
        "after-big",
        &body,
    )
    .send()
    .await
    .unwrap();
    assert_eq!(ok.status(), 202);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn beyond_the_webhook_budget_the_answer_is_503_with_retry_after() {
    let dir = TestDir::sqlite();
    let server = Server::start_with(
        &dir,
        &[
            ("WEBHOOK_SECRET", SECRET),
            ("WEBHOOK_CONCURRENCY", "1"),
            ("HTTP_BODY_TIMEOUT", "30"),
        ],
        &[],
    );
    // One request holds the only slot: its headers promise a body that has
    // not come yet. (Should it arrive while a POST below holds the slot, it
    // is refused itself, and another takes its place.)
    let head = format!(
        "POST /api/github/webhooks HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-GitHub-Event: issues\r\nX-GitHub-Delivery: slow\r\nX-Hub-Signature-256: sha256={}\r\nContent-Length: 1000\r\n\r\n{{",
        "0".repeat(64)
    );
    let hold = || async {
        let mut holder = TcpStream::connect(server.address()).await.unwrap();
        holder.write_all(head.as_bytes()).await.unwrap();
        holder
    };
    let c = client();
    let body = issue_opened(1, "alice");
    let mut holder = hold().await;
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    let busy = loop {
        let r = delivery(&c, &server.webhook_url(), "issues", "busy-1", &body)
            .send()
            .await
            .unwrap();
        if r.status() == 503 {
            break r;
        }
        let mut answered = [0u8; 1];
        if !matches!(holder.try_read(&mut answered), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock)
        {
            holder = hold().await;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no 503 while the slot is held"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(busy.headers()["retry-after"], "5");
    let error: Value = busy.json().await.unwrap();
    assert!(
        error["error"]
            .as_str()
            .unwrap()
            .contains("WEBHOOK_CONCURRENCY"),
        "{error}"
    );
    drop(holder);
    delivery_until(&c, &server.webhook_url(), "busy-1", &body, 202).await;
}

/// Posts delivery `id` again and again until the answer has `status`.
async fn delivery_until(
    c: &reqwest::Client,
    url: &str,
    id: &str,
    body: &[u8],
    status: u16,
) -> reqwest::Response {
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        let r = delivery(c, url, "issues", id, body).send().await.unwrap();
        if r.status() == status {
            return r;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no {status} answer to {id}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// GETs `url` until it answers 200.
async fn get_until_ok(c: &reqwest::Client, url: &str) {
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while !c.get(url).send().await.is_ok_and(|r| r.status() == 200) {
        assert!(
            std::time::Instant::now() < deadline,
            "{url} never answered 200"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_and_slow_clients_are_cut_off_and_health_still_answers() {
    let dir = TestDir::sqlite();
    let server = Server::start_with(
        &dir,
        &[
            ("WEBHOOK_SECRET", SECRET),
            ("HTTP_HEADER_TIMEOUT", "2"),
            ("HTTP_BODY_TIMEOUT", "2"),
            ("HTTP_IDLE_TIMEOUT", "3"),
        ],
        &[],
    );
    let mut idle = Vec::new();
    for _ in 0..300 {
        idle.push(TcpStream::connect(server.address()).await.unwrap());
    }
    // Half a request line, then nothing.
    let mut half = TcpStream::connect(server.address()).await.unwrap();
    half.write_all(b"GET /healthz HT").await.unwrap();
    idle.push(half);
    let health = client().get(server.url("/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200);
    for mut s in idle {
        let mut buf = [0u8; 64];
        let closed = tokio::time::timeout(Duration::from_secs(60), s.read(&mut buf)).await;
        assert!(
            matches!(closed, Ok(Ok(0)) | Ok(Err(_))),
            "an idle connection was not closed by the server"
        );
    }
    // A body that stops arriving is answered 408, in JSON.
    let body = issue_opened(1, "alice");
    let mut slow = TcpStream::connect(server.address()).await.unwrap();
    let head = format!(
        "POST /api/github/webhooks HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-GitHub-Event: issues\r\nX-GitHub-Delivery: slow-body\r\nX-Hub-Signature-256: {}\r\nContent-Length: {}\r\n\r\n",
        sign(SECRET.as_bytes(), &body),
        body.len()
    );
    slow.write_all(head.as_bytes()).await.unwrap();
    slow.write_all(&body[..10]).await.unwrap();
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(60), slow.read_to_end(&mut answer)).await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("HTTP_BODY_TIMEOUT"), "{answer}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broken_log_destination_leaves_it_processing() {
    let dir = TestDir::sqlite();
    let app = crate::support::app::App::start().await;
    let port = free_port();
    let mut child = Command::new(binary())
        .arg("serve")
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .envs(base_env(&dir))
        .envs(app.env(&[]))
        .env("LOG_LEVEL", "debug")
        .env("HOST", "127.0.0.1")
        .env("PORT", port.to_string())
        .env("WEBHOOK_SECRET", SECRET)
        .current_dir(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Nobody reads the log any more: every write to it fails (EPIPE).
    drop(child.stderr.take());
    let base = format!("http://127.0.0.1:{port}");
    let c = client();
    get_until_ok(&c, &format!("{base}/healthz")).await;
    let url = format!("{base}/api/github/webhooks");
    for i in 0..20 {
        let body = issue_opened(i, &format!("user{i}"));
        let r = delivery(&c, &url, "issues", &format!("nolog-{i}"), &body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 202);
    }
    wait_until(Duration::from_secs(60), "every delivery processed", || {
        deliveries(&dir)
            .iter()
            .filter(|d| d["status"] == "done")
            .count()
            == 20
    });
    let ready = c.get(format!("{base}/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), 200);
    assert!(child.try_wait().unwrap().is_none(), "the server exited");
    let _ = child.kill();
    let _ = child.wait();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readyz_says_when_the_store_takes_no_writes_and_healthz_stays_up() {
    let dir = TestDir::sqlite();
    let server = Server::start(&dir);
    let c = client();
    let ready = c.get(server.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), 200);
    assert_eq!(ready.json::<Value>().await.unwrap()["status"], "ready");
    // Another process holds the database's write lock.
    let locker = rusqlite::Connection::open(dir.path().join("orgradar.db")).unwrap();
    locker.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let not_ready = c.get(server.url("/readyz")).send().await.unwrap();
    assert_eq!(not_ready.status(), 503);
    let why: Value = not_ready.json().await.unwrap();
    assert!(why["error"].as_str().unwrap().contains("store"), "{why}");
    assert_eq!(
        c.get(server.url("/healthz")).send().await.unwrap().status(),
        200
    );
    locker.execute_batch("ROLLBACK").unwrap();
    get_until_ok(&c, &server.url("/readyz")).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_need_the_token_or_their_own_address() {
    let c = client();
    let dir = TestDir::sqlite();
    let token = "metrics-token-0123456789abcdef";
    let server = Server::start_with(
        &dir,
        &[("WEBHOOK_SECRET", SECRET), ("METRICS_TOKEN", token)],
        &[],
    );
    let refused = c.get(server.url("/metrics")).send().await.unwrap();
    assert_eq!(refused.status(), 401);
    assert!(refused.text().await.unwrap().contains("METRICS_TOKEN"));
    let wrong = c
        .get(server.url("/metrics"))
        .bearer_auth("x".repeat(30))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    let shown = c
        .get(server.url("/metrics"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(shown.status(), 200);
    assert!(
        shown
            .text()
            .await
            .unwrap()
            .contains("orgradar_queue_deliveries")
    );
    drop(server);

    let dir = TestDir::sqlite();
    let port = free_port();
    let addr = format!("127.0.0.1:{port}");
    let server = Server::start_with(
        &dir,
        &[("WEBHOOK_SECRET", SECRET), ("METRICS_ADDR", &addr)],
        &[],
    );
    assert_eq!(
        c.get(server.url("/metrics")).send().await.unwrap().status(),
        404
    );
    let private = c
        .get(format!("http://{addr}/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(private.status(), 200);
    assert_eq!(
        c.get(format!("http://{addr}/"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn odd_headers_and_inputs_get_the_json_refusal_that_names_them() {
    let dir = TestDir::sqlite();
    let server = Server::start(&dir);
    let c = client();
    let body = issue_opened(1, "alice");
    let send = |headers: Vec<(String, Vec<u8>)>, body: Vec<u8>| {
        let mut r = c.post(server.webhook_url()).body(body);
        for (k, v) in headers {
            r = r.header(k, reqwest::header::HeaderValue::from_bytes(&v).unwrap());
        }
        r.send()
    };
    let raw = |h: &[(String, String)]| -> Vec<(String, Vec<u8>)> {
        h.iter()
            .map(|(k, v)| (k.clone(), v.clone().into_bytes()))
            .collect()
    };
    let h = github_headers("issues", "odd-1", &body);
    let mut non_ascii_id = raw(&with(&h, "x-github-delivery", None));
    non_ascii_id.push((
        "x-github-delivery".into(),
        "d\u{e9}j\u{e0}-vu".as_bytes().to_vec(),
    ));
    let mut non_ascii_event = raw(&with(&h, "x-github-event", None));
    non_ascii_event.push(("x-github-event".into(), "issu\u{e9}s".as_bytes().to_vec()));
    let mut non_ascii_signature = raw(&with(&h, "x-hub-signature-256", None));
    non_ascii_signature.push((
        "x-hub-signature-256".into(),
        "sha256=\u{e9}".as_bytes().to_vec(),
    ));
    for (headers, status, needle) in [
        (non_ascii_id, 400, "X-GitHub-Delivery must be"),
        (non_ascii_event, 400, "X-GitHub-Event must be"),
        (non_ascii_signature, 401, "64 lowercase hex digits"),
    ] {
        let r = send(headers, body.clone()).await.unwrap();
        assert_eq!(r.status().as_u16(), status, "{needle}");
        assert_eq!(r.headers()["x-content-type-options"], "nosniff");
        let error: Value = r.json().await.expect("a JSON refusal");
        assert!(error["error"].as_str().unwrap().contains(needle), "{error}");
    }

    // A long path is not echoed back whole.
    let long = format!("/{}", "a".repeat(20_000));
    let r = c.get(server.url(&long)).send().await.unwrap();
    assert_eq!(r.status(), 404);
    let error: Value = r.json().await.unwrap();
    assert!(error["error"].as_str().unwrap().len() < 300, "{error}");

    // An installation id no GitHub installation can have is refused, not stored as -1.
    let mut payload: Value = serde_json::from_slice(&body).unwrap();
    payload["installation"]["id"] = serde_json::json!(u64::MAX);
    let big = serde_json::to_vec(&payload).unwrap();
    let r = delivery(
        &c,
        &server.webhook_url(),
        "issues",
        "huge-installation",
        &big,
    )
    .send()
    .await
    .unwrap();
    assert_eq!(r.status(), 400);
    let error: Value = r.json().await.unwrap();
    assert!(
        error["error"].as_str().unwrap().contains("installation.id"),
        "{error}"
    );
    assert!(
        deliveries(&dir)
            .iter()
            .all(|d| d["id"] != "huge-installation")
    );

    // Every answer says what it is, and nothing may be sniffed otherwise.
    for path in [
        "/healthz",
        "/readyz",
        "/ping",
        "/nowhere",
        "/dashboard/signin",
    ] {
        let r = c.get(server.url(path)).send().await.unwrap();
        assert_eq!(r.headers()["x-content-type-options"], "nosniff", "{path}");
    }
}
