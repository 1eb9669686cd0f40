//! Registering without an address in the environment: the start-up log and
//! `orgradar register` point to the setup page, which takes the address.

use crate::setup_flow::{attribute, browser_cookie, callback};
use crate::support::fake_github::FakeGitHub;
use crate::support::*;
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

/// The `setup_url` the start-up log names.
fn setup_url_in_log(server: &Server) -> String {
    let mut found = String::new();
    wait_until(Duration::from_secs(10), "the setup URL in the log", || {
        found = server
            .log()
            .lines()
            .filter_map(|l| serde_json::from_str::<Value>(l).ok())
            .find_map(|v| v["fields"]["setup_url"].as_str().map(str::to_string))
            .unwrap_or_default();
        !found.is_empty()
    });
    found
}

/// The address form, posted from the page's own origin (unless `origin` says otherwise).
async fn enter(server: &Server, address: &str, origin: &str) -> reqwest::Response {
    let body = form_urlencoded::Serializer::new(String::new())
        .append_pair("public_url", address)
        .finish();
    client()
        .post(server.url("/"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("origin", origin)
        .body(body)
        .send()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_setup_page_takes_the_address_and_registers_with_it() {
    let fake = FakeGitHub::start().await;
    fake.add_manifest_code("entered-code");
    let dir = TestDir::sqlite();
    let server = Server::start_with(&dir, &[("GITHUB_API_URL", fake.api_url.as_str())], &[]);
    let port = server.address().rsplit_once(':').unwrap().1.to_string();

    // The start-up log names the page.
    let url = setup_url_in_log(&server);
    assert_eq!(url, format!("http://localhost:{port}/"));
    let page = client().get(&url).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    assert!(page.contains("name=\"public_url\""), "{page}");

    let own = server.base.clone();
    // Not https and not this machine: refused, with the form again.
    let plain = enter(&server, "http://orgradar.example.com", &own).await;
    assert_eq!(plain.status(), 400);
    let text = plain.text().await.unwrap();
    assert!(text.contains("https"), "{text}");
    assert!(text.contains("name=\"public_url\""), "{text}");
    // From a page on another site: refused.
    let forged = enter(
        &server,
        "https://attacker.example",
        "https://attacker.example",
    )
    .await;
    assert_eq!(forged.status(), 403);

    let good = enter(&server, "https://tunnel.example.com/", &own).await;
    assert_eq!(good.status(), 200);
    let cookie = browser_cookie(&good);
    let page = good.text().await.unwrap();
    let action = attribute(&page, "<form action=\"");
    let state = action.rsplit_once("state=").unwrap().1.to_string();
    let manifest: Value =
        serde_json::from_str(&attribute(&page, "name=\"manifest\" value=\"")).unwrap();
    assert_eq!(
        manifest["hook_attributes"]["url"],
        "https://tunnel.example.com/api/github/webhooks"
    );
    // The browser comes back here, where its cookie is.
    assert_eq!(
        manifest["redirect_url"],
        format!("{}/setup/callback", server.base)
    );
    assert_eq!(
        manifest["callback_urls"][0],
        "https://tunnel.example.com/dashboard/callback"
    );

    let done = callback(&client(), &server, "entered-code", &state, Some(&cookie)).await;
    assert_eq!(done.status(), 200);
    let written: Vec<(String, String)> = dotenvy::from_path_iter(dir.path().join(".env"))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(
        written
            .iter()
            .any(|(k, v)| k == "PUBLIC_URL" && v == "https://tunnel.example.com"),
        "{written:?}"
    );
    assert!(written.iter().any(|(k, _)| k == "APP_ID"));
}

/// `orgradar register`'s first line, and the page it names.
async fn register_says(env: &[(&str, &str)]) -> (String, String) {
    let dir = TestDir::sqlite();
    let mut child = Command::new(binary())
        .arg("register")
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .envs(base_env(&dir))
        .env("HOST", "127.0.0.1")
        .env("PORT", "0")
        .envs(env.iter().copied())
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    // Kept open until the end: register is still printing.
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    stdout.read_line(&mut line).unwrap();
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no URL in {line}"))
        .to_string();
    let page = client()
        .get(&url)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let _ = child.kill();
    let _ = child.wait();
    drop(stdout);
    (line, page)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn register_points_to_what_the_page_offers() {
    let fake = FakeGitHub::start().await;
    let api = ("GITHUB_API_URL", fake.api_url.as_str());

    // No address yet: the page asks for it, and register says so.
    let (line, page) = register_says(&[api]).await;
    assert!(line.contains("enter the https address"), "{line}");
    assert!(page.contains("name=\"public_url\""), "{page}");
    assert!(!page.contains("settings/apps/new"), "{page}");

    // With an address, the button is there.
    let (line, page) = register_says(&[api, ("PUBLIC_URL", "https://orgradar.example.com")]).await;
    assert!(line.contains("press the button"), "{line}");
    assert!(!line.contains("enter the"), "{line}");
    assert!(page.contains("settings/apps/new"), "{page}");
    assert!(page.contains("<button type=\"submit\">Register"), "{page}");
}
