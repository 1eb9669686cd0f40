//! The texts of a job change (an `affiliation.changed` sighting): "jane-dev
//! moved from Globex Corporation to Acme Corporation (at Globex Corporation
//! from 2025-03 to 2026-10)", then where they were seen, as a Slack line and
//! as GitHub Markdown. Pure.

use super::blocks;
use super::markdown::{self, inline};
use super::text::{escape_mrkdwn, mrkdwn, one_line, truncate};
use crate::people::Tenure;
use crate::sighting::Sighting;
use crate::time::{Millis, rfc3339};

/// Characters of a name shown.
const NAME_CHARS: usize = 100;
/// Characters of a title shown.
const TITLE_CHARS: usize = 200;

/// `2026-10`: the month (UTC) of `at`.
fn month(at: Millis) -> String {
    rfc3339(at).chars().take(7).collect()
}

/// `from 2025-03 to 2026-10`, or `in 2026-10` within one month.
fn months(t: &Tenure) -> String {
    let (first, last) = (month(t.first_at), month(t.last_at));
    if first == last {
        format!("in {first}")
    } else {
        format!("from {first} to {last}")
    }
}

/// Where the person was before, and where they are now; `None` unless the
/// sighting is a job change.
fn names(s: &Sighting) -> Option<(&Tenure, &str)> {
    Some((s.moved_from.as_ref()?, s.group_name()))
}

/// "jane-dev moved from Globex Corporation to Acme Corporation (at Globex
/// Corporation from 2025-03 to 2026-10)", plain.
pub fn moved_sentence(s: &Sighting) -> Option<String> {
    let (from, to) = names(s)?;
    let (was, now) = (truncate(&from.name, NAME_CHARS), truncate(to, NAME_CHARS));
    Some(format!(
        "{} moved from {was} to {now} (at {was} {})",
        truncate(&s.login, NAME_CHARS),
        months(from)
    ))
}

/// The Slack fallback text: the sentence, escaped.
pub fn slack_fallback(s: &Sighting) -> Option<String> {
    moved_sentence(s).map(|t| escape_mrkdwn(&t))
}

/// The Slack line of a job change: the sentence with the person linked and
/// the organizations in bold, then where they were seen.
pub fn slack_line(s: &Sighting) -> Option<String> {
    let (from, to) = names(s)?;
    let person = blocks::link(
        &s.profile_url(),
        &format!("*{}*", mrkdwn(&s.login, NAME_CHARS)),
    );
    let was = mrkdwn(&from.name, NAME_CHARS);
    let repo = mrkdwn(&s.repository, NAME_CHARS);
    let private = if s.repository_private {
        " (private)"
    } else {
        ""
    };
    let seen = match &s.item {
        Some(item) => format!(
            "*{repo}*{private}: {}",
            blocks::link(
                &s.url,
                &format!("#{} {}", item.number, mrkdwn(&item.title, TITLE_CHARS))
            )
        ),
        None => format!("{}{private}", blocks::link(&s.url, &format!("*{repo}*"))),
    };
    Some(format!(
        "{person} moved from *{was}* to *{}* (at {was} {})\nSeen in {seen}",
        mrkdwn(to, NAME_CHARS),
        months(from)
    ))
}

/// The Markdown of a job change, for a tracking issue's comment or a
/// standalone issue: the sentence, then where they were seen.
pub fn markdown_line(s: &Sighting) -> Option<String> {
    let (from, to) = names(s)?;
    let person = markdown::link(&s.profile_url(), &format!("**{}**", inline(&s.login, 100)));
    let was = inline(&from.name, 200);
    let private = if s.repository_private {
        " (private)"
    } else {
        ""
    };
    let repo = inline(&s.repository, 200);
    let seen = match &s.item {
        Some(item) => format!(
            "**{repo}**{private}: {}",
            markdown::link(
                &s.url,
                &format!("#{} {}", item.number, inline(&item.title, 200))
            )
        ),
        None => format!(
            "{}{private}",
            markdown::link(&s.url, &format!("**{repo}**"))
        ),
    };
    Some(format!(
        "{person} moved from **{was}** to **{}** (at {was} {})\n\nSeen in {seen}",
        inline(to, 200),
        months(from)
    ))
}

/// The title of a standalone issue about a job change.
pub fn issue_heading(s: &Sighting) -> Option<String> {
    let (from, to) = names(s)?;
    Some(one_line(&format!(
        "{} moved from {} to {to}",
        s.login, from.name
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sighting::{EventKind, SightedItem};

    const DAY: Millis = 86_400_000;
    /// 2025-03-10 and 2026-10-20, UTC.
    const MARCH_2025: Millis = 20_157 * DAY;
    const OCTOBER_2026: Millis = 20_746 * DAY;

    fn change() -> Sighting {
        Sighting {
            delivery_id: "d2:moved".into(),
            at: OCTOBER_2026 + 30 * DAY,
            event: EventKind::AffiliationChanged,
            repository: "acme/widgets".into(),
            repository_private: false,
            item: Some(SightedItem {
                number: 12,
                title: "SSO <login>".into(),
                body: None,
            }),
            url: "https://github.com/acme/widgets/issues/12".into(),
            login: "jane-dev".into(),
            account: Some("acme".into()),
            account_name: Some("Acme Corporation".into()),
            organization: Some("Acme".into()),
            tier: Some("enterprise".into()),
            confidence: 0.9,
            evidence: "company field \"Acme\"".into(),
            intent: Vec::new(),
            signal: None,
            rules: Vec::new(),
            moved_from: Some(Tenure {
                key: "account:globex".into(),
                name: "Globex Corporation".into(),
                account: Some("globex".into()),
                first_at: MARCH_2025,
                last_at: OCTOBER_2026,
            }),
        }
    }

    #[test]
    fn the_sentence_names_both_organizations_and_the_months_at_the_first() {
        assert_eq!(month(MARCH_2025), "2025-03");
        assert_eq!(month(OCTOBER_2026), "2026-10");
        assert_eq!(
            moved_sentence(&change()).unwrap(),
            "jane-dev moved from Globex Corporation to Acme Corporation (at Globex Corporation from 2025-03 to 2026-10)"
        );
        let mut brief = change();
        if let Some(t) = brief.moved_from.as_mut() {
            t.first_at = OCTOBER_2026 - DAY;
        }
        assert!(
            moved_sentence(&brief)
                .unwrap()
                .ends_with("(at Globex Corporation in 2026-10)")
        );
    }

    #[test]
    fn the_slack_and_markdown_lines_link_the_person_and_the_item_and_escape_titles() {
        let slack = slack_line(&change()).unwrap();
        assert_eq!(
            slack,
            "<https://github.com/jane-dev|*jane-dev*> moved from *Globex Corporation* to *Acme Corporation* (at Globex Corporation from 2025-03 to 2026-10)\nSeen in *acme/widgets*: <https://github.com/acme/widgets/issues/12|#12 SSO &lt;login&gt;>"
        );
        let md = markdown_line(&change()).unwrap();
        assert!(
            md.starts_with("[**jane-dev**](https://github.com/jane-dev) moved from **Globex Corporation** to **Acme Corporation** (at Globex Corporation from 2025-03 to 2026-10)"),
            "{md}"
        );
        assert!(
            md.contains("https://github.com/acme/widgets/issues/12"),
            "{md}"
        );
        assert!(!md.contains("<login>"), "{md}");
    }

    #[test]
    fn the_slack_notice_and_the_tracking_comment_of_a_job_change() {
        let taxonomy = crate::intent::Taxonomy::default();
        let notice = super::super::notice(&change(), None, &taxonomy, false);
        insta::assert_json_snapshot!("moved_notice", notice);
        let comment = super::super::sighting_comment(&change(), &taxonomy);
        insta::assert_snapshot!("moved_comment", comment);
        let (title, _) = super::super::sighting_issue(&change(), &taxonomy);
        assert_eq!(
            title,
            "jane-dev moved from Globex Corporation to Acme Corporation"
        );
    }

    #[test]
    fn a_sighting_that_is_no_job_change_has_no_such_text() {
        let mut s = change();
        s.moved_from = None;
        s.event = EventKind::IssueOpened;
        assert!(moved_sentence(&s).is_none());
        assert!(slack_line(&s).is_none());
        assert!(markdown_line(&s).is_none());
        assert!(issue_heading(&s).is_none());
    }
}
