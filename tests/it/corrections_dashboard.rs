//! Answers given on the dashboard and how often orgradar was right: a
//! signed-in member's form is kept as a correction with its follow-up job;
//! forged, missing or foreign tokens, readers who did not sign in and
//! unknown accounts change nothing; the answer comes back to its page; and
//! the precision of the answers given is the same in `orgradar precision`,
//! on the dashboard and in /metrics.

use crate::dashboard::{DAY, Site, TOKEN, get, no_redirects, sighting, sign_in, site_with};
use crate::support::*;
use orgradar::affiliation::Signal;
use orgradar::config::DatabaseUrl;
use orgradar::people::{Correction, Sighted, Verdict, Via};
use orgradar::sighting::EventKind;
use orgradar::store::Store;
use orgradar::time::now_ms;
use serde_json::Value;
use std::sync::Arc;

const APP_YML: &str = "name: orgradar-test
dashboard: { allow_orgs: [acme] }
accounts:
  - { id: globex, name: Globex Corporation, tier: enterprise, domains: [globex.com] }
  - { id: initech, name: Initech, tier: strategic, domains: [initech.com] }
";

const GLOBEX: &str = "/dashboard/accounts/account:globex?days=30";

async fn store(dir: &TestDir) -> Arc<dyn Store> {
    orgradar::store::open(&DatabaseUrl::parse(&dir.database_url).unwrap())
        .await
        .unwrap()
}

/// Sightings that carry their deciding signal and rules: alice at Globex by
/// her email domain, bob at Globex by his company field, dave at Initech by
/// his membership of its organization.
async fn seed_signals(dir: &TestDir) {
    let store = store(dir).await;
    let decided = [
        (
            20,
            "globex",
            "alice",
            Signal::EmailDomain,
            vec!["enterprise-leads"],
        ),
        (
            21,
            "globex",
            "bob",
            Signal::CompanyName,
            vec!["enterprise-leads"],
        ),
        (22, "initech", "dave", Signal::OrgMembership, vec![]),
    ];
    for (id, account, login, signal, rules) in decided {
        let mut s = sighting(id, 1, account, login, EventKind::IssueOpened);
        s.signal = Some(signal);
        s.rules = rules.into_iter().map(str::to_string).collect();
        store.record_sighting(&s, &[]).await.unwrap();
    }
    store.close().await;
}

async fn answering_site(dir: TestDir) -> Site {
    seed_signals(&dir).await;
    site_with(dir, APP_YML).await
}

/// The form token on an account page, as a signed-in person's browser gets it.
async fn form_token(site: &Site, session: &str) -> String {
    let page = get(site, GLOBEX, Some(session), None).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    let token = html
        .split(r#"name="csrf" value=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("no form token on the page: {html}"));
    token.to_string()
}

/// Posts an answer about `login` as the browser with `session` would.
async fn answer<K: AsRef<str>, V: AsRef<str>>(
    site: &Site,
    login: &str,
    session: Option<&str>,
    fields: &[(K, V)],
) -> reqwest::Response {
    let body: String = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields.iter().map(|(k, v)| (k.as_ref(), v.as_ref())))
        .finish();
    let mut request = no_redirects()
        .post(
            site.server
                .url(&format!("/dashboard/people/{login}/correct")),
        )
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body);
    if let Some(session) = session {
        request = request.header("cookie", format!("orgradar_session={session}"));
    }
    request.send().await.unwrap()
}

async fn corrections(dir: &TestDir, login: &str) -> Vec<Correction> {
    let store = store(dir).await;
    let found = store.corrections(login).await.unwrap();
    store.close().await;
    found
}

async fn a_member_answers_from_an_account_page(dir: TestDir) {
    let site = answering_site(dir).await;
    let (_, session) = sign_in(&site, "alice").await;
    let session = session.expect("alice signs in");
    let token = form_token(&site, &session).await;

    // A machine with the token reads the page, without forms.
    let machine = get(&site, GLOBEX, None, Some(TOKEN))
        .await
        .text()
        .await
        .unwrap();
    assert!(machine.contains("Globex Corporation"));
    assert!(!machine.contains(r#"<form class="answer""#), "{machine}");

    // "Not Globex" on bob's sighting decided by his company field.
    let done = answer(
        &site,
        "Bob",
        Some(&session),
        &[
            ("verdict", "none"),
            ("account", "globex"),
            ("sighting", "seed-21"),
            ("csrf", &token),
            ("back", GLOBEX),
        ],
    )
    .await;
    assert_eq!(done.status(), 303);
    let back = done.headers()["location"].to_str().unwrap().to_string();
    assert!(
        back.starts_with(&format!("{GLOBEX}&answered=dashboard-")),
        "{back}"
    );

    // Kept as it was given, with what the sighting had decided.
    let kept = corrections(&site.dir, "bob").await;
    assert_eq!(kept.len(), 1, "{kept:?}");
    let c = &kept[0];
    assert_eq!(c.login, "bob");
    assert_eq!(c.verdict, Verdict::None);
    assert_eq!(c.account, None);
    assert_eq!((c.by.as_str(), c.via), ("alice", Via::Dashboard));
    assert_eq!(c.sighting.as_deref(), Some("seed-21"));
    assert_eq!(
        c.sighted,
        Sighted {
            account: Some("globex".into()),
            signal: Some("company_name".into()),
            rules: vec!["enterprise-leads".into()],
        }
    );
    assert!(back.ends_with(&c.id), "{back}");
    // Its follow-up work is queued.
    let job = deliveries(&site.dir)
        .into_iter()
        .find(|d| d["id"] == c.id.as_str())
        .expect("the correction's job is queued");
    assert_eq!(job["event"], "orgradar.correction");

    // The page it came back to says what the answer does, and shows it.
    let page = get(&site, &back, Some(&session), None).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(
        html.contains(
            "Marked not Globex Corporation for bob: the labels and tracking issue are being put right."
        ),
        "{html}"
    );
    assert!(html.contains("by alice via the dashboard"), "{html}");

    // The answer goes back to a dashboard page only.
    let elsewhere = answer(
        &site,
        "alice",
        Some(&session),
        &[
            ("verdict", "confirm"),
            ("account", "globex"),
            ("csrf", &token),
            ("back", "https://evil.example/dashboard"),
        ],
    )
    .await;
    assert_eq!(elsewhere.status(), 303);
    let to = elsewhere.headers()["location"].to_str().unwrap();
    assert!(to.starts_with("/dashboard?answered=dashboard-"), "{to}");
    assert_eq!(corrections(&site.dir, "alice").await.len(), 1);
}
crate::on_both_stores!(a_member_answers_from_an_account_page);

async fn forged_and_unknown_answers_change_nothing(dir: TestDir) {
    let site = answering_site(dir).await;
    let (_, alice) = sign_in(&site, "alice").await;
    let alice = alice.expect("alice signs in");
    let (_, octocat) = sign_in(&site, "octocat").await;
    let octocat = octocat.expect("octocat signs in");
    let token = form_token(&site, &alice).await;
    let confirm = |csrf: &str| {
        vec![
            ("verdict".to_string(), "confirm".to_string()),
            ("account".to_string(), "globex".to_string()),
            ("back".to_string(), GLOBEX.to_string()),
            ("csrf".to_string(), csrf.to_string()),
        ]
    };

    // No token, a made-up one, and alice's token in octocat's session.
    let made_up = "0".repeat(64);
    for (session, csrf) in [(&alice, ""), (&alice, &made_up), (&octocat, &token)] {
        let refused = answer(&site, "alice", Some(session), &confirm(csrf)).await;
        assert_eq!(refused.status(), 403, "token {csrf:?}");
        let text = refused.text().await.unwrap();
        assert!(
            text.contains("form token is missing or does not match"),
            "{text}"
        );
    }

    // Not signed in: sent to sign in, as the pages do; a token reads only.
    let anonymous = answer(&site, "alice", None, &confirm("x")).await;
    assert_eq!(anonymous.status(), 303);
    let to = anonymous.headers()["location"].to_str().unwrap();
    assert!(to.starts_with("/dashboard/signin?next="), "{to}");
    let machine = no_redirects()
        .post(site.server.url("/dashboard/people/alice/correct"))
        .header("authorization", format!("Bearer {TOKEN}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("verdict=confirm&account=globex")
        .send()
        .await
        .unwrap();
    assert_eq!(machine.status(), 403);
    assert!(
        machine
            .text()
            .await
            .unwrap()
            .contains("orgradar people set")
    );

    // An account app.yml does not list, and a verdict that does not exist.
    let mut fields = confirm(&token);
    fields[1].1 = "umbrella".into();
    let unknown = answer(&site, "alice", Some(&alice), &fields).await;
    assert_eq!(unknown.status(), 400);
    let text = unknown.text().await.unwrap();
    assert!(
        text.contains("no target account with id `umbrella`") && text.contains("globex, initech"),
        "{text}"
    );
    fields[1].1 = "globex".into();
    fields[0].1 = "maybe".into();
    let bad = answer(&site, "alice", Some(&alice), &fields).await;
    assert_eq!(bad.status(), 400);
    assert!(
        bad.text()
            .await
            .unwrap()
            .contains("`maybe` is not an answer")
    );
    // A sighting of someone else.
    fields[0].1 = "none".into();
    fields.push(("sighting".into(), "seed-21".into()));
    let foreign = answer(&site, "alice", Some(&alice), &fields).await;
    assert_eq!(foreign.status(), 400);

    assert!(corrections(&site.dir, "alice").await.is_empty());
    assert!(
        !deliveries(&site.dir)
            .iter()
            .any(|d| d["event"] == "orgradar.correction"),
        "no job was queued"
    );
}
crate::on_both_stores!(forged_and_unknown_answers_change_nothing);

fn precision_json(dir: &TestDir, args: &[&str]) -> Value {
    let mut all = vec!["precision", "--json"];
    all.extend_from_slice(args);
    let out = cli(dir, &all);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("precision --json prints JSON")
}

fn tally(right: u64, wrong: u64, precision: f64) -> Value {
    serde_json::json!({
        "right": right,
        "wrong": wrong,
        "judged": right + wrong,
        "precision": precision,
    })
}

async fn precision_follows_the_answers(dir: TestDir) {
    let site = answering_site(dir).await;
    let none_yet = cli(&site.dir, &["precision"]);
    let text = String::from_utf8_lossy(&none_yet.stdout);
    assert!(text.contains("No answers yet"), "{text}");
    assert!(text.contains("orgradar people set"), "{text}");

    let (_, session) = sign_in(&site, "alice").await;
    let session = session.expect("alice signs in");
    let token = form_token(&site, &session).await;
    // Right: alice at Globex (email domain), dave at Initech (membership).
    // Wrong: bob at Globex (company field). Ignored: alice's star.
    for (login, verdict, account, sighting) in [
        ("alice", "confirm", "globex", "seed-20"),
        ("dave", "confirm", "initech", "seed-22"),
        ("bob", "none", "globex", "seed-21"),
        ("alice", "ignore", "", "seed-5"),
    ] {
        let fields = [
            ("verdict", verdict),
            ("account", account),
            ("sighting", sighting),
            ("csrf", token.as_str()),
            ("back", GLOBEX),
        ];
        let done = answer(&site, login, Some(&session), &fields).await;
        assert_eq!(done.status(), 303, "{login} {verdict}");
    }
    // Two months ago, in Slack: carol was not at Globex (her email domain).
    let store = store(&site.dir).await;
    let slack = Correction {
        id: "slack-carol".into(),
        login: "carol".into(),
        verdict: Verdict::None,
        account: None,
        sighting: Some("seed-7".into()),
        sighted: Sighted {
            account: Some("globex".into()),
            signal: Some("email_domain".into()),
            rules: vec!["enterprise-leads".into()],
        },
        by: "@dana".into(),
        via: Via::Slack,
        note: None,
        at: now_ms() - 60 * DAY,
    };
    assert!(
        orgradar::feedback::submit(&*store, &slack, None)
            .await
            .unwrap()
    );
    store.close().await;

    let json = precision_json(&site.dir, &[]);
    let month = &json["windows"][0];
    assert_eq!(month["days"], 30);
    assert_eq!(month["answers"], 4);
    assert_eq!(month["overall"], tally(2, 1, 0.6667));
    assert_eq!(month["ignored"], 1);
    assert_eq!(month["by_signal"]["email_domain"], tally(1, 0, 1.0));
    assert_eq!(month["by_signal"]["company_name"], tally(0, 1, 0.0));
    assert_eq!(month["by_account"]["globex"], tally(1, 1, 0.5));
    assert_eq!(month["by_account"]["initech"], tally(1, 0, 1.0));
    assert_eq!(month["by_rule"]["enterprise-leads"], tally(1, 1, 0.5));
    let quarter = &json["windows"][1];
    assert_eq!(quarter["days"], 90);
    assert_eq!(quarter["overall"], tally(2, 2, 0.5));
    assert_eq!(quarter["by_signal"]["email_domain"], tally(1, 1, 0.5));
    let week = precision_json(&site.dir, &["--days", "7"]);
    assert_eq!(week["windows"].as_array().map(Vec::len), Some(1));
    assert_eq!(week["windows"][0]["overall"], tally(2, 1, 0.6667));

    let table = cli(&site.dir, &["precision"]);
    let table = String::from_utf8_lossy(&table.stdout);
    assert!(
        table.contains("67% (2 of 3)") && table.contains("50% (2 of 4)"),
        "{table}"
    );

    // The dashboard shows the same figures, linked from the overview.
    let overview = get(&site, "/dashboard", Some(&session), None)
        .await
        .text()
        .await
        .unwrap();
    assert!(overview.contains(r#"href="/dashboard/precision""#));
    let page = get(&site, "/dashboard/precision", Some(&session), None).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("<dd>67% (2 of 3)</dd>"), "{html}");
    assert!(html.contains("<dd>50% (2 of 4)</dd>"), "{html}");
    assert!(
        html.contains("Globex Corporation"),
        "accounts by name: {html}"
    );

    // /metrics counts every answer, from the store.
    let metrics = site.server.metrics().await;
    for line in [
        r#"orgradar_feedback_total{verdict="right",signal="email_domain"} 1"#,
        r#"orgradar_feedback_total{verdict="right",signal="org_membership"} 1"#,
        r#"orgradar_feedback_total{verdict="wrong",signal="company_name"} 1"#,
        r#"orgradar_feedback_total{verdict="wrong",signal="email_domain"} 1"#,
        r#"orgradar_feedback_total{verdict="ignored",signal="unknown"} 1"#,
        "# TYPE orgradar_feedback counter",
    ] {
        assert!(metrics.contains(line), "{line} in {metrics}");
    }
}
crate::on_both_stores!(precision_follows_the_answers);
