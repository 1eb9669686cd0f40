//! Test support: the real `orgradar` binary started on a loopback port with
//! its own SQLite file, GitHub's request signing, and a look into the store.

#![allow(dead_code)]

pub mod app;
pub mod db;
pub mod fake_github;
pub mod fake_slack;
pub mod fake_slack_clicks;
pub mod github_cost;
pub mod proxy;
pub mod sse_relay;

pub use db::TestDir;

use orgradar::ingress::signature::sign;
use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::time::{Duration, Instant};

pub const SECRET: &str = "test-webhook-secret-8d1f";

pub fn binary() -> &'static str {
    env!("CARGO_BIN_EXE_orgradar")
}

pub fn app_yml() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("app.yml")
}

/// A running `orgradar serve`.
pub struct Server {
    child: Child,
    pub base: String,
    pub dir: PathBuf,
}

/// The environment every command of a test shares: its store and its config.
pub fn base_env(dir: &TestDir) -> Vec<(String, String)> {
    vec![
        ("DATABASE_URL".into(), dir.database_url.clone()),
        ("ORGRADAR_CONFIG".into(), app_yml().display().to_string()),
        ("LOG_FORMAT".into(), "json".into()),
        ("LOG_LEVEL".into(), "info".into()),
    ]
}

impl Server {
    /// Starts a server with `WEBHOOK_SECRET=SECRET` on a free loopback port.
    pub fn start(dir: &TestDir) -> Server {
        Self::start_with(dir, &[("WEBHOOK_SECRET", SECRET)], &[])
    }

    /// Starts `orgradar serve` on a free loopback port and waits until its
    /// `/healthz` answers. Should another process take the port between
    /// choosing and binding it, the start is tried again on another port.
    pub fn start_with(dir: &TestDir, env: &[(&str, &str)], args: &[&str]) -> Server {
        const ATTEMPTS: usize = 5;
        for _ in 0..ATTEMPTS {
            if let Some(server) = Self::start_on(free_port(), dir, env, args) {
                return server;
            }
        }
        panic!(
            "orgradar could not bind a free loopback port in {ATTEMPTS} attempts; its log:\n{}",
            std::fs::read_to_string(dir.path().join("server.log")).unwrap_or_default()
        )
    }

    /// The server on `port`, healthy; `None` when it could not bind the
    /// port because something else holds it.
    fn start_on(port: u16, dir: &TestDir, env: &[(&str, &str)], args: &[&str]) -> Option<Server> {
        let mut child = Command::new(binary())
            .arg("serve")
            .args(args)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .envs(base_env(dir))
            .env("HOST", "127.0.0.1")
            .env("PORT", port.to_string())
            .env("SHUTDOWN_GRACE", "5")
            .envs(env.iter().copied())
            .current_dir(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start orgradar serve");
        // The log is kept for the messages of failing tests.
        let stderr = child.stderr.take().unwrap();
        let log_path = dir.path().join("server.log");
        std::thread::spawn(move || {
            let mut log = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(log_path)
                .unwrap();
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = writeln!(log, "{line}");
            }
        });
        let log = || std::fs::read_to_string(dir.path().join("server.log")).unwrap_or_default();
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = child.try_wait().unwrap() {
                if std::net::TcpListener::bind(("127.0.0.1", port)).is_err() {
                    return None;
                }
                panic!(
                    "orgradar exited ({status}) before /healthz answered; its log:\n{}",
                    log()
                );
            }
            // Healthy, and the listener on the port is this server's own,
            // not that of another test's server that took the port first.
            if healthz(port) && listens_on(child.id(), port) {
                return Some(Server {
                    child,
                    base: format!("http://127.0.0.1:{port}"),
                    dir: dir.path().to_path_buf(),
                });
            }
            if Instant::now() >= deadline {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "orgradar's /healthz did not answer within 30 s; its log:\n{}",
                    log()
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// `host:port` the server listens on.
    pub fn address(&self) -> String {
        self.base.trim_start_matches("http://").to_string()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// `GET /metrics`, as text.
    pub async fn metrics(&self) -> String {
        client()
            .get(self.url("/metrics"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    pub fn webhook_url(&self) -> String {
        self.url("/api/github/webhooks")
    }

    /// SIGKILL: no chance to clean up, as in a crash or an OOM kill.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// SIGTERM, as Fly sends on deploy, then waits for the exit.
    pub fn terminate(&mut self) -> ExitStatus {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "orgradar did not stop on SIGTERM"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("server.log")).unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs an `orgradar` subcommand against the test's store.
pub fn cli(dir: &TestDir, args: &[&str]) -> Output {
    cli_with(dir, &[], args)
}

/// [`cli`] with more environment.
pub fn cli_with(dir: &TestDir, env: &[(&str, &str)], args: &[&str]) -> Output {
    Command::new(binary())
        .args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .envs(base_env(dir))
        .env("LOG_LEVEL", "warn")
        .envs(env.iter().copied())
        .current_dir(dir.path())
        .output()
        .expect("run orgradar")
}

/// `orgradar deliveries list --json`, parsed.
pub fn deliveries(dir: &TestDir) -> Vec<Value> {
    let out = cli(dir, &["deliveries", "list", "--json", "--limit", "100000"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("deliveries list --json prints JSON")
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

/// The headers GitHub sends with a delivery: JSON content type, event, delivery id, signature.
pub fn github_headers(event: &str, id: &str, body: &[u8]) -> Vec<(String, String)> {
    [
        ("content-type", "application/json".to_string()),
        ("user-agent", "GitHub-Hookshot/test".to_string()),
        ("x-github-event", event.to_string()),
        ("x-github-delivery", id.to_string()),
        ("x-hub-signature-256", sign(SECRET.as_bytes(), body)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

/// `headers` with `name` set to `value`, or removed when `value` is `None`.
pub fn with(
    headers: &[(String, String)],
    name: &str,
    value: Option<&str>,
) -> Vec<(String, String)> {
    let mut out: Vec<_> = headers.iter().filter(|(k, _)| k != name).cloned().collect();
    if let Some(v) = value {
        out.push((name.to_string(), v.to_string()));
    }
    out
}

pub fn post(
    client: &reqwest::Client,
    url: &str,
    headers: &[(String, String)],
    body: &[u8],
) -> reqwest::RequestBuilder {
    headers
        .iter()
        .fold(client.post(url), |r, (k, v)| r.header(k, v))
        .body(body.to_vec())
}

/// A delivery exactly as GitHub sends it.
pub fn delivery(
    client: &reqwest::Client,
    url: &str,
    event: &str,
    id: &str,
    body: &[u8],
) -> reqwest::RequestBuilder {
    post(client, url, &github_headers(event, id, body), body)
}

/// A delivery as GitHub sends it, signed with `secret` instead of [`SECRET`].
pub fn delivery_signed_with(
    client: &reqwest::Client,
    url: &str,
    event: &str,
    id: &str,
    body: &[u8],
    secret: &[u8],
) -> reqwest::RequestBuilder {
    let signature = sign(secret, body);
    let headers = with(
        &github_headers(event, id, body),
        "x-hub-signature-256",
        Some(&signature),
    );
    post(client, url, &headers, body)
}

/// A small, real-shaped `issues.opened` payload.
pub fn issue_opened(number: u64, login: &str) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({
        "action": "opened",
        "issue": {
            "number": number,
            "title": format!("Issue {number}"),
            "html_url": format!("https://github.com/acme/widgets/issues/{number}"),
            "user": { "login": login, "id": 1000 + number, "type": "User" },
            "author_association": "NONE",
            "body": "It crashes."
        },
        "repository": { "id": 42, "full_name": "acme/widgets", "private": false },
        "sender": { "login": login, "id": 1000 + number, "type": "User" },
        "installation": { "id": 7 }
    }))
    .unwrap()
}

/// A small, real-shaped `pull_request.opened` payload.
pub fn pull_request_opened(number: u64, login: &str) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({
        "action": "opened",
        "number": number,
        "pull_request": {
            "number": number,
            "title": format!("Change {number}"),
            "html_url": format!("https://github.com/acme/widgets/pull/{number}"),
            "user": { "login": login, "id": 5000 + number, "type": "User" },
            "author_association": "CONTRIBUTOR"
        },
        "repository": { "id": 42, "full_name": "acme/widgets", "private": false },
        "organization": { "login": "acme" },
        "sender": { "login": login, "id": 5000 + number, "type": "User" },
        "installation": { "id": 7 }
    }))
    .unwrap()
}

/// A real-shaped `star.created` payload on acme/widgets (installation 7).
pub fn star_created(login: &str) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({
        "action": "created",
        "starred_at": "2026-11-28T10:00:00Z",
        "repository": {
            "id": 42, "full_name": "acme/widgets", "private": false,
            "html_url": "https://github.com/acme/widgets"
        },
        "organization": { "login": "acme" },
        "sender": { "login": login, "id": 1001, "type": "User" },
        "installation": { "id": 7 }
    }))
    .unwrap()
}

/// A loopback port nothing listens on right now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Whether `GET /healthz` on loopback `port` answers 200 `{"status":"ok"}`.
fn healthz(port: u16) -> bool {
    let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let request =
        format!("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
    let mut answer = String::new();
    stream.write_all(request.as_bytes()).is_ok()
        && stream.read_to_string(&mut answer).is_ok()
        && answer.starts_with("HTTP/1.1 200")
        && answer.contains(r#"{"status":"ok"}"#)
}

/// Whether process `pid` holds a socket listening on `port` (from /proc:
/// the listening sockets' inodes among the process's open files).
fn listens_on(pid: u32, port: u16) -> bool {
    let port = format!(":{port:04X}");
    let inodes: Vec<String> = ["/proc/net/tcp", "/proc/net/tcp6"]
        .iter()
        .flat_map(|table| {
            let table = std::fs::read_to_string(table).unwrap_or_default();
            table
                .lines()
                .skip(1)
                .map(|l| l.split_whitespace().map(str::to_string).collect::<Vec<_>>())
                .filter(|f| f.len() > 9 && f[1].ends_with(&port) && f[3] == "0A")
                .map(|f| format!("socket:[{}]", f[9]))
                .collect::<Vec<_>>()
        })
        .collect();
    let Ok(fds) = std::fs::read_dir(format!("/proc/{pid}/fd")) else {
        return false;
    };
    fds.filter_map(Result::ok)
        .filter_map(|fd| std::fs::read_link(fd.path()).ok())
        .any(|target| inodes.iter().any(|i| target.as_os_str() == i.as_str()))
}

/// A dependency a test needs is missing: with `CI` set (as .ci/run runs)
/// that fails the test, since CI must run everything; on a developer's
/// machine the test is skipped and says so.
pub fn missing(test: &str, what: &str) {
    let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "0" && v != "false");
    if ci {
        panic!(
            "{test}: {what}; CI is set, so a missing dependency fails the test instead of skipping it"
        );
    }
    eprintln!("SKIPPED {test}: {what}");
}

/// The peak resident memory of process `pid` so far, in bytes (`VmHWM`).
pub fn peak_rss(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let kib: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .expect("VmHWM in /proc/PID/status");
    kib * 1024
}

/// Polls `check` until it holds or `timeout` passes.
pub fn wait_until(timeout: Duration, what: &str, mut check: impl FnMut() -> bool) {
    let deadline = Instant::now() + timeout;
    while !check() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_start_on_a_port_someone_else_holds_gives_way_for_another_try() {
    let dir = TestDir::sqlite();
    let holder = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = holder.local_addr().unwrap().port();
    assert!(
        Server::start_on(port, &dir, &[("WEBHOOK_SECRET", SECRET)], &[]).is_none(),
        "the port is held, so the start gives way"
    );
    let server = Server::start(&dir);
    assert_ne!(server.address(), format!("127.0.0.1:{port}"));
}
