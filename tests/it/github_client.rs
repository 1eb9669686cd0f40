//! The GitHub client against the fake GitHub: tokens, 401s, rate limits,
//! writes that must not be repeated, and GitHub Enterprise Server's URLs.

use crate::support::fake_github::{APP_ID, Failure, FakeGitHub, PRIVATE_KEY};
use axum::http::Method;
use orgradar::github::{
    ApiUrl, AppCredentials, GitHub, GitHubError, Items, KeySource, ManualClock,
};
use orgradar::metrics::Metrics;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const INSTALLATION: u64 = 7;

struct Setup {
    fake: FakeGitHub,
    clock: Arc<ManualClock>,
    github: GitHub,
    metrics: Arc<Metrics>,
}

async fn setup_with(fake: FakeGitHub) -> Setup {
    let start = UNIX_EPOCH
        + Duration::from_secs(
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap()
                .as_secs(),
        );
    let clock = Arc::new(ManualClock::new(start));
    fake.use_clock(clock.clone());
    fake.add_user(
        "alice",
        serde_json::json!({ "id": 1, "type": "User", "company": "@acme" }),
        &["acme"],
    );
    let key = KeySource::Env(PRIVATE_KEY.to_string().into())
        .load()
        .unwrap();
    let metrics = Arc::new(Metrics::new());
    let github = GitHub::new(
        ApiUrl::parse(&fake.api_url).unwrap(),
        Some(AppCredentials {
            app_id: APP_ID,
            key,
        }),
        clock.clone(),
        Some(metrics.clone()),
    )
    .unwrap();
    Setup {
        fake,
        clock,
        github,
        metrics,
    }
}

async fn setup() -> Setup {
    setup_with(FakeGitHub::start().await).await
}

#[tokio::test]
async fn one_token_serves_many_requests_until_five_minutes_before_expiry() {
    let t = setup().await;
    for _ in 0..20 {
        assert_eq!(
            t.github.user(INSTALLATION, "alice").await.unwrap().login,
            "alice"
        );
    }
    assert_eq!(t.fake.tokens_minted(), 1);
    assert_eq!(t.fake.count("GET", "/users/alice"), 20);

    t.clock.advance(Duration::from_secs(54 * 60));
    t.github.user(INSTALLATION, "alice").await.unwrap();
    assert_eq!(t.fake.tokens_minted(), 1, "six minutes left: still reused");
    t.clock.advance(Duration::from_secs(2 * 60));
    t.github.user(INSTALLATION, "alice").await.unwrap();
    assert_eq!(
        t.fake.tokens_minted(),
        2,
        "four minutes left: renewed before it expires"
    );
    // Another installation has its own token.
    t.github.user(8, "alice").await.unwrap();
    assert_eq!(t.fake.tokens_minted(), 3);
}

#[tokio::test]
async fn a_401_renews_the_token_and_retries_once_only() {
    let t = setup().await;
    t.github.user(INSTALLATION, "alice").await.unwrap();
    t.fake
        .fail_next(Method::GET, "/users/alice", Failure::Unauthorized);
    t.github.user(INSTALLATION, "alice").await.unwrap();
    assert_eq!(t.fake.tokens_minted(), 2);
    assert_eq!(t.fake.count("GET", "/users/alice"), 3);

    t.fake
        .fail_next(Method::GET, "/users/alice", Failure::Unauthorized);
    t.fake
        .fail_next(Method::GET, "/users/alice", Failure::Unauthorized);
    let err = t.github.user(INSTALLATION, "alice").await.unwrap_err();
    assert_eq!(err.status(), Some(401), "{err}");
    assert_eq!(
        t.fake.count("GET", "/users/alice"),
        5,
        "one retry, not more"
    );
    assert!(
        !err.to_string().contains("ghs_"),
        "a token leaked into: {err}"
    );
}

#[tokio::test]
async fn a_primary_rate_limit_is_waited_out_until_the_reset() {
    let t = setup().await;
    t.fake.fail_next(
        Method::GET,
        "/users/alice",
        Failure::PrimaryLimit {
            reset_in: Duration::from_secs(120),
        },
    );
    t.github.user(INSTALLATION, "alice").await.unwrap();
    assert_eq!(t.clock.slept(), vec![Duration::from_secs(121)]);
    assert_eq!(t.fake.count("GET", "/users/alice"), 2);
}

#[tokio::test]
async fn a_secondary_rate_limit_waits_retry_after_or_at_least_a_minute_growing() {
    let t = setup().await;
    t.fake.fail_next(
        Method::GET,
        "/users/alice",
        Failure::SecondaryLimit {
            retry_after: Some(30),
        },
    );
    t.github.user(INSTALLATION, "alice").await.unwrap();
    assert_eq!(t.clock.slept(), vec![Duration::from_secs(30)]);

    t.fake.fail_next(
        Method::GET,
        "/users/alice",
        Failure::SecondaryLimit { retry_after: None },
    );
    t.fake.fail_next(
        Method::GET,
        "/users/alice",
        Failure::SecondaryLimit { retry_after: None },
    );
    t.github.user(INSTALLATION, "alice").await.unwrap();
    assert_eq!(
        t.clock.slept(),
        vec![
            Duration::from_secs(30),
            Duration::from_secs(60),
            Duration::from_secs(120)
        ]
    );
}

#[tokio::test]
async fn the_remaining_budget_is_exported_per_installation() {
    let t = setup().await;
    t.github.user(INSTALLATION, "alice").await.unwrap();
    let text = t.metrics.render();
    assert!(
        text.contains("orgradar_github_ratelimit_remaining{installation=\"7\"}"),
        "{text}"
    );
    assert!(
        text.contains("orgradar_github_ratelimit_remaining{installation=\"app\"}"),
        "{text}"
    );
}

#[tokio::test]
async fn a_write_that_may_have_landed_is_not_repeated() {
    let t = setup().await;
    t.fake.fail_next(
        Method::POST,
        "/issues/3/comments",
        Failure::BadGatewayAfterWrite,
    );
    let err = t
        .github
        .create_comment(INSTALLATION, "acme/widgets", 3, "hello")
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            GitHubError::WriteUncertain {
                status: Some(502),
                ..
            }
        ),
        "{err}"
    );
    assert!(err.is_transient());
    assert_eq!(t.fake.count("POST", "/issues/3/comments"), 1);
    assert_eq!(
        t.github
            .comments(INSTALLATION, "acme/widgets", 3)
            .await
            .unwrap()
            .len(),
        1
    );

    // A rate-limit answer shows the write did not happen: it is repeated after the wait.
    t.fake.fail_next(
        Method::POST,
        "/issues/4/comments",
        Failure::SecondaryLimit {
            retry_after: Some(10),
        },
    );
    t.github
        .create_comment(INSTALLATION, "acme/widgets", 4, "hello")
        .await
        .unwrap();
    assert_eq!(t.fake.count("POST", "/issues/4/comments"), 2);
    assert_eq!(
        t.github
            .comments(INSTALLATION, "acme/widgets", 4)
            .await
            .unwrap()
            .len(),
        1
    );

    // Reads answered 502 are retried.
    t.fake
        .fail_next(Method::GET, "/users/alice", Failure::BadGateway);
    t.github.user(INSTALLATION, "alice").await.unwrap();
}

#[tokio::test]
async fn enterprise_server_urls_rest_graphql_and_pages_followed_by_path() {
    let t = setup_with(FakeGitHub::start_enterprise().await).await;
    assert_eq!(t.github.url.web, t.fake.url);
    let app = t.github.app_info().await.unwrap();
    assert_eq!(app.id, APP_ID);
    assert!(t.fake.requests().iter().any(|r| r.path == "/api/v3/app"));

    for id in 1..=5 {
        t.fake.add_installation(id, &format!("org{id}"));
    }
    t.fake.set_page_cap(2);
    let all = t.github.installations().await.unwrap();
    assert_eq!(
        all.iter().map(|i| i.id).collect::<Vec<_>>(),
        vec![1, 2, 3, 4, 5]
    );
    let pages: Vec<_> = t
        .fake
        .requests()
        .into_iter()
        .filter(|r| r.path.starts_with("/api/v3/app/installations"))
        .collect();
    assert_eq!(pages.len(), 3);
    assert!(
        pages
            .iter()
            .all(|r| r.status == 200 && r.authorization.is_some())
    );

    #[derive(serde::Deserialize)]
    struct Data {
        user: serde_json::Value,
    }
    let data: Data = t
        .github
        .graphql(
            orgradar::github::Auth::Installation(INSTALLATION),
            "query($login: String!) { user(login: $login) { login } }",
            serde_json::json!({ "login": "alice" }),
        )
        .await
        .unwrap();
    assert_eq!(data.user["login"], "alice");
    assert!(
        t.fake
            .requests()
            .iter()
            .any(|r| r.path == "/api/graphql" && r.status == 200)
    );
}

#[tokio::test]
async fn the_app_jwt_is_backdated_a_minute_and_lasts_nine() {
    let t = setup().await;
    let jwt = t.github.app_jwt().unwrap();
    let key =
        jsonwebtoken::DecodingKey::from_rsa_pem(include_bytes!("../fixtures/test-app-key.pub.pem"))
            .unwrap();
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
    validation.validate_exp = false;
    let claims = jsonwebtoken::decode::<serde_json::Value>(&jwt, &key, &validation)
        .unwrap()
        .claims;
    let now = t.clock.now_secs();
    assert_eq!(claims["iat"].as_u64(), Some(now - 60));
    assert_eq!(claims["exp"].as_u64(), Some(now + 540));
    assert_eq!(claims["iss"], APP_ID.to_string());
}

#[tokio::test]
async fn a_removed_or_suspended_installation_gets_no_token_until_it_returns() {
    let t = setup().await;
    t.github.user(INSTALLATION, "alice").await.unwrap();
    t.github.forget_installation(INSTALLATION);
    let err = t.github.user(INSTALLATION, "alice").await.unwrap_err();
    assert!(matches!(err, GitHubError::InstallationInactive(7)), "{err}");
    assert_eq!(t.fake.count("GET", "/users/alice"), 1);
    t.github.allow_installation(INSTALLATION);
    t.github.user(INSTALLATION, "alice").await.unwrap();
    assert_eq!(t.fake.tokens_minted(), 2, "the old token was dropped");
}

#[tokio::test]
async fn installation_events_stop_and_restart_work_for_that_installation() {
    use orgradar::pipeline::{Handler, Pipeline};
    use orgradar::store::Claimed;
    let t = setup().await;
    let dir = crate::support::TestDir::sqlite();
    let url = orgradar::config::DatabaseUrl::parse(&dir.database_url).unwrap();
    let store = orgradar::store::open(&url).await.unwrap();
    let config = orgradar::config::Config::load(&crate::support::app_yml()).unwrap();
    let actions = orgradar::actions::Actions::new(
        store.clone(),
        Arc::new(orgradar::notify::Slack::new(
            "http://127.0.0.1:9".into(),
            None,
        )),
        Arc::new(config.rules.clone()),
        |_| None,
    );
    let shared = orgradar::github::SharedGitHub::new(Some(Arc::new(t.github)));
    let pipeline = Pipeline::new(
        shared.clone(),
        Arc::new(orgradar::actor::Actors::new(
            store.clone(),
            1000,
            None,
            Default::default(),
        )),
        Arc::new(orgradar::affiliation::Accounts::default()),
        Arc::new(config.rules.clone()),
        store,
        Arc::new(actions),
    );
    let delivery = |action: &str| Claimed {
        id: format!("inst-{action}"),
        event: "installation".into(),
        action: Some(action.into()),
        received_at: 0,
        payload: serde_json::json!({
            "action": action,
            "installation": { "id": INSTALLATION, "account": { "login": "acme" } },
            "sender": { "login": "octocat", "id": 1 }
        })
        .to_string(),
        attempt: 1,
        budget_used: 1,
        owner: "test".into(),
    };
    let github = shared.get().unwrap();
    github.user(INSTALLATION, "alice").await.unwrap();
    for (action, works) in [
        ("suspend", false),
        ("unsuspend", true),
        ("deleted", false),
        ("created", true),
    ] {
        pipeline.handle(&delivery(action)).await.unwrap();
        let result = github.user(INSTALLATION, "alice").await;
        assert_eq!(result.is_ok(), works, "after {action}: {result:?}");
    }
}
