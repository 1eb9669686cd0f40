//! The product digest: the week's top topics from target accounts, one line
//! each ("*SSO*: 4 accounts (Globex, Initech, …), 6 items") with links to the
//! latest items. Pure: no I/O.

use super::blocks::{MAX_BLOCKS, context, header, link, section};
use super::slack_message::{Message, period};
use super::text::mrkdwn;
use crate::product::{TopicAsks, summary_line};
use crate::time::Millis;
use serde::Serialize;
use serde_json::Value;

/// Accounts named on a topic's line.
const NAMES: usize = 3;
/// Items linked under a topic.
const LINKS: usize = 3;

/// What one channel is told about one period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProductDigest {
    pub channel: String,
    pub from: Millis,
    pub to: Millis,
    pub timezone: String,
    /// The most asked first.
    pub topics: Vec<TopicAsks>,
}

/// The Slack message of a product digest.
pub fn product_digest(d: &ProductDigest) -> Message {
    let period = period(d.from, d.to, &d.timezone);
    let title = format!("What target accounts asked for: {period}");
    if d.topics.is_empty() {
        return super::slack_message::one_line(format!(
            "No target account asked about a topic this period ({period})."
        ));
    }
    let mut out = vec![
        header(&title),
        context(&format!(
            "intent topics found in issues, pull requests, discussions and comments · {}",
            mrkdwn(&format!("#{}", d.channel.trim_start_matches('#')), 100)
        )),
    ];
    for t in d.topics.iter().take(MAX_BLOCKS - out.len()) {
        let line = summary_line(t, NAMES);
        let (label, rest) = line.split_at(t.label.len());
        let mut text = format!("*{}*{}", mrkdwn(label, 100), mrkdwn(rest, 1000));
        for item in t.items.iter().take(LINKS) {
            let shown = item.title.as_deref().unwrap_or(&item.repository);
            text.push_str(&format!(
                "\n• {}: {}",
                mrkdwn(&item.account, 100),
                link(&item.url, &mrkdwn(shown, 150))
            ));
        }
        out.push(section(&text));
    }
    let lines: Vec<String> = d.topics.iter().map(|t| summary_line(t, NAMES)).collect();
    Message {
        text: super::text::truncate(&format!("{title}: {}", lines.join("; ")), 3000),
        blocks: Value::Array(out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::intent::Source;
    use crate::product::{AccountAsks, AskedItem};
    use crate::sighting::EventKind;

    #[test]
    fn one_line_a_topic_with_the_accounts_and_links() {
        let account = |name: &str| AccountAsks {
            key: format!("account:{name}"),
            name: name.into(),
            tier: Some("enterprise".into()),
            items: 1,
        };
        let item = |n: u32| AskedItem {
            at: 0,
            account: "Globex".into(),
            tier: None,
            login: "alice".into(),
            event: EventKind::IssueOpened,
            repository: "acme/widgets".into(),
            title: Some(format!("SAML <b>{n}</b>")),
            url: format!("https://github.com/acme/widgets/issues/{n}"),
            phrase: "SAML".into(),
            source: Source::Title,
        };
        let d = ProductDigest {
            channel: "product".into(),
            from: 1_795_420_800_000 - 7 * 86_400_000,
            to: 1_795_420_800_000,
            timezone: "UTC".into(),
            topics: vec![TopicAsks {
                topic: "sso".into(),
                label: "SSO".into(),
                accounts: ["Globex", "Initech", "Hooli", "Umbrella"]
                    .map(account)
                    .to_vec(),
                tiers: vec![(Some("enterprise".into()), 4)],
                items: (1..=6).map(item).collect(),
            }],
        };
        let m = product_digest(&d);
        let text = m.readable();
        assert!(
            text.contains("*SSO*: 4 accounts (Globex, Initech, Hooli, …), 6 items"),
            "{text}"
        );
        assert!(
            text.contains("SAML &lt;b&gt;1&lt;/b&gt;"),
            "titles are escaped: {text}"
        );
        assert_eq!(text.matches("• Globex").count(), 3, "three links a topic");
        let empty = product_digest(&ProductDigest {
            topics: vec![],
            ..d
        });
        assert!(
            empty
                .readable()
                .starts_with("No target account asked about a topic")
        );
    }
}
