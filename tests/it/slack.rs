//! The Slack client against the fake Slack: webhooks and chat.postMessage,
//! rate limits, outages, refusals with a fix, and secrets kept out of errors.

use crate::support::fake_slack::{Failure, FakeSlack};
use orgradar::github::ManualClock;
use orgradar::notify::{Destination, Message, Slack, SlackError};
use secrecy::SecretString;
use serde_json::json;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

const TOKEN: &str = "xoxb-test-1234-secret-token";
const HOOK: &str = "T0001/B0002/s3cr3tW3bh00kP4th";

fn message(text: &str) -> Message {
    Message {
        text: text.to_string(),
        blocks: json!([{ "type": "section", "text": { "type": "mrkdwn", "text": text } }]),
    }
}

async fn setup() -> (FakeSlack, Slack) {
    let (fake, slack, _) = setup_clocked().await;
    (fake, slack)
}

/// The fake Slack, and a client whose waits go to a manual clock (they
/// return at once and are recorded).
async fn setup_clocked() -> (FakeSlack, Slack, Arc<ManualClock>) {
    let fake = FakeSlack::start(TOKEN).await;
    let clock = Arc::new(ManualClock::new(SystemTime::UNIX_EPOCH));
    let slack =
        Slack::new(fake.api_base(), Some(SecretString::from(TOKEN))).with_clock(clock.clone());
    (fake, slack, clock)
}

fn webhook(fake: &FakeSlack) -> Destination {
    Destination::Webhook {
        url: SecretString::from(fake.webhook_url(HOOK)),
    }
}

fn channel(name: &str) -> Destination {
    Destination::Channel {
        channel: name.to_string(),
    }
}

/// The error, and a check that it holds neither the webhook URL nor the token.
fn no_secrets(fake: &FakeSlack, error: &SlackError) {
    for shown in [error.to_string(), format!("{error:?}")] {
        assert!(!shown.contains(TOKEN), "token in {shown}");
        assert!(!shown.contains("s3cr3t"), "webhook path in {shown}");
        assert!(
            !shown.contains(&fake.webhook_url(HOOK)),
            "webhook URL in {shown}"
        );
    }
}

#[tokio::test]
async fn slack_webhook_and_channel_posts_land() {
    let (fake, slack) = setup().await;
    slack
        .post(&webhook(&fake), &message("to the hook"))
        .await
        .unwrap();
    slack
        .post(&channel("leads"), &message("to the channel"))
        .await
        .unwrap();
    let hooked = fake.posted(HOOK);
    assert_eq!(hooked.len(), 1);
    assert_eq!(hooked[0]["text"], "to the hook");
    assert_eq!(hooked[0]["blocks"][0]["text"]["text"], "to the hook");
    let posted = fake.posted("leads");
    assert_eq!(posted.len(), 1);
    assert_eq!(posted[0]["channel"], "leads");
    assert_eq!(posted[0]["unfurl_links"], false);
}

#[tokio::test]
async fn slack_rate_limit_is_waited_out_and_posts_once() {
    let (fake, slack, clock) = setup_clocked().await;
    fake.fail_next(
        1,
        Failure::RateLimited {
            retry_after_secs: 7,
        },
    );
    slack.post(&channel("leads"), &message("hi")).await.unwrap();
    assert_eq!(clock.slept(), [Duration::from_secs(7)], "Retry-After");
    assert_eq!(fake.posted("leads").len(), 1);
    assert_eq!(fake.requests(), 2);
}

#[tokio::test]
async fn slack_long_rate_limit_is_transient() {
    let (fake, slack, clock) = setup_clocked().await;
    fake.fail_next(
        1,
        Failure::RateLimited {
            retry_after_secs: 120,
        },
    );
    let error = slack
        .post(&webhook(&fake), &message("hi"))
        .await
        .unwrap_err();
    match &error {
        SlackError::Transient { retry_after, .. } => {
            assert_eq!(*retry_after, Some(Duration::from_secs(120)))
        }
        other => panic!("expected Transient, got {other:?}"),
    }
    no_secrets(&fake, &error);
    assert!(fake.posted(HOOK).is_empty());
    assert!(clock.slept().is_empty(), "not waited out");
}

#[tokio::test]
async fn slack_server_errors_then_success_posts_once() {
    let (fake, slack, clock) = setup_clocked().await;
    fake.fail_next(2, Failure::ServerError);
    slack.post(&webhook(&fake), &message("hi")).await.unwrap();
    assert_eq!(fake.posted(HOOK).len(), 1);
    assert_eq!(fake.requests(), 3);
    assert_eq!(
        clock.slept(),
        [Duration::from_millis(200), Duration::from_millis(400)],
        "the backoff doubles"
    );
}

#[tokio::test]
async fn slack_server_errors_always_are_transient() {
    let (fake, slack, clock) = setup_clocked().await;
    fake.fail_next(100, Failure::ServerError);
    let error = slack
        .post(&webhook(&fake), &message("hi"))
        .await
        .unwrap_err();
    assert!(error.is_transient(), "{error:?}");
    assert_eq!(fake.requests(), 4, "one try and three retries");
    assert_eq!(
        clock.slept(),
        [200, 400, 800].map(Duration::from_millis),
        "three waits, doubling"
    );
    no_secrets(&fake, &error);
}

#[tokio::test]
async fn slack_removed_webhook_is_permanent() {
    let (fake, slack) = setup().await;
    fake.remove_webhook(HOOK);
    let error = slack
        .post(&webhook(&fake), &message("hi"))
        .await
        .unwrap_err();
    assert!(matches!(error, SlackError::Permanent(_)), "{error:?}");
    assert!(
        error.to_string().contains("create a new incoming webhook"),
        "{error}"
    );
    assert_eq!(fake.requests(), 1);
    no_secrets(&fake, &error);
}

#[tokio::test]
async fn slack_wrong_token_is_permanent() {
    let fake = FakeSlack::start(TOKEN).await;
    let wrong = "xoxb-wrong-9999-secret";
    let slack = Slack::new(fake.api_base(), Some(SecretString::from(wrong)));
    let error = slack
        .post(&channel("leads"), &message("hi"))
        .await
        .unwrap_err();
    assert!(matches!(error, SlackError::Permanent(_)), "{error:?}");
    assert!(
        error.to_string().contains("rotate SLACK_BOT_TOKEN"),
        "{error}"
    );
    assert!(!error.to_string().contains(wrong));
    assert!(!format!("{slack:?}").contains(wrong));
    no_secrets(&fake, &error);
}

#[tokio::test]
async fn slack_unknown_channel_says_how_to_fix_it() {
    let (fake, slack) = setup().await;
    fake.unknown_channel("nowhere");
    let error = slack
        .post(&channel("nowhere"), &message("hi"))
        .await
        .unwrap_err();
    assert!(matches!(error, SlackError::Permanent(_)), "{error:?}");
    let text = error.to_string();
    assert!(
        text.contains("#nowhere") && text.contains("invite the bot"),
        "{text}"
    );
}

#[tokio::test]
async fn slack_channel_without_a_token_is_permanent() {
    let fake = FakeSlack::start(TOKEN).await;
    let slack = Slack::new(fake.api_base(), None);
    let error = slack
        .post(&channel("leads"), &message("hi"))
        .await
        .unwrap_err();
    assert!(matches!(error, SlackError::Permanent(_)), "{error:?}");
    assert!(error.to_string().contains("set SLACK_BOT_TOKEN"), "{error}");
    assert_eq!(fake.requests(), 0);
}

#[tokio::test]
async fn slack_refuses_what_slack_would_refuse() {
    let (fake, slack) = setup().await;
    let too_many = Message {
        text: "x".into(),
        blocks: json!(vec![json!({ "type": "divider" }); 51]),
    };
    let error = slack.post(&webhook(&fake), &too_many).await.unwrap_err();
    assert!(matches!(error, SlackError::Permanent(_)), "{error:?}");
    let error = slack.post(&channel("leads"), &too_many).await.unwrap_err();
    assert!(error.to_string().contains("invalid_blocks"), "{error}");
}

#[tokio::test]
async fn slack_notice_and_digest_are_accepted() {
    use orgradar::notify::{Digest, digest, notice};
    use orgradar::sighting::{EventKind, SightedItem, Sighting};
    let (fake, slack) = setup().await;
    let sighting = Sighting {
        delivery_id: "d-1".into(),
        at: 1_795_420_800_000,
        event: EventKind::IssueOpened,
        repository: "acme/widgets".into(),
        repository_private: false,
        item: Some(SightedItem {
            number: 1,
            title: "t".repeat(10_000),
            body: Some("b".repeat(50_000)),
        }),
        url: "https://github.com/acme/widgets/issues/1".into(),
        login: "jdoe".into(),
        account: Some("acme".into()),
        account_name: Some("Acme".into()),
        organization: Some("Acme".into()),
        tier: Some("enterprise".into()),
        confidence: 0.9,
        evidence: "company email domain acme.com".into(),
        intent: Vec::new(),
        signal: None,
        rules: Vec::new(),
        moved_from: None,
    };
    slack
        .post(
            &channel("leads"),
            &notice(
                &sighting,
                None,
                &orgradar::intent::Taxonomy::default(),
                false,
            ),
        )
        .await
        .unwrap();
    let many: Vec<Sighting> = (0..80)
        .map(|i| Sighting {
            organization: Some(format!("Org {i}")),
            account: None,
            account_name: None,
            ..sighting.clone()
        })
        .collect();
    let d = Digest::from_sightings("leads".into(), 0, 1, "UTC".into(), &many);
    slack.post(&webhook(&fake), &digest(&d)).await.unwrap();
    assert_eq!(fake.posted("leads").len(), 1);
    assert_eq!(fake.posted(HOOK).len(), 1);
}

#[tokio::test]
async fn slack_secrets_stay_out_of_debug_and_connection_errors() {
    // A port nobody listens on.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let url = format!("http://127.0.0.1:{port}/hooks/{HOOK}");
    let to = Destination::Webhook {
        url: SecretString::from(url.clone()),
    };
    assert!(!format!("{to:?}").contains("s3cr3t"));
    let clock = Arc::new(ManualClock::new(SystemTime::UNIX_EPOCH));
    let slack = Slack::new(
        format!("http://127.0.0.1:{port}/api"),
        Some(SecretString::from(TOKEN)),
    )
    .with_clock(clock.clone());
    assert!(!format!("{slack:?}").contains(TOKEN));
    let error = slack.post(&to, &message("hi")).await.unwrap_err();
    assert!(error.is_transient(), "{error:?}");
    for shown in [error.to_string(), format!("{error:?}")] {
        assert!(
            !shown.contains("s3cr3t") && !shown.contains(&url),
            "{shown}"
        );
    }
    let error = slack
        .post(&channel("leads"), &message("hi"))
        .await
        .unwrap_err();
    assert!(!error.to_string().contains(TOKEN), "{error}");
    assert_eq!(clock.slept().len(), 6, "each post retried three times");
}
