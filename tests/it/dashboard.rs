//! The dashboard on the real server: who gets in (a member signed in with
//! GitHub, a machine with the token) and who does not; the pages and the
//! CSV on seeded sightings; and a headless Chromium that signs in through
//! the fake GitHub, reads the figures and saves screenshots.

use crate::support::fake_github::{APP_ID, FakeGitHub, PRIVATE_KEY};
use crate::support::*;
use orgradar::config::DatabaseUrl;
use orgradar::sighting::{EventKind, SightedItem, Sighting};
use orgradar::time::now_ms;

pub(crate) const CLIENT_ID: &str = "Iv1.test-client";
pub(crate) const CLIENT_SECRET: &str = "test-client-secret-93a1";
pub(crate) const TOKEN: &str = "dashboard-token-0123456789abcdef";
pub(crate) const DAY: i64 = 24 * 3_600_000;

pub(crate) struct Site {
    pub dir: TestDir,
    pub github: FakeGitHub,
    pub server: Server,
}

pub(crate) fn sighting(
    id: usize,
    days_ago: i64,
    account: &str,
    login: &str,
    event: EventKind,
) -> Sighting {
    let (name, tier) = match account {
        "globex" => ("Globex Corporation", Some("enterprise")),
        "initech" => ("Initech", Some("strategic")),
        _ => ("Umbrella", None),
    };
    let number = id as u64;
    Sighting {
        delivery_id: format!("seed-{id}"),
        at: now_ms() - days_ago * DAY,
        event,
        repository: if id.is_multiple_of(2) {
            "acme/widgets"
        } else {
            "acme/gadgets"
        }
        .into(),
        repository_private: false,
        item: event.labelable().then(|| SightedItem {
            number,
            title: format!("Question {number}"),
            body: None,
        }),
        url: format!("https://github.com/acme/widgets/issues/{number}"),
        login: login.into(),
        account: Some(account.into()),
        account_name: Some(name.into()),
        organization: Some(name.into()),
        tier: tier.map(str::to_string),
        confidence: 0.9,
        evidence: format!("company email domain {account}.com"),
        intent: Vec::new(),
        signal: None,
        rules: Vec::new(),
        moved_from: None,
    }
}

/// Globex: 3 issues, 1 pull request, 2 stars by 2 people in the last 30
/// days, and one issue 60 days ago; Initech: 1 fork; Umbrella: 1 issue 100 days ago.
pub(crate) async fn seed(dir: &TestDir) {
    let store = orgradar::store::open(&DatabaseUrl::parse(&dir.database_url).unwrap())
        .await
        .unwrap();
    let all = [
        sighting(1, 1, "globex", "alice", EventKind::IssueOpened),
        sighting(2, 2, "globex", "alice", EventKind::IssueOpened),
        sighting(3, 3, "globex", "bob", EventKind::IssueOpened),
        sighting(4, 4, "globex", "bob", EventKind::PullRequestOpened),
        sighting(5, 5, "globex", "alice", EventKind::StarCreated),
        sighting(6, 20, "globex", "bob", EventKind::StarCreated),
        sighting(7, 60, "globex", "carol", EventKind::IssueOpened),
        sighting(8, 6, "initech", "dave", EventKind::Fork),
        sighting(9, 100, "umbrella", "eve", EventKind::IssueOpened),
    ];
    for s in &all {
        store.record_sighting(s, &[]).await.unwrap();
    }
    store.close().await;
}

async fn site(dir: TestDir) -> Site {
    site_with(
        dir,
        "name: orgradar-test\ndashboard: { allow_orgs: [acme] }\n",
    )
    .await
}

/// The seeded site, with `app_yml` as its configuration.
pub(crate) async fn site_with(dir: TestDir, app_yml: &str) -> Site {
    seed(&dir).await;
    let github = FakeGitHub::start().await;
    github.add_user(
        "alice",
        serde_json::json!({ "id": 1, "type": "User" }),
        &["acme"],
    );
    github.add_user(
        "mallory",
        serde_json::json!({ "id": 2, "type": "User" }),
        &[],
    );
    github.with(|s| {
        s.oauth_client = Some((CLIENT_ID.into(), CLIENT_SECRET.into()));
        s.org_installations.insert("acme".into(), 7);
        s.private_members
            .insert("acme".into(), vec!["octocat".into()]);
    });
    let config = dir.path().join("app.yml");
    std::fs::write(&config, app_yml).unwrap();
    let app_id = APP_ID.to_string();
    let server = Server::start_with(
        &dir,
        &[
            ("WEBHOOK_SECRET", SECRET),
            ("APP_ID", &app_id),
            ("PRIVATE_KEY", PRIVATE_KEY),
            ("GITHUB_API_URL", &github.api_url),
            ("ORGRADAR_CONFIG", config.to_str().unwrap()),
            ("RECOVERY_INTERVAL", "off"),
            ("GITHUB_CLIENT_ID", CLIENT_ID),
            ("GITHUB_CLIENT_SECRET", CLIENT_SECRET),
            ("DASHBOARD_TOKEN", TOKEN),
        ],
        &[],
    );
    Site {
        dir,
        github,
        server,
    }
}

pub(crate) fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

pub(crate) async fn get(
    site: &Site,
    path: &str,
    cookie: Option<&str>,
    bearer: Option<&str>,
) -> reqwest::Response {
    let mut request = no_redirects().get(site.server.url(path));
    if let Some(c) = cookie {
        request = request.header("cookie", format!("orgradar_session={c}"));
    }
    if let Some(t) = bearer {
        request = request.header("authorization", format!("Bearer {t}"));
    }
    request.send().await.unwrap()
}

/// Signs in as whoever the fake GitHub's browser is signed in as; returns
/// the final answer and the session cookie, if one was set.
pub(crate) async fn sign_in(site: &Site, login: &str) -> (reqwest::Response, Option<String>) {
    site.github.with(|s| s.browser_user = Some(login.into()));
    let c = no_redirects();
    let start = c
        .get(site.server.url("/dashboard/login"))
        .send()
        .await
        .unwrap();
    assert_eq!(start.status(), 303);
    let state_cookie = start.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let authorize = start.headers()["location"].to_str().unwrap().to_string();
    assert!(authorize.starts_with(&site.github.url), "{authorize}");
    let back = c.get(&authorize).send().await.unwrap();
    let callback = back.headers()["location"].to_str().unwrap().to_string();
    let done = c
        .get(&callback)
        .header("cookie", &state_cookie)
        .send()
        .await
        .unwrap();
    let session = done
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix("orgradar_session="))
        .map(|v| v.split(';').next().unwrap().to_string())
        .filter(|v| !v.is_empty());
    (done, session)
}

async fn only_members_and_the_token_get_in(dir: TestDir) {
    let site = site(dir).await;
    // Nobody: sent to sign in, or told how to get in.
    let page = get(&site, "/dashboard", None, None).await;
    assert_eq!(page.status(), 303);
    assert!(
        page.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/dashboard/signin")
    );
    assert_eq!(
        get(&site, "/dashboard/export.csv", None, None)
            .await
            .status(),
        401
    );
    assert_eq!(
        get(
            &site,
            "/dashboard/export.csv",
            None,
            Some("wrong-token-0123456789")
        )
        .await
        .status(),
        401
    );

    // A member signs in with GitHub.
    let (done, session) = sign_in(&site, "alice").await;
    assert_eq!(done.status(), 303);
    assert_eq!(done.headers()["location"], "/dashboard");
    let session = session.expect("a session cookie");
    let set = done
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Lax"),
        "{set}"
    );
    let page = get(&site, "/dashboard", Some(&session), None).await;
    assert_eq!(page.status(), 200);
    assert_eq!(page.headers()["cache-control"], "no-store");
    let html = page.text().await.unwrap();
    assert!(html.contains("Globex Corporation"), "{html}");

    // A private member counts too; someone from elsewhere does not.
    let (_, private) = sign_in(&site, "octocat").await;
    assert!(private.is_some());
    let (refused, none) = sign_in(&site, "mallory").await;
    assert!(none.is_none());
    let to = refused.headers()["location"].to_str().unwrap().to_string();
    let page = get(&site, &to, None, None).await;
    assert_eq!(page.status(), 403);
    assert!(
        page.text()
            .await
            .unwrap()
            .contains("mallory is not a member of acme")
    );

    // A link cannot put its own words on the sign-in page.
    let made_up = get(
        &site,
        "/dashboard/signin?error=Your+account+is+locked%3A+call+%2B1+555+0100",
        None,
        None,
    )
    .await
    .text()
    .await
    .unwrap();
    assert!(!made_up.contains("555 0100"), "{made_up}");
    assert!(made_up.contains("did not complete"), "{made_up}");

    // Made-up and expired sessions are refused.
    let made_up = "0".repeat(64);
    site.dir
        .execute("INSERT INTO dashboard_sessions (id_hash, login, created_at, expires_at, checked_at) VALUES ('x', 'alice', 0, 1, 0)");
    for cookie in [made_up.as_str(), "x", ""] {
        assert_eq!(
            get(&site, "/dashboard", Some(cookie), None).await.status(),
            303,
            "{cookie}"
        );
    }

    // Losing membership ends a session at its next hourly check.
    let page = get(&site, "/dashboard", Some(private.as_deref().unwrap()), None).await;
    assert_eq!(page.status(), 200);
    site.github
        .with(|s| s.private_members.get_mut("acme").unwrap().clear());
    site.dir
        .execute("UPDATE dashboard_sessions SET checked_at = checked_at - 3600001");
    let page = get(&site, "/dashboard", Some(private.as_deref().unwrap()), None).await;
    assert_eq!(page.status(), 303, "octocat left acme");
    // A member's session outlives the check.
    assert_eq!(
        get(&site, "/dashboard", Some(&session), None)
            .await
            .status(),
        200
    );

    // Signing out ends the session on the server, not only in the browser.
    let out = no_redirects()
        .post(site.server.url("/dashboard/logout"))
        .header("cookie", format!("orgradar_session={session}"))
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 303);
    assert!(
        out.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
    assert_eq!(
        get(&site, "/dashboard", Some(&session), None)
            .await
            .status(),
        303,
        "a copy of the cookie taken before signing out opens nothing"
    );

    // A machine with the token.
    let csv = get(&site, "/dashboard/export.csv?days=30", None, Some(TOKEN)).await;
    assert_eq!(csv.status(), 200);
    assert!(
        csv.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    drop(site.dir);
}
crate::on_both_stores!(only_members_and_the_token_get_in);

async fn the_csv_is_the_view(dir: TestDir) {
    let site = site(dir).await;
    let csv = |path: &'static str| {
        let site = &site;
        async move {
            get(site, path, None, Some(TOKEN))
                .await
                .text()
                .await
                .unwrap()
        }
    };
    let month = csv("/dashboard/export.csv?days=30").await;
    let lines: Vec<&str> = month.lines().collect();
    assert!(lines[0].starts_with("account,name,tier,people"), "{month}");
    assert_eq!(lines.len(), 3, "Globex and Initech in 30 days: {month}");
    assert!(
        lines[1].starts_with("globex,Globex Corporation,enterprise,2,3,1,0,0,2,0,6,"),
        "{month}"
    );
    let quarter = csv("/dashboard/export.csv?days=90").await;
    assert!(
        quarter.contains("globex,Globex Corporation,enterprise,3,4,1,0,0,2,0,7,"),
        "{quarter}"
    );
    let stars = csv("/dashboard/export.csv?days=30&event=star.created").await;
    assert_eq!(stars.lines().count(), 2, "{stars}");
    let strategic = csv("/dashboard/export.csv?days=30&tier=strategic").await;
    assert!(
        strategic.contains("initech") && !strategic.contains("globex"),
        "{strategic}"
    );
    let gadgets = csv("/dashboard/export.csv?days=30&repository=acme/gadgets").await;
    assert!(
        gadgets.contains("globex,Globex Corporation,enterprise,2,2,0,0,0,1,0,3,"),
        "{gadgets}"
    );
    let people = csv("/dashboard/accounts/account%3Aglobex/export.csv?days=30").await;
    assert_eq!(
        people.lines().count(),
        7,
        "a header and 6 sightings: {people}"
    );
    assert!(
        people.contains("alice") && people.contains("bob"),
        "{people}"
    );
}
crate::on_both_stores!(the_csv_is_the_view);

/// Headless Chromium, where the machine has it (`.ci/run` installs it).
fn chromium() -> Option<String> {
    let path = std::env::var("CHROMIUM").ok().or_else(|| {
        ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
            .iter()
            .find(|p| std::path::Path::new(p).exists())
            .map(|p| p.to_string())
    });
    if path.is_none() {
        crate::support::missing(
            "a_browser_signs_in_and_reads_the_overview_and_an_account",
            "no Chromium on this machine (install Debian's chromium, as .ci/run does, or set CHROMIUM)",
        );
    }
    path
}

fn browse(chromium: &str, profile: &std::path::Path, args: &[&str], url: &str) -> String {
    let out = std::process::Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(url)
        .output()
        .expect("run chromium");
    String::from_utf8_lossy(&out.stdout).to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_browser_signs_in_and_reads_the_overview_and_an_account() {
    let Some(chromium) = chromium() else {
        return;
    };
    let site = site(TestDir::sqlite()).await;
    site.github.with(|s| s.browser_user = Some("alice".into()));
    let shots = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("dashboard-screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    let profile = site.dir.path().join("chromium");
    let login = |next: &str| site.server.url(&format!("/dashboard/login?next={next}"));

    let overview = browse(&chromium, &profile, &["--dump-dom"], &login("/dashboard"));
    assert!(overview.contains("Globex Corporation"), "{overview}");
    assert!(overview.contains("Initech"), "{overview}");
    assert!(
        !overview.contains("Umbrella"),
        "100 days ago is outside the 30-day view"
    );
    assert!(overview.contains("<svg"), "the weekly chart");
    // The figures as the page shows them: 2 target accounts and no other
    // organization, 3 people, 7 sightings;
    // Globex's row ends with its total of 6.
    let figures: String = overview.split_whitespace().collect();
    for figure in [
        "<dt>Targetaccountsseen</dt><dd>2</dd>",
        "<dt>Otherorganizations</dt><dd>0</dd>",
        "<dt>People</dt><dd>3</dd>",
        "<dt>Sightings</dt><dd>7</dd>",
    ] {
        assert!(figures.contains(figure), "{figure} in {overview}");
    }
    assert!(figures.contains("<strong>6</strong>"), "{overview}");
    let account = browse(
        &chromium,
        &profile,
        &["--dump-dom"],
        &login("/dashboard/accounts/account%3Aglobex"),
    );
    assert!(account.contains("https://github.com/alice"), "{account}");
    assert!(account.contains("https://github.com/bob"), "{account}");
    assert!(account.contains("Question 1"), "{account}");

    for (name, size, next) in [
        ("overview-laptop.png", "1280,900", "/dashboard"),
        ("overview-phone.png", "390,844", "/dashboard"),
        (
            "account-laptop.png",
            "1280,900",
            "/dashboard/accounts/account%3Aglobex",
        ),
    ] {
        let file = shots.join(name);
        let _ = std::fs::remove_file(&file);
        browse(
            &chromium,
            &profile,
            &[
                &format!("--screenshot={}", file.display()),
                &format!("--window-size={size}"),
            ],
            &login(next),
        );
        let bytes = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
        assert!(bytes > 10_000, "{name}: a screenshot of {bytes} bytes");
    }
    eprintln!("screenshots in {}", shots.display());
}
