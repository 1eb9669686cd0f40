//! Checks the rules part of app.yml and builds [`Rules`](crate::rules::Rules). Each mistake is
//! reported at the line and column of the value that is wrong.

use super::checker::Checker;
use super::{AppFile, ConfigError};
use crate::duration::Duration;
use crate::intent::Taxonomy;
use crate::rules::{
    AnyOf, Channel, Digest, DigestSettings, MAX_LABEL_CHARS, Rule, RuleEntry, Rules, Schedule,
    Template, closest, glob,
};
use crate::score::build_weights;
use crate::sighting::EventKind;
use serde_saphyr::Spanned;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

pub(super) fn build(app: &AppFile, path: &Path) -> Result<Rules, ConfigError> {
    let c = Checker { path };
    let intent = app.intent.taxonomy().map_err(|e| ConfigError::Invalid {
        path: path.to_path_buf(),
        line: e.line,
        column: e.column,
        message: e.message,
    })?;
    let scoring = build_weights(&app.scoring).map_err(|(at, m)| c.at(at, m))?;
    // Each channel's and each rule's mistakes are all reported at once.
    let mut problems = Vec::new();
    for (name, channel) in &app.channels {
        if let Err(e) = check_channel(&c, name, channel) {
            problems.push(e);
        }
    }
    let mut rules: Vec<Rule> = Vec::new();
    let mut seen: BTreeMap<String, u64> = BTreeMap::new();
    for entry in &app.rules {
        let rule = match build_rule(&c, app, entry, &intent) {
            Ok(rule) => rule,
            Err(e) => {
                problems.push(e);
                continue;
            }
        };
        let key = rule.name.to_lowercase();
        if let Some(line) = seen.get(&key) {
            problems.push(c.at(
                entry.name.referenced,
                format!(
                    "two rules are named `{}` (the other is on line {line}): give each rule its own name",
                    rule.name
                ),
            ));
            continue;
        }
        seen.insert(key, entry.name.referenced.line());
        rules.push(rule);
    }
    ConfigError::all(problems)?;
    let review_channel = match &app.review_channel {
        Some(name) => Some(c.channel_ref(&app.channels, name, "review_channel")?),
        None => None,
    };
    let digest = match &app.digest {
        Some(d) => Some(build_digest(&c, app, d, "digest")?),
        None => None,
    };
    let product_digest = match &app.product_digest {
        Some(d) => Some(build_digest(&c, app, d, "product_digest")?),
        None => None,
    };
    for (name, style) in &app.labels {
        let shown = Template::parse(name).map_or(name.chars().count(), |t| t.literal_chars());
        if shown > MAX_LABEL_CHARS {
            return Err(ConfigError::File {
                path: path.to_path_buf(),
                message: format!(
                    "labels: `{name}` is longer than GitHub's {MAX_LABEL_CHARS} characters for a label name; shorten it"
                ),
            });
        }
        if let Some(color) = &style.color {
            let hex = color.value.trim();
            if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(c.at(
                    color.referenced,
                    format!(
                        "label color `{hex}` is not 6 hex digits: write it like \"5319e7\" (quoted, without `#`)"
                    ),
                ));
            }
        }
    }
    let throttle = Some(app.throttle.window).filter(|w| !w.0.is_zero());
    // Deliveries and the actions taken for them must outlive GitHub's
    // redeliveries (3 days) and the throttle window, or work would be repeated.
    let floor = Duration::from_secs(7 * 24 * 3600).max(app.throttle.window);
    if app.retention < floor {
        return Err(ConfigError::File {
            path: path.to_path_buf(),
            message: format!(
                "retention ({}) must be at least {floor}: orgradar keeps deliveries and the actions it took for them at least as long as GitHub may redeliver one and the throttle window lasts; write e.g. 180d",
                app.retention
            ),
        });
    }
    Ok(Rules {
        mode: app.mode,
        review_channel,
        ignore: app
            .ignore
            .iter()
            .map(|l| l.trim().trim_start_matches('@').to_lowercase())
            .collect(),
        retention: app.retention,
        throttle,
        digest,
        product_digest,
        labels: app.labels.clone(),
        rules,
        channels: app.channels.clone(),
        intent: Arc::new(intent),
        scoring,
    })
}

fn build_rule(
    c: &Checker<'_>,
    app: &AppFile,
    entry: &RuleEntry,
    taxonomy: &Taxonomy,
) -> Result<Rule, ConfigError> {
    let name = entry.name.value.trim().to_string();
    if name.is_empty() {
        return Err(c.at(
            entry.name.referenced,
            "a rule's name is empty: name it for what it does, e.g. enterprise-activity".into(),
        ));
    }
    if entry.on.value.is_empty() {
        return Err(c.at(
            entry.on.referenced,
            format!(
                "rule `{name}` has an empty `on`: list the events it reacts to, e.g. [issues.opened, pull_request.opened]"
            ),
        ));
    }
    let mut on = Vec::new();
    for event in &entry.on.value {
        let text = event.value.trim();
        let Some(kind) = EventKind::parse(text) else {
            let names = EventKind::ALL.map(EventKind::as_str);
            let hint = closest(text, names)
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            return Err(c.at(
                event.referenced,
                format!(
                    "rule `{name}` reacts to `{text}`, which is no event orgradar knows{hint}; use one of {}",
                    names.join(", ")
                ),
            ));
        };
        if !on.contains(&kind) {
            on.push(kind);
        }
    }
    let mut repos = Vec::new();
    for pattern in &entry.repos {
        let p = pattern.value.trim();
        glob::check(p).map_err(|m| c.at(pattern.referenced, format!("rule `{name}`: {m}")))?;
        repos.push(p.to_string());
    }
    if let Some(min) = &entry.when.confidence
        && !(0.0..=1.0).contains(&min.value)
    {
        return Err(c.at(
            min.referenced,
            format!(
                "rule `{name}` asks for confidence {}, but confidence runs from 0 to 1: write e.g. 0.8",
                min.value
            ),
        ));
    }
    if let Some(min) = &entry.when.score
        && min.value > 100
    {
        return Err(c.at(
            min.referenced,
            format!(
                "rule `{name}` asks for score {}, but the lead score runs from 0 to 100: write e.g. 60",
                min.value
            ),
        ));
    }
    if let Some(Spanned {
        value: AnyOf::Of(topics),
        referenced,
        ..
    }) = &entry.when.intent
    {
        let known: Vec<&str> = taxonomy.topics().iter().map(|t| t.id.as_str()).collect();
        if topics.is_empty() {
            return Err(c.at(
                *referenced,
                format!(
                    "rule `{name}` has an empty `intent`: write `any` or list topics, e.g. [sso, commercial]"
                ),
            ));
        }
        for topic in topics {
            let t = topic.trim();
            if !known.contains(&t) {
                let hint = closest(t, known.iter().copied())
                    .map(|s| format!(" (did you mean `{s}`?)"))
                    .unwrap_or_default();
                return Err(c.at(
                    *referenced,
                    format!(
                        "rule `{name}` asks for intent `{t}`, which is no topic{hint}; the topics are {} (add one under intent.topics)",
                        known.join(", ")
                    ),
                ));
            }
        }
    }
    if let Some(previous) = &entry.when.previous_account {
        super::previous_account::check(c, &name, previous, &on)?;
    }
    let actions = &entry.actions.value;
    if actions.label.is_empty() && actions.notify.is_empty() {
        return Err(c.at(
            entry.actions.referenced,
            format!(
                "rule `{name}` does nothing: give its `do` a `label` list, a `notify` list, or both"
            ),
        ));
    }
    let mut labels = Vec::new();
    for label in &actions.label {
        let text = label.value.trim();
        let template = Template::parse(text)
            .map_err(|m| c.at(label.referenced, format!("rule `{name}`: {m}")))?;
        if text.is_empty() {
            return Err(c.at(
                label.referenced,
                format!("rule `{name}` has an empty label: write its name, e.g. enterprise"),
            ));
        }
        if template.literal_chars() > MAX_LABEL_CHARS {
            return Err(c.at(
                label.referenced,
                format!(
                    "rule `{name}`: label `{text}` is longer than GitHub's {MAX_LABEL_CHARS} characters for a label name; shorten it"
                ),
            ));
        }
        labels.push(template);
    }
    let mut notify = Vec::new();
    for channel in &actions.notify {
        let n = c.channel_ref(&app.channels, channel, &format!("rule `{name}`"))?;
        if !notify.contains(&n) {
            notify.push(n);
        }
    }
    Ok(Rule {
        name,
        on,
        repos,
        when: entry.when.clone(),
        labels,
        notify,
        stop: entry.stop,
    })
}

/// `digest:` or `product_digest:` (`key`), validated.
fn build_digest(
    c: &Checker<'_>,
    app: &AppFile,
    d: &DigestSettings,
    key: &str,
) -> Result<Digest, ConfigError> {
    if d.channels.value.is_empty() {
        return Err(c.at(
            d.channels.referenced,
            format!("{key}.channels is empty: list the Slack channels the digest goes to, e.g. [marketing]"),
        ));
    }
    let mut channels = Vec::new();
    for name in &d.channels.value {
        let n = c.channel_ref(&app.channels, name, &format!("{key}.channels"))?;
        if app.channels.get(&n).is_some_and(|ch| !ch.is_slack()) {
            return Err(c.at(
                name.referenced,
                format!(
                    "{key}.channels names `{n}`, a github_issue channel: digests go to Slack only; name a slack_webhook_env or slack_channel channel"
                ),
            ));
        }
        if !channels.contains(&n) {
            channels.push(n);
        }
    }
    Schedule::parse_every(&d.every.value).map_err(|m| c.at(d.every.referenced, m))?;
    let zone = d.timezone.as_ref().map_or("UTC", |z| z.value.trim());
    if let Some(z) = &d.timezone {
        Schedule::parse_zone(zone).map_err(|m| c.at(z.referenced, m))?;
    }
    let schedule = Schedule::new(&d.every.value, zone).map_err(|m| c.at(d.every.referenced, m))?;
    Ok(Digest { channels, schedule })
}

fn check_channel(c: &Checker<'_>, name: &str, channel: &Channel) -> Result<(), ConfigError> {
    match channel {
        Channel::SlackWebhookEnv(var) => {
            let v = var.value.trim();
            let mut bytes = v.bytes();
            let valid = bytes
                .next()
                .is_some_and(|b| b.is_ascii_uppercase() || b == b'_')
                && bytes.all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
            if !valid {
                return Err(c.at(
                    var.referenced,
                    format!(
                        "channel `{name}`: `{v}` is not an environment variable name: use capitals, digits and `_`, e.g. SLACK_PRODUCT_WEBHOOK (the webhook URL itself is a secret and goes in that variable, never in app.yml)"
                    ),
                ));
            }
        }
        Channel::SlackChannel(slack) => {
            let s = slack.value.trim();
            let is_name = s.len() > 1 && s.starts_with('#') && !s.contains(char::is_whitespace);
            let is_id = s.len() >= 9
                && s.starts_with(['C', 'G'])
                && s.bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
            if !(is_name || is_id) {
                return Err(c.at(
                    slack.referenced,
                    format!(
                        "channel `{name}`: `{s}` is not a Slack channel: write its name with `#` (quoted, \"#marketing\") or its id, e.g. C0123ABCD"
                    ),
                ));
            }
        }
        Channel::GithubIssue(issue) => {
            let r = issue.repo.value.trim();
            let ok = r.split_once('/').is_some_and(|(owner, repo)| {
                !owner.is_empty()
                    && owner
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-')
                    && !repo.is_empty()
                    && repo
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
            });
            if !ok {
                return Err(c.at(
                    issue.repo.referenced,
                    format!(
                        "channel `{name}`: `{r}` is not a repository: write owner/name, e.g. acme/leads"
                    ),
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
#[path = "rules_tests.rs"]
mod tests;
