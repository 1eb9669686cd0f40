//! The dashboard on the real server, as a newcomer meets it: target
//! accounts apart from other organizations, names for sightings stored
//! without them, the real reason an overview is empty, a clear 401 for a
//! wrong token, and pages that fit a phone.

use crate::support::fake_github::{APP_ID, FakeGitHub, PRIVATE_KEY};
use crate::support::*;
use orgradar::config::DatabaseUrl;
use orgradar::sighting::{EventKind, SightedItem, Sighting};
use orgradar::time::now_ms;

const TOKEN: &str = "dashboard-token-0123456789abcdef";
const DAY: i64 = 24 * 3_600_000;
const APP_YML: &str = "name: orgradar-test
accounts:
  - { id: globex, name: Globex Corporation, tier: enterprise, domains: [globex.com] }
";

/// A sighting of `login`; `account` without a name is how older versions stored it.
fn sighting(id: u64, account: Option<&str>, organization: Option<&str>, login: &str) -> Sighting {
    Sighting {
        delivery_id: format!("views-{id}"),
        at: now_ms() - (id as i64) * DAY,
        event: EventKind::IssueOpened,
        repository: "acme/widgets".into(),
        repository_private: false,
        item: Some(SightedItem {
            number: id,
            title: format!("Question {id}"),
            body: None,
        }),
        url: format!("https://github.com/acme/widgets/issues/{id}"),
        login: login.into(),
        account: account.map(str::to_string),
        account_name: None,
        organization: organization.map(str::to_string),
        tier: account.map(|_| "enterprise".to_string()),
        confidence: 0.9,
        evidence: "company email domain".into(),
        intent: Vec::new(),
        signal: None,
        rules: Vec::new(),
        moved_from: None,
    }
}

async fn seed(dir: &TestDir, sightings: &[Sighting]) {
    let store = orgradar::store::open(&DatabaseUrl::parse(&dir.database_url).unwrap())
        .await
        .unwrap();
    for s in sightings {
        store.record_sighting(s, &[]).await.unwrap();
    }
    store.close().await;
}

/// A server with the token and app.yml's accounts; `extra` adds to its environment.
fn start(dir: &TestDir, extra: &[(&str, &str)], args: &[&str]) -> Server {
    let config = dir.path().join("app.yml");
    std::fs::write(&config, APP_YML).unwrap();
    let mut env = vec![
        ("WEBHOOK_SECRET", SECRET),
        ("ORGRADAR_CONFIG", config.to_str().unwrap()),
        ("RECOVERY_INTERVAL", "off"),
        ("DASHBOARD_TOKEN", TOKEN),
    ];
    env.extend_from_slice(extra);
    Server::start_with(dir, &env, args)
}

async fn page(server: &Server, path: &str, token: &str) -> reqwest::Response {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(server.url(path))
        .header("authorization", format!("Bearer {token}"))
        .send()
        .await
        .unwrap()
}

async fn text(server: &Server, path: &str) -> String {
    let response = page(server, path, TOKEN).await;
    assert_eq!(response.status(), 200, "{path}");
    response.text().await.unwrap()
}

#[tokio::test]
async fn target_accounts_come_first_apart_from_other_organizations_with_their_names() {
    let dir = TestDir::sqlite();
    seed(
        &dir,
        &[
            // Stored by an older version: the account's id, no name.
            sighting(1, Some("globex"), None, "alice"),
            sighting(2, None, Some("Pied Piper"), "richard"),
            sighting(3, None, Some("Pied Piper"), "dinesh"),
        ],
    )
    .await;
    let server = start(&dir, &[], &[]);
    let html = text(&server, "/dashboard?days=30").await;
    let at = |needle: &str| {
        html.find(needle)
            .unwrap_or_else(|| panic!("{needle} missing:\n{html}"))
    };
    let targets = at(">Target accounts</h2>");
    let globex = at(">Globex Corporation</a>");
    let others = at(">Other organizations</h2>");
    let piper = at(">Pied Piper</a>");
    assert!(
        targets < globex && globex < others && others < piper,
        "targets first, then the others"
    );
    assert!(!html.contains(">globex</a>"), "the name, not the id");

    let account = text(&server, "/dashboard/accounts/account:globex?days=30").await;
    assert!(account.contains("Globex Corporation"));
    let csv = text(&server, "/dashboard/export.csv?days=30").await;
    assert!(csv.contains("Globex Corporation"), "{csv}");
}

#[tokio::test]
async fn a_wrong_bearer_token_is_refused_with_401_and_says_why() {
    let dir = TestDir::sqlite();
    let server = start(&dir, &[], &[]);
    for path in ["/dashboard", "/dashboard/export.csv", "/dashboard/product"] {
        let response = page(&server, path, "not-the-token-at-all-000").await;
        assert_eq!(response.status(), 401, "{path}");
        assert!(response.headers().get("location").is_none(), "{path}");
        let body = response.text().await.unwrap();
        assert!(
            body.contains("not this orgradar's DASHBOARD_TOKEN"),
            "{body}"
        );
        assert!(!body.contains(TOKEN));
    }
    // Without a token a person is still sent to sign in.
    let response = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(server.url("/dashboard"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
}

#[tokio::test]
async fn an_empty_overview_gives_the_real_reason() {
    // No app credentials.
    let dir = TestDir::sqlite();
    let server = start(&dir, &[], &[]);
    let html = text(&server, "/dashboard").await;
    assert!(html.contains("orgradar has no GitHub App yet"), "{html}");
    drop(server);

    // Credentials, no delivery yet; then one delivery, nobody seen.
    let dir = TestDir::sqlite();
    let github = FakeGitHub::start().await;
    let app_id = APP_ID.to_string();
    let server = start(
        &dir,
        &[
            ("APP_ID", app_id.as_str()),
            ("PRIVATE_KEY", PRIVATE_KEY),
            ("GITHUB_API_URL", &github.api_url),
        ],
        &["--no-worker"],
    );
    let html = text(&server, "/dashboard").await;
    assert!(
        html.contains("No webhook delivery has arrived yet."),
        "{html}"
    );
    let body = issue_opened(1, "someone");
    let stored = delivery(
        &client(),
        &server.webhook_url(),
        "issues",
        "views-d1",
        &body,
    )
    .send()
    .await
    .unwrap();
    assert_eq!(stored.status(), 202);
    let html = text(&server, "/dashboard").await;
    assert!(
        html.contains("nobody from an organization has been seen yet"),
        "{html}"
    );
}

#[tokio::test]
async fn the_pages_fit_a_phone() {
    let dir = TestDir::sqlite();
    seed(
        &dir,
        &[
            sighting(1, Some("globex"), Some("Globex Corporation"), "alice"),
            sighting(2, None, Some("Pied Piper"), "richard"),
        ],
    )
    .await;
    let server = start(&dir, &[], &[]);
    for path in [
        "/dashboard?days=30",
        "/dashboard/accounts/account:globex?days=30",
        "/dashboard/product?days=30",
    ] {
        let html = text(&server, path).await;
        assert!(
            html.contains(
                r#"<meta name="viewport" content="width=device-width, initial-scale=1">"#
            ),
            "{path}"
        );
        assert!(
            html.contains(
                ".scroll { overflow-x: auto; -webkit-overflow-scrolling: touch; max-width: 100%; }"
            ),
            "{path}"
        );
        // Every visible table and the chart sit in a box that scrolls on
        // its own (the chart's figures for screen readers are hidden).
        let mut wide = 0;
        for (i, _) in html
            .match_indices("<table")
            .chain(html.match_indices("<svg class=\"plot\""))
        {
            if html[i..].starts_with("<table class=\"visually-hidden\"") {
                continue;
            }
            wide += 1;
            assert!(
                html[..i].ends_with(r#"<div class="scroll">"#),
                "{path}: {} outside a scrolling box",
                &html[i..i + 20]
            );
        }
        assert!(wide > 0, "{path} has a table");
    }
}
