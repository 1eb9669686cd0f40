//! Registering the GitHub App from app.yml, end to end against the fake GitHub.

use crate::support::fake_github::{APP_ID, FakeGitHub};
use crate::support::*;
use serde_json::Value;

pub(crate) fn unescape(html: &str) -> String {
    html.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The value of the attribute after `marker` in `html`.
pub(crate) fn attribute(html: &str, marker: &str) -> String {
    let start = html
        .find(marker)
        .unwrap_or_else(|| panic!("{marker} not in {html}"))
        + marker.len();
    let end = start + html[start..].find('"').unwrap();
    unescape(&html[start..end])
}

/// The cookie the registration page sets on the browser, as the browser sends it back.
pub(crate) fn browser_cookie(response: &reqwest::Response) -> String {
    let set = response
        .headers()
        .get("set-cookie")
        .expect("the registration page sets its cookie")
        .to_str()
        .unwrap();
    set.split(';').next().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn register_from_the_manifest_write_env_and_serve_at_once() {
    let fake = FakeGitHub::start().await;
    fake.add_manifest_code("code123");
    fake.add_installation(77, "acme");
    let dir = TestDir::sqlite();
    std::fs::write(dir.path().join(".env"), "EXTRA_SETTING=kept\n").unwrap();
    let env = [
        ("GITHUB_API_URL", fake.api_url.as_str()),
        ("PUBLIC_URL", "https://orgradar.example.com"),
    ];
    let mut server = Server::start_with(&dir, &env, &[]);
    let c = client();

    let home = c.get(server.url("/")).send().await.unwrap();
    let cookie = browser_cookie(&home);
    let page = home.text().await.unwrap();
    let action = attribute(&page, "<form action=\"");
    let prefix = format!("{}/settings/apps/new?state=", fake.url);
    assert!(action.starts_with(&prefix), "{action}");
    let state = action[prefix.len()..].to_string();
    assert_eq!(state.len(), 48);
    let manifest: Value =
        serde_json::from_str(&attribute(&page, "name=\"manifest\" value=\"")).unwrap();
    assert_eq!(manifest["name"], "orgradar");
    assert_eq!(
        manifest["hook_attributes"]["url"],
        "https://orgradar.example.com/api/github/webhooks"
    );
    assert_eq!(
        manifest["redirect_url"],
        "https://orgradar.example.com/setup/callback"
    );
    assert_eq!(manifest["default_permissions"]["issues"], "write");
    assert!(
        manifest["default_events"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e == "fork")
    );

    // A state this server did not hand out is refused, and nothing is written.
    let wrong = c
        .get(server.url("/setup/callback?code=code123&state=0000"))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 400);
    assert!(wrong.text().await.unwrap().contains("was not started here"));
    assert!(
        !std::fs::read_to_string(dir.path().join(".env"))
            .unwrap()
            .contains("APP_ID")
    );

    let done = callback(&c, &server, "code123", &state, Some(&cookie)).await;
    assert_eq!(done.status(), 200);
    let text = done.text().await.unwrap();
    assert!(text.contains("orgradar-test"), "{text}");
    assert!(text.contains("fly secrets import"), "{text}");
    assert!(
        !text.contains("whsec-from-github") && !text.contains("PRIVATE KEY-----"),
        "a secret reached the page"
    );

    let env_file = dir.path().join(".env");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&env_file).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let written: Vec<(String, String)> = dotenvy::from_path_iter(&env_file)
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let get = |k: &str| {
        written
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
    };
    assert_eq!(get("EXTRA_SETTING").as_deref(), Some("kept"));
    assert_eq!(get("APP_ID"), Some(APP_ID.to_string()));
    assert_eq!(get("WEBHOOK_SECRET").as_deref(), Some("whsec-from-github"));
    assert_eq!(get("GITHUB_CLIENT_ID").as_deref(), Some("Iv1.test"));
    assert!(
        get("PRIVATE_KEY")
            .unwrap()
            .starts_with("-----BEGIN RSA PRIVATE KEY-----\n")
    );
    let backups: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with(".env.backup-"))
        .collect();
    assert_eq!(backups.len(), 1);
    assert_eq!(
        std::fs::read_to_string(backups[0].path()).unwrap(),
        "EXTRA_SETTING=kept\n"
    );

    // The state is used up.
    let again = c
        .get(server.url(&format!("/setup/callback?code=code123&state={state}")))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 400);

    // Ready without a restart: webhooks signed with the new secret are taken, the home page shows the app.
    let body = issue_opened(1, "alice");
    let new_secret = b"whsec-from-github";
    assert_eq!(
        delivery_signed_with(
            &c,
            &server.webhook_url(),
            "issues",
            "reg-1",
            &body,
            new_secret
        )
        .send()
        .await
        .unwrap()
        .status(),
        202
    );
    let home = c
        .get(server.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        home.contains("orgradar-test") && home.contains("acme"),
        "{home}"
    );

    // And after a restart, from .env alone.
    server.kill();
    let server = Server::start_with(&dir, &[("GITHUB_API_URL", fake.api_url.as_str())], &[]);
    let home = c
        .get(server.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(home.contains("app id 4242"), "{home}");
    assert_eq!(
        delivery_signed_with(
            &c,
            &server.webhook_url(),
            "issues",
            "reg-2",
            &body,
            new_secret
        )
        .send()
        .await
        .unwrap()
        .status(),
        202
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_public_address_the_page_asks_for_it() {
    let fake = FakeGitHub::start().await;
    let dir = TestDir::sqlite();
    let server = Server::start_with(&dir, &[("GITHUB_API_URL", fake.api_url.as_str())], &[]);
    let page = client()
        .get(server.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    // It asks for the address (no restart needed) and says how to use a relay instead.
    assert!(page.contains("name=\"public_url\""), "{page}");
    assert!(page.contains("WEBHOOK_PROXY_URL"), "{page}");
    assert!(!page.contains("settings/apps/new"), "{page}");
}

/// GitHub's redirect back with `code` and `state`, from a browser holding `cookie`.
pub(crate) async fn callback(
    c: &reqwest::Client,
    server: &Server,
    code: &str,
    state: &str,
    cookie: Option<&String>,
) -> reqwest::Response {
    let url = server.url(&format!("/setup/callback?code={code}&state={state}"));
    let request = match cookie {
        Some(cookie) => c.get(url).header("cookie", cookie),
        None => c.get(url),
    };
    request.send().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registration_answers_local_hosts_only_and_is_bound_to_the_starting_browser() {
    let fake = FakeGitHub::start().await;
    fake.add_manifest_code("first");
    fake.add_manifest_code("second");
    let dir = TestDir::sqlite();
    let env = [
        ("GITHUB_API_URL", fake.api_url.as_str()),
        ("PUBLIC_URL", "https://orgradar.example.com"),
    ];
    let server = Server::start_with(&dir, &env, &[]);
    let c = client();

    // A page on another site whose name resolves to this machine (DNS
    // rebinding) sends its own name as Host: it learns nothing.
    let rebound = c
        .get(server.url("/"))
        .header("host", "attacker.example:3000")
        .send()
        .await
        .unwrap();
    assert_eq!(rebound.status(), 421);
    assert!(rebound.headers().get("set-cookie").is_none());
    assert!(!rebound.text().await.unwrap().contains("state="));
    // PUBLIC_URL's own host is fine.
    let public = c
        .get(server.url("/"))
        .header("host", "orgradar.example.com")
        .send()
        .await
        .unwrap();
    assert_eq!(public.status(), 200);

    let start = |c: reqwest::Client, url: String| async move {
        let home = c.get(url).send().await.unwrap();
        let headers = home.headers().clone();
        let cookie = browser_cookie(&home);
        let page = home.text().await.unwrap();
        let action = attribute(&page, "<form action=\"");
        let state = action.rsplit_once("state=").unwrap().1.to_string();
        (cookie, state, headers)
    };
    let (cookie, state, headers) = start(c.clone(), server.url("/")).await;
    assert_eq!(headers["cache-control"], "no-store");
    assert_eq!(headers["x-frame-options"], "DENY");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    let csp = headers["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(csp.contains(&format!("form-action {}", fake.url)), "{csp}");
    assert!(cookie.starts_with("orgradar_setup="), "{cookie}");

    // Another client holding the state (but not the browser's cookie) cannot complete it.
    let stolen = callback(&c, &server, "first", &state, None).await;
    assert_eq!(stolen.status(), 403);
    assert!(stolen.text().await.unwrap().contains("another browser"));
    let used = callback(&c, &server, "first", &state, Some(&cookie)).await;
    assert_eq!(used.status(), 400, "a state is used up by a failed attempt");

    // A state handed out before the registration is void after it.
    let (early_cookie, early_state, _) = start(c.clone(), server.url("/")).await;
    let (cookie, state, _) = start(c.clone(), server.url("/")).await;
    let done = callback(&c, &server, "first", &state, Some(&cookie)).await;
    assert_eq!(done.status(), 200);
    let late = callback(&c, &server, "second", &early_state, Some(&early_cookie)).await;
    assert_eq!(late.status(), 400);

    // Registered: the home page offers no registration unless asked explicitly.
    let home = c.get(server.url("/")).send().await.unwrap();
    assert!(home.headers().get("set-cookie").is_none());
    let home = home.text().await.unwrap();
    assert!(!home.contains("<form"), "{home}");
    assert!(home.contains("/?replace=yes"), "{home}");
    let (cookie, state, _) = start(c.clone(), server.url("/?replace=yes")).await;
    let replaced = callback(&c, &server, "second", &state, Some(&cookie)).await;
    assert_eq!(replaced.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_local_browser_reaching_an_ipv6_listener_over_ipv4_gets_the_page() {
    let fake = FakeGitHub::start().await;
    let dir = TestDir::sqlite();
    let env = [
        ("GITHUB_API_URL", fake.api_url.as_str()),
        ("PUBLIC_URL", "https://orgradar.example.com"),
        ("HOST", "::"),
    ];
    let server = Server::start_with(&dir, &env, &[]);
    // With HOST=::, a browser on this machine using 127.0.0.1 arrives as ::ffff:127.0.0.1.
    let port = server.address().rsplit_once(':').unwrap().1.to_string();
    let page = client()
        .get(format!("http://127.0.0.1:{port}/"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("<form"));
}
