//! The issues and comments orgradar writes in the private leads repository,
//! in GitHub Markdown. Hidden markers let orgradar find them again; user text
//! can neither mention anyone, break the Markdown, nor forge a marker.

use super::markdown::{code_block, inline, link, title};
use super::text::{percent, truncate};
use crate::intent::Taxonomy;
use crate::sighting::Sighting;

/// Characters of an issue title GitHub accepts.
pub const MAX_TITLE: usize = 256;
/// Characters of an issue or comment body kept (GitHub's limit is 65,536).
pub const MAX_BODY: usize = 60_000;
/// Characters of the item's body quoted.
const BODY_CHARS: usize = 2000;

/// `<!-- orgradar:account=KEY -->`: marks the tracking issue of an account.
pub fn account_marker(key: &str) -> String {
    format!("<!-- orgradar:account={} -->", marker_value(key))
}

/// `<!-- orgradar:delivery=ID -->`: marks what one sighting wrote.
pub fn delivery_marker(id: &str) -> String {
    format!("<!-- orgradar:delivery={} -->", marker_value(id))
}

/// A value that cannot end the comment early: no `>`, `<`, line breaks or `--`.
fn marker_value(value: &str) -> String {
    let mut out: String = value
        .chars()
        .filter(|c| !matches!(c, '<' | '>' | '!') && !c.is_control() && !c.is_whitespace())
        .collect();
    while out.contains("--") {
        out = out.replace("--", "-");
    }
    out.trim_end_matches('-').to_string()
}

/// The tracking issue of the sighting's account (one per
/// [`Sighting::group_key`]): its title and body.
pub fn tracking_issue(sighting: &Sighting) -> (String, String) {
    let key = sighting.group_key();
    let heading = match (&sighting.account, &sighting.tier) {
        (Some(_), Some(tier)) => format!("{} ({tier})", sighting.group_name()),
        (Some(_), None) => sighting.group_name().to_string(),
        (None, _) if sighting.organization.is_some() => {
            format!("{} (not a target account)", sighting.group_name())
        }
        (None, _) => format!("{} (no organization found)", sighting.group_name()),
    };
    let mut body = format!(
        "{}\n\nPeople from **{}** seen in the project's repositories. orgradar adds one comment per sighting.\n\n",
        account_marker(&key),
        inline(sighting.group_name(), 200)
    );
    if let Some(account) = &sighting.account {
        body.push_str(&format!("- Target account: `{}`\n", code_span(account)));
    }
    if let Some(tier) = &sighting.tier {
        body.push_str(&format!("- Tier: {}\n", inline(tier, 100)));
    }
    if let Some(organization) = &sighting.organization {
        body.push_str(&format!("- Organization: {}\n", inline(organization, 200)));
    }
    body.push_str(&format!(
        "- First seen: {}\n",
        crate::time::rfc3339(sighting.at)
    ));
    (title(&heading, MAX_TITLE), truncate(&body, MAX_BODY))
}

/// The comment one sighting adds to its account's tracking issue.
pub fn sighting_comment(sighting: &Sighting, taxonomy: &Taxonomy) -> String {
    let body = format!(
        "{}\n{}",
        delivery_marker(&sighting.delivery_id),
        details(sighting, taxonomy)
    );
    truncate(&body, MAX_BODY)
}

/// A standalone issue for one sighting (when sightings are not grouped per account).
pub fn sighting_issue(sighting: &Sighting, taxonomy: &Taxonomy) -> (String, String) {
    let heading = format!(
        "{} ({}) {} {}",
        sighting.login,
        sighting.group_name(),
        sighting.event.verb_phrase(),
        sighting.repository
    );
    let heading = if let Some(moved) = super::moved_text::issue_heading(sighting) {
        moved
    } else if sighting.who_for().is_none() {
        format!(
            "{} {} {}",
            sighting.login,
            sighting.event.verb_phrase(),
            sighting.repository
        )
    } else {
        heading
    };
    let body = format!(
        "{}\n{}",
        delivery_marker(&sighting.delivery_id),
        details(sighting, taxonomy)
    );
    (title(&heading, MAX_TITLE), truncate(&body, MAX_BODY))
}

/// Who did what, where, on what evidence, how sure and when.
fn details(s: &Sighting, taxonomy: &Taxonomy) -> String {
    let who = link(&s.profile_url(), &format!("**{}**", inline(&s.login, 100)));
    let from = s
        .who_for()
        .map(|w| format!(" from **{}**", inline(w, 200)))
        .unwrap_or_default();
    let private = if s.repository_private {
        " (private)"
    } else {
        ""
    };
    let what = match &s.item {
        Some(item) => format!(
            "{} **{}**{private}: {}",
            s.event.verb_phrase(),
            inline(&s.repository, 200),
            link(
                &s.url,
                &format!("#{} {}", item.number, inline(&item.title, 200))
            )
        ),
        None => format!(
            "{} {}{private}",
            s.event.verb_phrase(),
            link(&s.url, &format!("**{}**", inline(&s.repository, 200)))
        ),
    };
    let mut out = match super::moved_text::markdown_line(s) {
        Some(moved) => format!("{moved}\n\n"),
        None => format!("{who}{from} {what}\n\n"),
    };
    if let Some(body) = s.item.as_ref().and_then(|i| i.body.as_deref())
        && !body.trim().is_empty()
    {
        out.push_str(&code_block(&truncate(body.trim(), BODY_CHARS)));
        out.push_str("\n\n");
    }
    if let Some(asks) = s.asks_about(taxonomy) {
        out.push_str(&format!("- Asks about: {}\n", inline(&asks, 1000)));
    }
    out.push_str(&format!(
        "- Evidence: {}\n- Confidence: {}\n- When: {}\n- Event: `{}` · delivery `{}`\n",
        inline(&s.evidence, 1000),
        percent(s.confidence),
        crate::time::rfc3339(s.at),
        s.event.as_str(),
        code_span(&s.delivery_id)
    ));
    out
}

/// Text for inside single backticks: no backticks, one line.
fn code_span(text: &str) -> String {
    truncate(&super::text::one_line(text), 200).replace('`', "'")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_cannot_be_closed_early() {
        assert_eq!(
            account_marker("account:acme"),
            "<!-- orgradar:account=account:acme -->"
        );
        assert_eq!(
            delivery_marker("x --> <b>hi</b> ---"),
            "<!-- orgradar:delivery=x-bhi/b -->"
        );
    }
}
