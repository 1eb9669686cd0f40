//! `orgradar demo`: the real binary seeds its own store and serves the
//! dashboard on loopback without sign-in; it refuses any other address.

use crate::support::*;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// A running `orgradar demo` and the dashboard address it printed.
struct Demo {
    child: Child,
    dashboard: String,
}

impl Drop for Demo {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn demo_command(dir: &TestDir, args: &[&str]) -> Command {
    let mut cmd = Command::new(binary());
    cmd.arg("demo")
        .args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("LOG_FORMAT", "json")
        .current_dir(dir.path());
    cmd
}

/// Starts the demo on a free port in `dir` and reads the address it prints.
fn start(dir: &TestDir) -> Demo {
    let folder = dir.path().join("demo");
    let mut child = demo_command(dir, &["--port", "0", "--dir", folder.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start orgradar demo");
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut printed = String::new();
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            printed.push_str(&line);
            printed.push('\n');
            if let Some(url) = line.strip_prefix("Open the dashboard: ") {
                let _ = tx.send(Ok(url.to_string()));
            }
        }
        // Ended (or the address was sent already and this one goes nowhere).
        let _ = tx.send(Err(printed));
    });
    let dashboard = match rx.recv_timeout(Duration::from_secs(60)) {
        Ok(Ok(url)) => url,
        Ok(Err(printed)) => panic!("the demo ended without printing its address:\n{printed}"),
        Err(_) => panic!("the demo printed no address within a minute"),
    };
    Demo { child, dashboard }
}

async fn page(url: &str) -> String {
    let response = client().get(url).send().await.unwrap();
    assert_eq!(response.status(), 200, "{url}");
    response.text().await.unwrap()
}

#[tokio::test]
async fn the_demo_serves_a_seeded_dashboard_without_sign_in() {
    let dir = TestDir::sqlite();
    let demo = start(&dir);
    assert!(
        demo.dashboard.starts_with("http://127.0.0.1:") && demo.dashboard.ends_with("/dashboard"),
        "{}",
        demo.dashboard
    );
    assert!(dir.path().join("demo/app.yml").exists());
    assert!(dir.path().join("demo/orgradar-demo.db").exists());

    let overview = page(&format!("{}?days=90", demo.dashboard)).await;
    for account in ["Globex Corporation", "Initech", "Hooli", "Umbrella Health"] {
        assert!(
            overview.contains(account),
            "{account} missing from the overview"
        );
    }
    assert!(
        overview.contains("Pied Piper"),
        "an organization that is no target account"
    );
    assert!(overview.contains("<rect x"), "the weekly chart has bars");
    assert!(
        overview.matches("<tr").count() > 8,
        "the accounts table has rows"
    );
    assert!(!overview.contains("Sign out"), "nobody is signed in");

    let account = page(&format!(
        "{}/accounts/account:globex?days=90",
        demo.dashboard
    ))
    .await;
    assert!(account.contains("Globex Corporation"));
    assert!(account.contains("hank-scorpio"), "its people are listed");
    assert!(
        account.contains("beacon-io/beacon"),
        "its repositories are listed"
    );
    assert!(
        account.contains("https://github.com/beacon-io/"),
        "its sightings link to items"
    );

    let product = page(&format!("{}/product?days=90", demo.dashboard)).await;
    assert!(product.contains("SSO"), "intent topics are shown");
    assert!(product.contains("Globex Corporation"));
    assert!(product.matches("<tr").count() > 3);

    // Only loopback names are answered (a page elsewhere cannot rebind
    // its name to this machine and read the demo).
    let response = client()
        .get(&demo.dashboard)
        .header("host", "demo.example.com")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 421);
}

#[test]
fn the_demo_refuses_to_listen_beyond_this_machine() {
    let dir = TestDir::sqlite();
    let folder = dir.path().join("demo");
    let out = demo_command(
        &dir,
        &[
            "--host",
            "0.0.0.0",
            "--port",
            "0",
            "--dir",
            folder.to_str().unwrap(),
        ],
    )
    .output()
    .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("this machine only"), "{stderr}");
    assert!(stderr.contains("--host 127.0.0.1"), "{stderr}");
    assert!(!folder.exists(), "nothing is written before the refusal");
}
