//! Slack Block Kit messages: the notice of one sighting and the digest of a
//! period. Pure: no I/O. User text is escaped (`&`, `<`, `>`) so it can
//! neither mention nor link, and every text stays within Slack's limits.

use super::blocks::{MAX_BLOCKS, MAX_TEXT, context, header, link, section};
use super::buttons::actions_block;
use super::digest::{Digest, DigestAccount};
use super::text::{count, escape_mrkdwn, mrkdwn, percent, plural_noun, truncate};
use crate::intent::Taxonomy;
use crate::sighting::Sighting;
use crate::time::Millis;
use serde::Serialize;
use serde_json::Value;

/// Characters of a title shown.
pub const TITLE_CHARS: usize = 200;
/// Characters of a body excerpt shown.
pub const BODY_CHARS: usize = 500;
/// Lines of a body excerpt shown.
pub const BODY_LINES: usize = 6;
/// Characters of an evidence line shown.
const EVIDENCE_CHARS: usize = 1000;
/// Characters of a name shown.
const NAME_CHARS: usize = 100;

/// A message to post: the plain fallback and the blocks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Message {
    /// Shown in notifications and by clients without blocks.
    pub text: String,
    /// A JSON array of blocks.
    pub blocks: Value,
}

impl Message {
    /// The text of the blocks, one block a paragraph, for a terminal.
    pub fn readable(&self) -> String {
        let texts = self
            .blocks
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|b| {
                b["text"]["text"].as_str().map(str::to_string).or_else(|| {
                    let parts: Vec<&str> = b["elements"]
                        .as_array()?
                        .iter()
                        .filter_map(|e| e["text"].as_str())
                        .collect();
                    Some(parts.join(" "))
                })
            });
        texts.collect::<Vec<_>>().join("\n\n")
    }
}

/// What live mode would have done, for a notice posted in shadow mode.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShadowNote {
    pub labels: Vec<String>,
    pub channels: Vec<String>,
}

/// The notice of one sighting; `taxonomy` names the topics it asks about.
/// With `buttons`, it ends with the Confirm / Not … / Ignore … buttons
/// (when Slack's signing secret is configured, so that a click is heard).
pub fn notice(
    sighting: &Sighting,
    shadow: Option<&ShadowNote>,
    taxonomy: &Taxonomy,
    buttons: bool,
) -> Message {
    let mut out = Vec::new();
    if let Some(note) = shadow {
        out.push(section(&shadow_line(note)));
    }
    out.push(header(&headline(sighting)));
    out.push(section(&what_happened(sighting)));
    if let Some(asks) = sighting.asks_about(taxonomy) {
        out.push(section(&format!(
            "*Asks about:* {}",
            mrkdwn(&asks, EVIDENCE_CHARS)
        )));
    }
    if let Some(excerpt) = body_excerpt(sighting) {
        out.push(section(&excerpt));
    }
    out.push(section(&format!(
        "*Evidence:* {}\n*Confidence:* {}",
        mrkdwn(&sighting.evidence, EVIDENCE_CHARS),
        percent(sighting.confidence)
    )));
    out.push(context(&format!(
        "{} · {} · delivery `{}`",
        escape_mrkdwn(sighting.event.as_str()),
        crate::time::rfc3339(sighting.at),
        mrkdwn(&sighting.delivery_id, NAME_CHARS)
    )));
    if let Some(actions) = buttons.then(|| actions_block(sighting)).flatten() {
        out.push(actions);
    }
    let mut text = String::new();
    if shadow.is_some() {
        text.push_str("[shadow] ");
    }
    text.push_str(&fallback(sighting));
    Message {
        text: truncate(&text, MAX_TEXT),
        blocks: Value::Array(out),
    }
}

/// `Acme Corporation (enterprise)`, the organization, or the login.
fn headline(s: &Sighting) -> String {
    let name = truncate(s.group_name(), NAME_CHARS);
    match (&s.account, &s.tier) {
        (Some(_), Some(tier)) => format!("{name} ({})", truncate(tier, 30)),
        (Some(_), None) => name,
        (None, _) if s.organization.is_some() => format!("{name} (not a target account)"),
        (None, _) => format!("{name} (no organization found)"),
    }
}

fn who(s: &Sighting) -> String {
    link(
        &s.profile_url(),
        &format!("*{}*", mrkdwn(&s.login, NAME_CHARS)),
    )
}

fn for_whom(s: &Sighting) -> String {
    match s.who_for() {
        Some(name) => {
            let tier = match (&s.account, &s.tier) {
                (Some(_), Some(t)) => format!(" ({})", mrkdwn(t, 30)),
                _ => String::new(),
            };
            format!(" from *{}*{tier}", mrkdwn(name, NAME_CHARS))
        }
        None => String::new(),
    }
}

/// `<profile|*alice*> from *Acme* (enterprise) opened an issue in *acme/widgets*: <url|#12 Title>`
fn what_happened(s: &Sighting) -> String {
    if let Some(moved) = super::moved_text::slack_line(s) {
        return moved;
    }
    let repo = mrkdwn(&s.repository, NAME_CHARS);
    let private = if s.repository_private {
        " (private)"
    } else {
        ""
    };
    match &s.item {
        Some(item) => format!(
            "{}{} {} *{repo}*{private}: {}",
            who(s),
            for_whom(s),
            s.event.verb_phrase(),
            link(
                &s.url,
                &format!("#{} {}", item.number, mrkdwn(&item.title, TITLE_CHARS))
            )
        ),
        None => format!(
            "{}{} {} {}{private}",
            who(s),
            for_whom(s),
            s.event.verb_phrase(),
            link(&s.url, &format!("*{repo}*"))
        ),
    }
}

/// The first lines of the body, quoted.
fn body_excerpt(s: &Sighting) -> Option<String> {
    let body = s.item.as_ref()?.body.as_deref()?.trim();
    if body.is_empty() {
        return None;
    }
    let mut lines: Vec<&str> = body
        .lines()
        .map(str::trim_end)
        .filter(|l| !l.trim().is_empty())
        .collect();
    let more = lines.len() > BODY_LINES;
    lines.truncate(BODY_LINES);
    let mut excerpt = truncate(&lines.join("\n"), BODY_CHARS);
    if more && !excerpt.ends_with(super::text::ELLIPSIS) {
        excerpt.push(super::text::ELLIPSIS);
    }
    Some(
        excerpt
            .lines()
            .map(|l| format!(">{}", escape_mrkdwn(l)))
            .collect::<Vec<_>>()
            .join("\n"),
    )
}

fn shadow_line(note: &ShadowNote) -> String {
    let labels = note
        .labels
        .iter()
        .map(|l| format!("`{}`", mrkdwn(l, NAME_CHARS)))
        .collect::<Vec<_>>();
    let channels = note
        .channels
        .iter()
        .map(|c| mrkdwn(&format!("#{}", c.trim_start_matches('#')), NAME_CHARS))
        .collect::<Vec<_>>();
    let would = match (labels.is_empty(), channels.is_empty()) {
        (true, true) => "would do nothing more".to_string(),
        (false, true) => format!("would label {}", and_list(&labels)),
        (true, false) => format!("would notify {}", and_list(&channels)),
        (false, false) => format!(
            "would label {} and notify {}",
            and_list(&labels),
            and_list(&channels)
        ),
    };
    format!(":ghost: *Shadow mode* — nothing was posted publicly; live mode {would}.")
}

/// `a`, `a and b`, `a, b and c`.
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

fn fallback(s: &Sighting) -> String {
    if let Some(moved) = super::moved_text::slack_fallback(s) {
        return moved;
    }
    let what = match &s.item {
        Some(item) => format!(
            "{} {}: #{} {}",
            s.event.verb_phrase(),
            s.repository,
            item.number,
            truncate(&super::text::one_line(&item.title), TITLE_CHARS)
        ),
        None => format!("{} {}", s.event.verb_phrase(), s.repository),
    };
    let from = s
        .who_for()
        .map(|w| format!(" ({})", truncate(w, NAME_CHARS)))
        .unwrap_or_default();
    escape_mrkdwn(&format!("{}{from} {what}", truncate(&s.login, NAME_CHARS)))
}

/// A message of one plain line (an empty digest).
pub(super) fn one_line(text: String) -> Message {
    Message {
        blocks: Value::Array(vec![section(&escape_mrkdwn(&text))]),
        text,
    }
}

/// The digest of a period; an empty digest says so in one line.
pub fn digest(d: &Digest) -> Message {
    let period = period(d.from, d.to, &d.timezone);
    let title = format!("orgradar digest: {period}");
    if d.accounts.is_empty() {
        return one_line(format!("No sightings this period ({period})."));
    }
    let mut out = vec![
        header(&title),
        context(&format!(
            "{} from {} · {} · dates in {}",
            count(d.total(), "sighting", "sightings"),
            count(d.accounts.len() as u64, "account", "accounts"),
            mrkdwn(
                &format!("#{}", d.channel.trim_start_matches('#')),
                NAME_CHARS
            ),
            mrkdwn(zone_name(&d.timezone), NAME_CHARS)
        )),
    ];
    let room = MAX_BLOCKS - out.len();
    let shown = if d.accounts.len() <= room {
        d.accounts.len()
    } else {
        room - 1
    };
    for account in &d.accounts[..shown] {
        out.push(section(&account_block(account)));
    }
    let hidden = d.accounts.len() - shown;
    if hidden > 0 {
        out.push(section(&format!(
            "_and {}_",
            count(hidden as u64, "more account", "more accounts")
        )));
    }
    let text = format!(
        "{title}: {} from {}",
        count(d.total(), "sighting", "sightings"),
        count(d.accounts.len() as u64, "account", "accounts")
    );
    Message {
        text: truncate(&escape_mrkdwn(&text), MAX_TEXT),
        blocks: Value::Array(out),
    }
}

/// `*Acme* (enterprise): 3 issues, 1 pull request in 2 repositories by 2 people`, then links.
fn account_block(a: &DigestAccount) -> String {
    let tier = a
        .tier
        .as_deref()
        .map(|t| format!(" ({})", mrkdwn(t, 30)))
        .unwrap_or_default();
    let counts = a
        .counts
        .iter()
        .map(|(kind, n)| count(*n, kind.noun(), &plural_noun(kind.noun())))
        .collect::<Vec<_>>()
        .join(", ");
    let mut text = format!(
        "*{}*{tier}: {counts} in {} by {}",
        mrkdwn(&a.name, NAME_CHARS),
        count(a.repositories, "repository", "repositories"),
        count(a.people, "person", "people"),
    );
    for (label, url) in &a.links {
        text.push_str(&format!("\n• {}", link(url, &mrkdwn(label, 150))));
    }
    text
}

/// The time zone the dates are shown in: `timezone` if known, else `UTC`.
fn zone_name(timezone: &str) -> &str {
    if jiff::tz::TimeZone::get(timezone).is_ok() {
        timezone
    } else {
        "UTC"
    }
}

/// `2026-11-23 – 2026-11-30`: the dates of `from` and `to` in `timezone`
/// (UTC when unknown).
pub fn period(from: Millis, to: Millis, timezone: &str) -> String {
    let tz = jiff::tz::TimeZone::get(timezone).unwrap_or(jiff::tz::TimeZone::UTC);
    let date = |ms: Millis| match jiff::Timestamp::from_millisecond(ms) {
        Ok(ts) => ts.to_zoned_datetime(tz.clone()).date().to_string(),
        Err(_) => crate::time::rfc3339(ms).chars().take(10).collect(),
    };
    format!("{} – {}", date(from), date(to))
}
