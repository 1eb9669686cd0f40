//! What a correction says where orgradar spoke before: the Slack message the
//! answer was given on (shown again without its buttons, with who decided
//! what and when), and a comment on the tracking issue that logged the
//! sighting.

use super::blocks::{MAX_BLOCKS, MAX_TEXT, context};
use super::markdown::inline;
use super::slack_message::Message;
use super::text::{escape_mrkdwn, truncate};
use crate::time::Millis;
use serde_json::Value;

/// Characters of a name in a comment.
const NAME_CHARS: usize = 100;

/// One answer, for the texts: what was decided ("Marked not Acme
/// Corporation"), by whom, via where, when.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub decided: String,
    pub by: String,
    pub via: &'static str,
    pub at: Millis,
}

/// `<!-- orgradar:correction=ID -->`: marks the comment a correction wrote.
pub fn correction_marker(id: &str) -> String {
    format!(
        "<!-- orgradar:correction={} -->",
        id.chars()
            .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'))
            .collect::<String>()
    )
}

/// "2026-12-01 10:42 UTC"
fn minute(at: Millis) -> String {
    let full = crate::time::rfc3339(at);
    // 2026-12-01T10:42:07Z → 2026-12-01 10:42 UTC
    match (full.get(..10), full.get(11..16)) {
        (Some(day), Some(time)) => format!("{day} {time} UTC"),
        _ => full,
    }
}

/// The message an answer was given on, replaced: its blocks without the
/// buttons, and a line per answer, latest first: "Marked not Acme
/// Corporation by @dana, 10:42" (the time in each reader's own zone).
pub fn answered(blocks: &[Value], text: &str, answers: &[Answer]) -> Message {
    let mut out: Vec<Value> = blocks
        .iter()
        .filter(|b| b["type"].as_str() != Some("actions"))
        .cloned()
        .collect();
    let lines: Vec<String> = answers
        .iter()
        .map(|a| {
            let seconds = a.at.div_euclid(1000);
            format!(
                "*{}* by {}, <!date^{seconds}^{{date_short_pretty}} {{time}}|{}>",
                escape_mrkdwn(&a.decided),
                escape_mrkdwn(&a.by),
                minute(a.at)
            )
        })
        .collect();
    if !lines.is_empty() {
        out.truncate(MAX_BLOCKS - 1);
        out.push(context(&lines.join("\n")));
    }
    let latest = answers
        .first()
        .map(|a| format!(" ({} by {})", a.decided, a.by))
        .unwrap_or_default();
    Message {
        text: truncate(&format!("{text}{latest}"), MAX_TEXT),
        blocks: Value::Array(out),
    }
}

/// The comment on a tracking issue that logged a sighting found wrong:
/// `login` is what `answer` says; nobody is mentioned.
pub fn correction_comment(id: &str, login: &str, answer: &Answer, outcome: &str) -> String {
    format!(
        "**Corrected:** {} for {} by {} via {}, {}. {}\n\n{}",
        inline(&answer.decided, NAME_CHARS),
        inline(login, NAME_CHARS),
        inline(&answer.by, NAME_CHARS),
        answer.via,
        minute(answer.at),
        outcome,
        correction_marker(id)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn answer(decided: &str, by: &str, at: Millis) -> Answer {
        Answer {
            decided: decided.into(),
            by: by.into(),
            via: "Slack",
            at,
        }
    }

    #[test]
    fn the_answered_message_loses_its_buttons_and_says_who_decided_what() {
        let blocks = [
            json!({"type": "header", "text": {"type": "plain_text", "text": "Acme"}}),
            json!({"type": "actions", "elements": []}),
        ];
        let m = answered(
            &blocks,
            "jane from Acme opened an issue",
            &[
                answer("Marked not Acme Corporation", "@dana", 1_764_585_720_000),
                answer("Confirmed Acme Corporation", "@bob", 1_764_585_710_000),
            ],
        );
        let out = m.blocks.as_array().unwrap();
        assert_eq!(out.len(), 2);
        assert!(out.iter().all(|b| b["type"] != "actions"));
        let line = out[1]["elements"][0]["text"].as_str().unwrap();
        assert!(
            line.starts_with("*Marked not Acme Corporation* by @dana, <!date^1764585720^"),
            "{line}"
        );
        assert!(line.contains("|2025-12-01 10:42 UTC>"), "{line}");
        assert!(
            line.contains("\n*Confirmed Acme Corporation* by @bob"),
            "{line}"
        );
        assert!(m.text.ends_with("(Marked not Acme Corporation by @dana)"));
    }

    #[test]
    fn the_comment_mentions_nobody_and_carries_its_marker() {
        let text = correction_comment(
            "slack-T1-U1-1.2",
            "jane-dev",
            &answer("Marked not Acme Corporation", "@dana", 0),
            "The sighting no longer counts for Acme Corporation.",
        );
        assert!(!text.contains(" @dana"), "{text}");
        assert!(text.contains("<!-- orgradar:correction=slack-T1-U1-1.2 -->"));
        assert!(text.contains("1970-01-01 00:00 UTC"));
    }
}
