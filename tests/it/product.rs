//! Intent topics end to end on both stores: stored with their sightings,
//! read back for a period, purged with them; and the dashboard's product
//! view and its CSV on the real server.

use crate::support::*;
use orgradar::config::DatabaseUrl;
use orgradar::intent::{Source, Taxonomy};
use orgradar::sighting::{EventKind, SightedItem, Sighting};
use orgradar::store::Store;
use orgradar::time::now_ms;
use std::sync::Arc;

const TOKEN: &str = "dashboard-token-0123456789abcdef";
const DAY: i64 = 24 * 3_600_000;

async fn open(dir: &TestDir) -> Arc<dyn Store> {
    orgradar::store::open(&DatabaseUrl::parse(&dir.database_url).unwrap())
        .await
        .unwrap()
}

/// A sighting of `login` from `account` whose topics are found in its text.
fn asking(
    id: &str,
    at: i64,
    account: Option<&str>,
    login: &str,
    title: &str,
    body: &str,
) -> Sighting {
    let (name, tier) = match account {
        Some("globex") => (Some("Globex Corporation"), Some("enterprise")),
        Some("initech") => (Some("Initech"), Some("strategic")),
        _ => (None, None),
    };
    Sighting {
        delivery_id: id.into(),
        at,
        event: EventKind::IssueOpened,
        repository: "acme/widgets".into(),
        repository_private: false,
        item: Some(SightedItem {
            number: 7,
            title: title.into(),
            body: Some(body.into()),
        }),
        url: format!("https://github.com/acme/widgets/issues/{id}"),
        login: login.into(),
        account: account.map(str::to_string),
        account_name: name.map(str::to_string),
        organization: Some(name.unwrap_or("Hooli").to_string()),
        tier: tier.map(str::to_string),
        confidence: 0.9,
        evidence: "company email domain".into(),
        intent: Taxonomy::default().detect(title, Some(body), Source::Body),
        signal: None,
        rules: Vec::new(),
        moved_from: None,
    }
}

fn seed_rows(now: i64) -> Vec<Sighting> {
    vec![
        asking(
            "s1",
            now - 3 * DAY,
            Some("globex"),
            "alice",
            "SAML single sign-on",
            "We need Okta. What is the pricing?",
        ),
        asking(
            "s2",
            now - 2 * DAY,
            Some("initech"),
            "dave",
            "Helm chart for OpenShift",
            "```\nsaml: true\n```",
        ),
        asking(
            "s3",
            now - DAY,
            Some("globex"),
            "bob",
            "Crash on save",
            "We don't need SSO, it just crashes.",
        ),
        asking(
            "s4",
            now - 40 * DAY,
            Some("globex"),
            "carol",
            "Audit log export",
            "",
        ),
        asking("s5", now - DAY, None, "erin", "SSO with Keycloak", ""),
    ]
}

async fn topics_are_stored_read_and_purged(dir: TestDir) {
    let store = open(&dir).await;
    let now = now_ms();
    for s in seed_rows(now) {
        store.record_sighting(&s, &[]).await.unwrap();
        store.record_sighting(&s, &[]).await.unwrap();
    }
    let asked = store.asking(now - 30 * DAY, now + 1).await.unwrap();
    let ids: Vec<&str> = asked.iter().map(|s| s.delivery_id.as_str()).collect();
    assert_eq!(
        ids,
        ["s5", "s2", "s1"],
        "newest first; s3 negates, s4 is older"
    );
    let topics: Vec<(&str, &str, Source)> = asked[2]
        .intent
        .iter()
        .map(|i| (i.topic.as_str(), i.phrase.as_str(), i.source))
        .collect();
    assert_eq!(
        topics,
        [
            ("sso", "SAML", Source::Title),
            ("commercial", "pricing", Source::Body)
        ],
        "the topic, the phrase and where; no more of the text"
    );
    let new = store.new_groups(now - 30 * DAY).await.unwrap();
    assert!(new.contains("account:initech") && new.contains("org:hooli"));
    assert!(
        !new.contains("account:globex"),
        "Globex was first seen 40 days ago"
    );
    store.purge(now - 2 * DAY - 3_600_000).await.unwrap();
    let asked = store.asking(0, now + 1).await.unwrap();
    let ids: Vec<&str> = asked.iter().map(|s| s.delivery_id.as_str()).collect();
    assert_eq!(ids, ["s5", "s2"], "purged with their sightings");
    store.close().await;
}
crate::on_both_stores!(topics_are_stored_read_and_purged);

async fn the_product_view_and_its_csv(dir: TestDir) {
    let store = open(&dir).await;
    for s in seed_rows(now_ms()) {
        store.record_sighting(&s, &[]).await.unwrap();
    }
    store.close().await;
    let config = dir.path().join("app.yml");
    std::fs::write(&config, "name: orgradar-test\n").unwrap();
    let server = Server::start_with(
        &dir,
        &[
            ("WEBHOOK_SECRET", SECRET),
            ("ORGRADAR_CONFIG", config.to_str().unwrap()),
            ("RECOVERY_INTERVAL", "off"),
            ("DASHBOARD_TOKEN", TOKEN),
        ],
        &[],
    );
    let client = reqwest::Client::new();
    let get = |path: &str, token: bool| {
        let mut r = client.get(server.url(path));
        if token {
            r = r.header("authorization", format!("Bearer {TOKEN}"));
        }
        r.send()
    };
    let page = get("/dashboard/product?days=30", true).await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("What target accounts ask for"), "{html}");
    for expected in [
        "href=\"#topic-sso\">SSO</a>",
        "Globex Corporation (1)",
        "href=\"#topic-deployment\">deployment</a>",
        "Initech (1)",
        "“pricing” in the body",
        "Accounts by lead score",
    ] {
        assert!(html.contains(expected), "{expected} missing from the page");
    }
    assert!(
        !html.contains("Hooli"),
        "organizations that are no target account are not listed"
    );
    assert!(!html.contains("Audit log export"), "older than the period");
    let strategic = get("/dashboard/product?days=30&tier=strategic", true)
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(strategic.contains("Initech (1)") && !strategic.contains("Globex Corporation (1)"));

    let csv = get("/dashboard/product.csv?days=90", true).await.unwrap();
    assert_eq!(csv.status(), 200);
    let text = csv.text().await.unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "topic,label,account,tier,login,event,repository,title,url,phrase,source,time"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("sso,SSO,Globex Corporation,enterprise,alice,issues.opened,"))
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("audit,audit log,Globex Corporation,enterprise,carol,"))
    );
    assert_eq!(
        lines.len(),
        1 + 4,
        "SSO, pricing, the Helm chart and the audit log; not the SAML in Initech's code block: {text}"
    );

    let refused = get("/dashboard/product.csv", false).await.unwrap();
    assert_eq!(refused.status(), 401);
}
crate::on_both_stores!(the_product_view_and_its_csv);
