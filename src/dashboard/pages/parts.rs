//! Small pieces of markup the dashboard pages share.

use super::dates::{ago, day};
use crate::dashboard::model::{EventCounts, Filter};
use crate::sighting::EventKind;
use crate::time::{Millis, rfc3339};
use maud::{Markup, html};

/// A date as `YYYY-MM-DD`, with how long ago it was as a tooltip.
pub fn date(now: Millis, ms: Millis) -> Markup {
    html! {
        time datetime=(rfc3339(ms)) title=(ago(now, ms)) { (day(ms)) }
    }
}

/// A tier as a badge, or nothing.
pub fn tier(tier: Option<&str>) -> Markup {
    html! {
        @if let Some(tier) = tier {
            span.tier { (tier) }
        }
    }
}

/// The figures of a page, as cards: `(label, value)`.
pub fn figures(items: &[(&str, Markup)]) -> Markup {
    html! {
        dl.figures {
            @for (label, value) in items {
                div {
                    dt { (label) }
                    dd { (value) }
                }
            }
        }
    }
}

/// `The last 30 days (2026-02-02 to 2026-03-03, UTC), stars only, tier
/// enterprise, in acme/widgets.`
pub fn period_sentence(days: u32, filter: &Filter) -> String {
    let mut text = format!(
        "The last {days} days ({} to {}, UTC)",
        day(filter.from),
        day(filter.to.saturating_sub(1).max(filter.from))
    );
    if let Some(event) = filter.event {
        text.push_str(&format!(", {} only", plural_noun(event)));
    }
    if let Some(tier) = &filter.tier {
        text.push_str(&format!(", tier {tier}"));
    }
    if let Some(repository) = &filter.repository {
        text.push_str(&format!(", in {repository}"));
    }
    text.push('.');
    text
}

/// `issues`, `pull requests`...
pub fn plural_noun(kind: EventKind) -> String {
    format!("{}s", kind.noun())
}

/// `Issues`, `Pull requests`...: an event kind as a label.
pub fn kind_label(kind: EventKind) -> String {
    let noun = plural_noun(kind);
    let mut chars = noun.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => noun,
    }
}

/// `3 issues, 1 pull request and 2 stars`: the kinds seen, in words.
pub fn counts_sentence(counts: &EventCounts) -> String {
    let parts: Vec<String> = EventKind::SEEN
        .into_iter()
        .map(|kind| (kind, counts.get(kind)))
        .filter(|&(_, n)| n > 0)
        .map(|(kind, n)| {
            if n == 1 {
                format!("1 {}", kind.noun())
            } else {
                format!("{n} {}", plural_noun(kind))
            }
        })
        .collect();
    match parts.split_last() {
        None => "No sightings".to_string(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

/// The sightings of one kind.
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_in_words() {
        let mut counts = EventCounts::default();
        assert_eq!(counts_sentence(&counts), "No sightings");
        counts.add(EventKind::StarCreated, 1);
        assert_eq!(counts_sentence(&counts), "1 star");
        counts.add(EventKind::IssueOpened, 3);
        counts.add(EventKind::PullRequestOpened, 2);
        assert_eq!(
            counts_sentence(&counts),
            "3 issues, 2 pull requests and 1 star"
        );
    }

    #[test]
    fn labels_kinds() {
        let labels: Vec<String> = EventKind::SEEN.into_iter().map(kind_label).collect();
        assert_eq!(
            labels,
            [
                "Issues",
                "Pull requests",
                "Discussions",
                "Comments",
                "Stars",
                "Forks"
            ]
        );
    }
}
