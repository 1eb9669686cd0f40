//! Checks the rules part of app.yml and builds [`Rules`]. Each mistake is
//! reported at the line and column of the value that is wrong.

use super::config::{Channel, RuleEntry};
use super::suggest::closest;
use super::template::{MAX_LABEL_CHARS, Template};
use super::{Digest, Rule, Rules, Schedule, glob};
use crate::config::{AppFile, ConfigError};
use crate::sighting::EventKind;
use serde_saphyr::{Location, Spanned};
use std::collections::BTreeMap;
use std::path::Path;

struct Checker<'a> {
    path: &'a Path,
}

impl Checker<'_> {
    fn at(&self, loc: Location, message: String) -> ConfigError {
        ConfigError::Invalid {
            path: self.path.to_path_buf(),
            line: loc.line(),
            column: loc.column(),
            message,
        }
    }

    fn channel_ref(
        &self,
        channels: &BTreeMap<String, Channel>,
        name: &Spanned<String>,
        whose: &str,
    ) -> Result<String, ConfigError> {
        let n = name.value.trim();
        if channels.contains_key(n) {
            return Ok(n.to_string());
        }
        let hint = closest(n, channels.keys().map(String::as_str))
            .map(|c| format!(" (did you mean `{c}`?)"))
            .unwrap_or_default();
        let defined = if channels.is_empty() {
            "none is defined yet".to_string()
        } else {
            format!(
                "defined: {}",
                channels.keys().cloned().collect::<Vec<_>>().join(", ")
            )
        };
        Err(self.at(
            name.referenced,
            format!(
                "{whose} names channel `{n}`, which `channels:` does not define{hint}; {defined}"
            ),
        ))
    }
}

pub(super) fn build(app: &AppFile, path: &Path) -> Result<Rules, ConfigError> {
    let c = Checker { path };
    for (name, channel) in &app.channels {
        check_channel(&c, name, channel)?;
    }
    let mut rules: Vec<Rule> = Vec::new();
    let mut seen: BTreeMap<String, u64> = BTreeMap::new();
    for entry in &app.rules {
        let rule = build_rule(&c, app, entry)?;
        let key = rule.name.to_lowercase();
        if let Some(line) = seen.get(&key) {
            return Err(c.at(
                entry.name.referenced,
                format!(
                    "two rules are named `{}` (the other is on line {line}): give each rule its own name",
                    rule.name
                ),
            ));
        }
        seen.insert(key, entry.name.referenced.line());
        rules.push(rule);
    }
    let review_channel = match &app.review_channel {
        Some(name) => Some(c.channel_ref(&app.channels, name, "review_channel")?),
        None => None,
    };
    let digest = match &app.digest {
        Some(d) => {
            if d.channels.value.is_empty() {
                return Err(c.at(
                    d.channels.referenced,
                    "digest.channels is empty: list the Slack channels the digest goes to, e.g. [marketing]".into(),
                ));
            }
            let mut channels = Vec::new();
            for name in &d.channels.value {
                let n = c.channel_ref(&app.channels, name, "digest.channels")?;
                if app.channels.get(&n).is_some_and(|ch| !ch.is_slack()) {
                    return Err(c.at(
                        name.referenced,
                        format!(
                            "digest.channels names `{n}`, a github_issue channel: digests go to Slack only; name a slack_webhook_env or slack_channel channel"
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
            let schedule =
                Schedule::new(&d.every.value, zone).map_err(|m| c.at(d.every.referenced, m))?;
            Some(Digest { channels, schedule })
        }
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
    if app.retention.0.is_zero() {
        return Err(ConfigError::File {
            path: path.to_path_buf(),
            message: "retention is 0: sightings would be purged as soon as they are stored; write a duration such as 180d".into(),
        });
    }
    let throttle = Some(app.throttle.window).filter(|w| !w.0.is_zero());
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
        labels: app.labels.clone(),
        rules,
        channels: app.channels.clone(),
    })
}

fn build_rule(c: &Checker<'_>, app: &AppFile, entry: &RuleEntry) -> Result<Rule, ConfigError> {
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
mod tests {
    use crate::config::{AppFile, ConfigError};
    use std::path::Path;

    fn parse(text: &str) -> Result<AppFile, ConfigError> {
        AppFile::parse(text, Path::new("app.yml"))
    }

    fn error(text: &str) -> String {
        match parse(text) {
            Ok(_) => panic!("accepted:\n{text}"),
            Err(e) => e.to_string(),
        }
    }

    const CHANNELS: &str = "channels:
  product: { slack_webhook_env: SLACK_PRODUCT_WEBHOOK }
  marketing: { slack_channel: \"#marketing\" }
  leads: { github_issue: { repo: acme/leads, per_account: true } }
";

    fn with_rules(rules: &str) -> String {
        format!("name: x\n{CHANNELS}rules:\n{rules}")
    }

    fn rule(body: &str) -> String {
        with_rules(&format!("  - name: a\n{body}"))
    }

    #[test]
    fn an_unknown_event_is_placed_and_the_closest_suggested() {
        assert_eq!(
            error(&rule(
                "    on: [fork, issues.open]\n    do: { notify: [product] }\n"
            )),
            "app.yml:8:16: rule `a` reacts to `issues.open`, which is no event orgradar knows (did you mean `issues.opened`?); use one of issues.opened, pull_request.opened, discussion.created, issue_comment.created, star.created, fork"
        );
    }

    #[test]
    fn empty_on_and_empty_do_are_refused() {
        assert_eq!(
            error(&rule("    on: []\n    do: { notify: [product] }\n")),
            "app.yml:8:9: rule `a` has an empty `on`: list the events it reacts to, e.g. [issues.opened, pull_request.opened]"
        );
        assert_eq!(
            error(&rule("    on: [fork]\n    do: {}\n")),
            "app.yml:9:9: rule `a` does nothing: give its `do` a `label` list, a `notify` list, or both"
        );
    }

    #[test]
    fn unknown_keys_are_placed() {
        assert_eq!(
            error(&rule(
                "    on: [fork]\n    do:\n      label: [x]\n      notfy: [x]\n"
            )),
            "app.yml:11:7: unknown field `notfy`, expected one of label, notify"
        );
        assert_eq!(
            error(&rule(
                "    on: [fork]\n    if: { tier: [x], acount: any }\n    do: { notify: [product] }\n"
            )),
            "app.yml:9:22: unknown field `acount`, expected one of tier, account, organization, bot, insider, first_time, confidence"
        );
        assert_eq!(
            error("name: x\nchannels:\n  a: { slack_hook: X }\n"),
            "app.yml:3:8: unknown variant `slack_hook`, expected one of slack_webhook_env, slack_channel, github_issue"
        );
        assert_eq!(
            error("name: x\nmode: shdow\n"),
            "app.yml:2:7: unknown variant `shdow`, expected one of live, shadow"
        );
    }

    #[test]
    fn a_channel_is_one_kind() {
        assert_eq!(
            error("name: x\nchannels:\n  a: { slack_channel: \"#x\", slack_webhook_env: X }\n"),
            "app.yml:3:29: a channel is exactly one of slack_webhook_env, slack_channel or github_issue"
        );
    }

    #[test]
    fn an_undefined_channel_lists_the_defined_ones() {
        assert_eq!(
            error(&rule(
                "    on: [fork]\n    do: { notify: [product, markting] }\n"
            )),
            "app.yml:9:29: rule `a` names channel `markting`, which `channels:` does not define (did you mean `marketing`?); defined: leads, marketing, product"
        );
        assert_eq!(
            error(&format!("name: x\n{CHANNELS}review_channel: review\n")),
            "app.yml:6:17: review_channel names channel `review`, which `channels:` does not define; defined: leads, marketing, product"
        );
    }

    #[test]
    fn duplicate_rule_names_are_refused() {
        let rules = "  - name: a\n    on: [fork]\n    do: { notify: [product] }\n  - name: A\n    on: [fork]\n    do: { notify: [leads] }\n";
        assert_eq!(
            error(&with_rules(rules)),
            "app.yml:10:11: two rules are named `A` (the other is on line 7): give each rule its own name"
        );
    }

    #[test]
    fn globs_templates_and_labels_are_checked() {
        assert_eq!(
            error(&rule(
                "    on: [fork]\n    repos: [acme]\n    do: { notify: [product] }\n"
            )),
            "app.yml:9:13: rule `a`: `acme` is not a repository glob: write `owner/name`, e.g. `acme/*` or `acme/sdk-*`"
        );
        assert_eq!(
            error(&rule(
                "    on: [fork]\n    do: { label: [\"account:{acount}\"] }\n"
            )),
            "app.yml:9:19: rule `a`: `account:{acount}` uses {acount}, which is no placeholder (did you mean {account}?): use {account}, {tier} or {organization}"
        );
        let long = format!("{}-{{tier}}", "x".repeat(51));
        assert_eq!(
            error(&rule(&format!(
                "    on: [fork]\n    do: {{ label: [\"{long}\"] }}\n"
            ))),
            format!(
                "app.yml:9:19: rule `a`: label `{long}` is longer than GitHub's 50 characters for a label name; shorten it"
            )
        );
        assert_eq!(
            error("name: x\nlabels:\n  enterprise: { color: \"#5319e7\" }\n"),
            "app.yml:3:24: label color `#5319e7` is not 6 hex digits: write it like \"5319e7\" (quoted, without `#`)"
        );
    }

    #[test]
    fn channels_are_checked() {
        assert_eq!(
            error("name: x\nchannels:\n  a: { slack_webhook_env: https://hooks.slack.com/x }\n"),
            "app.yml:3:27: channel `a`: `https://hooks.slack.com/x` is not an environment variable name: use capitals, digits and `_`, e.g. SLACK_PRODUCT_WEBHOOK (the webhook URL itself is a secret and goes in that variable, never in app.yml)"
        );
        assert_eq!(
            error("name: x\nchannels:\n  a: { slack_channel: marketing }\n"),
            "app.yml:3:23: channel `a`: `marketing` is not a Slack channel: write its name with `#` (quoted, \"#marketing\") or its id, e.g. C0123ABCD"
        );
        assert!(parse("name: x\nchannels:\n  a: { slack_channel: C0123ABCD }\n").is_ok());
        assert_eq!(
            error("name: x\nchannels:\n  a: { github_issue: { repo: leads } }\n"),
            "app.yml:3:30: channel `a`: `leads` is not a repository: write owner/name, e.g. acme/leads"
        );
    }

    #[test]
    fn the_digest_is_checked() {
        let digest = |d: &str| error(&format!("name: x\n{CHANNELS}digest: {d}\n"));
        assert_eq!(
            digest("{ channels: [leads], every: monday 09:00 }"),
            "app.yml:6:22: digest.channels names `leads`, a github_issue channel: digests go to Slack only; name a slack_webhook_env or slack_channel channel"
        );
        assert_eq!(
            digest("{ channels: [marketing], every: mondays 9am }"),
            "app.yml:6:41: `mondays 9am` is not a schedule: write a day and a 24-hour time, e.g. `monday 09:00`, or `day 09:00` for every day"
        );
        assert_eq!(
            digest("{ channels: [marketing], every: day 09:00, timezone: Berlin }"),
            "app.yml:6:62: `Berlin` is not a time zone orgradar knows: write an IANA name such as `Europe/Berlin`, `America/New_York` or `UTC`"
        );
    }
}
