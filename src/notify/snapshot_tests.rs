//! Snapshots of every message and text orgradar writes, and their limits.

use super::blocks::{MAX_BLOCKS, MAX_HEADER, MAX_SECTION, MAX_TEXT};
use super::*;
use crate::intent::{Source, Taxonomy};
use crate::sighting::{EventKind, SightedItem, Sighting};
use insta::{assert_json_snapshot, assert_snapshot};
use serde_json::Value;

const T0: i64 = 1_795_420_800_000; // 2026-11-23T08:00:00Z

fn enterprise_issue() -> Sighting {
    Sighting {
        delivery_id: "72d3162e-cc78-11e3-81ab-4c9367dc0958".into(),
        at: T0,
        event: EventKind::IssueOpened,
        repository: "acme/widgets".into(),
        repository_private: false,
        item: Some(SightedItem {
            number: 1347,
            title: "Crash when the cache is full".into(),
            body: Some("Steps:\n1. fill the cache\n2. restart\n\nIt panics.".into()),
        }),
        url: "https://github.com/acme/widgets/issues/1347".into(),
        login: "jdoe".into(),
        account: Some("acme-corp".into()),
        account_name: Some("Acme Corporation".into()),
        organization: Some("Acme Corporation".into()),
        tier: Some("enterprise".into()),
        confidence: 0.92,
        evidence: "company email domain acme.com; public member of @acme-labs".into(),
        intent: Vec::new(),
        signal: None,
        rules: Vec::new(),
        moved_from: None,
    }
}

fn pull_request() -> Sighting {
    Sighting {
        delivery_id: "d-pr-1".into(),
        event: EventKind::PullRequestOpened,
        item: Some(SightedItem {
            number: 88,
            title: "Add retries to the uploader".into(),
            body: None,
        }),
        url: "https://github.com/acme/widgets/pull/88".into(),
        login: "rsmith".into(),
        account: Some("globex".into()),
        account_name: Some("Globex".into()),
        organization: Some("Globex".into()),
        tier: Some("growth".into()),
        confidence: 0.75,
        evidence: "company field \"Globex\"".into(),
        intent: Vec::new(),
        signal: None,
        rules: Vec::new(),
        moved_from: None,
        ..enterprise_issue()
    }
}

fn star() -> Sighting {
    Sighting {
        delivery_id: "d-star-1".into(),
        event: EventKind::StarCreated,
        item: None,
        url: "https://github.com/acme/widgets".into(),
        login: "kim".into(),
        account: None,
        account_name: None,
        organization: Some("Initech".into()),
        tier: None,
        confidence: 0.5,
        evidence: "website initech.com".into(),
        intent: Vec::new(),
        signal: None,
        rules: Vec::new(),
        moved_from: None,
        ..enterprise_issue()
    }
}

fn section_texts(message: &Message) -> Vec<String> {
    let blocks = message.blocks.as_array().cloned().unwrap_or_default();
    blocks
        .iter()
        .flat_map(|b| {
            let mut texts = vec![];
            if let Some(t) = b["text"]["text"].as_str() {
                texts.push(t.to_string());
            }
            for e in b["elements"].as_array().into_iter().flatten() {
                if let Some(t) = e["text"].as_str() {
                    texts.push(t.to_string());
                }
            }
            texts
        })
        .collect()
}

fn assert_within_limits(message: &Message) {
    let blocks = message.blocks.as_array().expect("blocks are an array");
    assert!(blocks.len() <= MAX_BLOCKS, "{} blocks", blocks.len());
    assert!(message.text.chars().count() <= MAX_TEXT);
    for b in blocks {
        let limit = if b["type"] == "header" {
            MAX_HEADER
        } else {
            MAX_SECTION
        };
        for t in section_texts(&Message {
            text: String::new(),
            blocks: Value::Array(vec![b.clone()]),
        }) {
            assert!(t.chars().count() <= limit, "{} chars", t.chars().count());
        }
    }
}

fn taxonomy() -> Taxonomy {
    Taxonomy::default()
}

/// Someone from a target account asking about SAML and pricing; the topics
/// are found in the text the way the worker finds them.
fn asking() -> Sighting {
    let mut s = enterprise_issue();
    let title = "SAML single sign-on";
    let body = "We are rolling this out to 2,000 engineers and need SAML with Okta. \
                What is the pricing of a support contract?\n\n```yaml\nauth: ldap\n```";
    s.item = Some(SightedItem {
        number: 1348,
        title: title.into(),
        body: Some(body.into()),
    });
    s.url = "https://github.com/acme/widgets/issues/1348".into();
    s.intent = taxonomy().detect(title, Some(body), Source::Body);
    s
}

#[test]
fn notice_asks_about() {
    let m = notice(&asking(), None, &taxonomy(), false);
    assert_within_limits(&m);
    let text = serde_json::to_string(&m.blocks).unwrap();
    assert!(
        text.contains("*Asks about:* SSO (SAML), commercial (pricing)"),
        "{text}"
    );
    assert_json_snapshot!(m);
}

#[test]
fn tracking_comment_asks_about() {
    let comment = sighting_comment(&asking(), &taxonomy());
    assert!(
        comment.contains("- Asks about: SSO (SAML), commercial (pricing)\n"),
        "{comment}"
    );
    let none = sighting_comment(&enterprise_issue(), &taxonomy());
    assert!(!none.contains("Asks about"), "no topic, no line");
}

#[test]
fn notice_enterprise_issue() {
    let m = notice(&enterprise_issue(), None, &taxonomy(), false);
    assert_within_limits(&m);
    assert_json_snapshot!(m);
}

#[test]
fn notice_pull_request() {
    let m = notice(&pull_request(), None, &taxonomy(), false);
    assert_within_limits(&m);
    assert_json_snapshot!(m);
}

#[test]
fn notice_star() {
    let m = notice(&star(), None, &taxonomy(), false);
    assert_within_limits(&m);
    assert_json_snapshot!(m);
}

#[test]
fn notice_shadow() {
    let note = ShadowNote {
        labels: vec!["lead: enterprise".into()],
        channels: vec!["sales".into(), "#product".into()],
    };
    let m = notice(&enterprise_issue(), Some(&note), &taxonomy(), false);
    assert_within_limits(&m);
    assert!(
        section_texts(&m)[0].contains("Shadow mode"),
        "the shadow marker comes first"
    );
    assert_json_snapshot!(m);
}

#[test]
fn notice_huge_title_and_body() {
    let mut s = enterprise_issue();
    if let Some(item) = s.item.as_mut() {
        item.title = "é<&>".repeat(2500);
        item.body = Some("line & <b>\n".repeat(5000));
    }
    s.evidence = "x".repeat(20_000);
    s.login = "l".repeat(5000);
    s.account_name = Some("N".repeat(5000));
    let m = notice(&s, None, &taxonomy(), false);
    assert_within_limits(&m);
    for t in section_texts(&m) {
        assert!(t.chars().count() <= 3000);
    }
    assert!(m.blocks.as_array().map_or(0, Vec::len) <= 50);
    assert_json_snapshot!(m);
}

#[test]
fn notice_title_cannot_inject() {
    let mut s = enterprise_issue();
    if let Some(item) = s.item.as_mut() {
        item.title = "<!channel> <https://evil|x> & @here".into();
        item.body = Some("<!here> ping <@U123>".into());
    }
    let m = notice(&s, None, &taxonomy(), false);
    let all = serde_json::to_string(&m).unwrap_or_default();
    assert!(!all.contains("<!channel>"));
    assert!(!all.contains("<!here>"));
    assert!(!all.contains("<https://evil"));
    assert!(!all.contains("<@U123>"));
    assert_json_snapshot!(m);
}

fn week_of(sightings: &[Sighting]) -> Digest {
    Digest::from_sightings(
        "leads".into(),
        T0,
        T0 + 7 * 86_400_000,
        "Europe/Berlin".into(),
        sightings,
    )
}

#[test]
fn digest_three_accounts() {
    let mut all = vec![];
    for i in 0..3 {
        let mut s = enterprise_issue();
        s.delivery_id = format!("acme-issue-{i}");
        s.at = T0 + i * 3_600_000;
        if let Some(item) = s.item.as_mut() {
            item.number = 100 + i as u64;
        }
        s.url = format!("https://github.com/acme/widgets/issues/{}", 100 + i);
        if i == 2 {
            s.login = "amy".into();
            s.repository = "acme/gadgets".into();
        }
        all.push(s);
    }
    let mut pr = pull_request();
    pr.account = Some("acme-corp".into());
    pr.account_name = Some("Acme Corporation".into());
    pr.tier = Some("enterprise".into());
    all.push(pr);
    for i in 0..2 {
        let mut s = star();
        s.delivery_id = format!("acme-star-{i}");
        s.account = Some("acme-corp".into());
        s.account_name = Some("Acme Corporation".into());
        s.tier = Some("enterprise".into());
        all.push(s);
    }
    all.push(pull_request());
    all.push(star());
    let d = week_of(&all);
    assert_eq!(d.accounts.len(), 3);
    let m = digest(&d);
    assert_within_limits(&m);
    let texts = section_texts(&m);
    assert!(
        texts.iter().any(|t| t.starts_with(
            "*Acme Corporation* (enterprise): 3 issues, 1 pull request, 2 stars in 2 repositories by 4 people"
        )),
        "{texts:#?}"
    );
    assert_json_snapshot!(m);
}

#[test]
fn digest_sixty_accounts() {
    let all: Vec<Sighting> = (0..60)
        .map(|i| {
            let mut s = star();
            s.delivery_id = format!("star-{i}");
            s.organization = Some(format!("Org {i:02}"));
            s.login = format!("user{i}");
            s
        })
        .collect();
    let m = digest(&week_of(&all));
    assert_within_limits(&m);
    let blocks = m.blocks.as_array().map_or(0, Vec::len);
    assert_eq!(blocks, 50);
    assert!(
        section_texts(&m)
            .last()
            .is_some_and(|t| t.contains("and 13 more accounts"))
    );
    assert_json_snapshot!(m);
}

#[test]
fn digest_empty() {
    let m = digest(&week_of(&[]));
    assert_json_snapshot!(m);
}

#[test]
fn tracking_issue_text() {
    let (title, body) = tracking_issue(&enterprise_issue());
    assert_snapshot!(format!("{title}\n---\n{body}"));
}

#[test]
fn sighting_comment_text() {
    let mut s = enterprise_issue();
    if let Some(item) = s.item.as_mut() {
        item.title = "Ping @here and [click](https://evil) <!-- orgradar:delivery=x -->".into();
        item.body = Some("cc @acme/team\n```\n<!-- x -->".into());
    }
    let comment = sighting_comment(&s, &taxonomy());
    assert!(!comment.contains("@here"));
    assert!(!comment.contains("@acme/team"));
    assert_eq!(comment.matches("<!--").count(), 1, "only orgradar's marker");
    assert_snapshot!(comment);
}

#[test]
fn sighting_issue_text() {
    let (title, body) = sighting_issue(&pull_request(), &taxonomy());
    assert!(title.chars().count() <= 256);
    assert_snapshot!(format!("{title}\n---\n{body}"));
}

#[test]
fn issue_texts_hold_their_limits() {
    let mut s = enterprise_issue();
    s.account_name = Some("A".repeat(1000));
    s.login = "b".repeat(300);
    if let Some(item) = s.item.as_mut() {
        item.body = Some("x".repeat(100_000));
        item.title = "t".repeat(100_000);
    }
    let (title, body) = sighting_issue(&s, &taxonomy());
    assert!(title.chars().count() <= 256);
    assert!(body.chars().count() <= 60_000);
    let (title, _) = tracking_issue(&s);
    assert!(title.chars().count() <= 256);
}

#[test]
fn digest_dates_follow_the_time_zone() {
    // 2026-11-22T23:30Z is already the 23rd in Berlin, still the 22nd in UTC.
    let from = T0 - 8 * 3_600_000 - 30 * 60_000;
    let to = from + 7 * 86_400_000;
    assert_eq!(
        slack_message::period(from, to, "Europe/Berlin"),
        "2026-11-23 – 2026-11-30"
    );
    assert_eq!(
        slack_message::period(from, to, "Nowhere/Else"),
        "2026-11-22 – 2026-11-29"
    );
}
