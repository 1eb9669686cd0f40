//! What `orgradar check` points out about valid rules that will not work
//! the way they read.

use super::{Channel, Mode, Rules};
use crate::sighting::EventKind;
use std::collections::BTreeSet;

/// What is missing for orgradar to act at all: with no rules, or no
/// target accounts (`accounts` of them), it classifies people and stops there.
pub fn reach(rules: &Rules, accounts: usize) -> Vec<String> {
    let mut out = Vec::new();
    if rules.rules.is_empty() {
        out.push(
            "app.yml has no rules: orgradar will classify people but never label or notify anyone; add `rules:` (the example in the shipped app.yml shows how)".to_string(),
        );
    }
    if accounts == 0 {
        let asks = rules
            .rules
            .iter()
            .filter(|r| r.when.account.is_some() || r.when.tier.is_some())
            .map(|r| format!("`{}`", r.name))
            .collect::<Vec<_>>();
        let consequence = if rules.rules.is_empty() || asks.len() == rules.rules.len() {
            "orgradar will classify people but never label or notify anyone".to_string()
        } else if asks.is_empty() {
            "orgradar will classify people but recognize none of your target accounts".to_string()
        } else {
            format!(
                "orgradar will classify people but rules {} never match",
                asks.join(", ")
            )
        };
        out.push(format!(
            "app.yml has no target accounts: {consequence}; add `accounts:` (or a CRM export as `accounts_file:`)"
        ));
    }
    out
}

/// The warnings, given the environment and the tiers the target accounts use.
pub fn warnings(
    rules: &Rules,
    env: impl Fn(&str) -> Option<String>,
    tiers: &BTreeSet<String>,
) -> Vec<String> {
    let set = |name: &str| env(name).is_some_and(|v| !v.trim().is_empty());
    let mut out = Vec::new();
    let mut bot_channels = Vec::new();
    for (name, channel) in &rules.channels {
        match channel {
            Channel::SlackWebhookEnv(var) if !set(var.value.trim()) => out.push(format!(
                "channel `{name}`: environment variable {} is not set; messages to `{name}` will fail until it holds the channel's Slack webhook URL",
                var.value.trim()
            )),
            Channel::SlackChannel(_) => bot_channels.push(name.as_str()),
            _ => {}
        }
    }
    if !bot_channels.is_empty() && !set("SLACK_BOT_TOKEN") {
        out.push(format!(
            "SLACK_BOT_TOKEN is not set; messages to {} will fail until it holds a Slack bot token that may post there",
            quoted(&bot_channels)
        ));
    }
    for rule in &rules.rules {
        for label in rule.labels.iter().filter(|l| l.names_employer()) {
            out.push(format!(
                "rule `{}` labels `{}`: labels are public on public repositories, so there orgradar applies it only when the person made the affiliation public themselves (a public organization membership or the company field of their profile), and withholds it otherwise",
                rule.name,
                label.text()
            ));
        }
    }
    for rule in rules.rules.iter().filter(|r| !r.labels.is_empty()) {
        let unlabelable: Vec<&str> = rule
            .on
            .iter()
            .filter(|k| matches!(k, EventKind::StarCreated | EventKind::Fork))
            .map(|k| k.as_str())
            .collect();
        if !unlabelable.is_empty() {
            let instead = if rule.notify.is_empty() {
                "does nothing"
            } else {
                "only notifies"
            };
            out.push(format!(
                "rule `{}` labels, and is on {}: a star or a fork has no issue or pull request to carry a label, so there the rule {instead}; move {} to a rule without `label:`",
                rule.name,
                unlabelable.join(" and "),
                if unlabelable.len() == 1 { "it" } else { "them" }
            ));
        }
    }
    out.extend(job_change_warnings(rules));
    if rules.mode == Mode::Shadow && rules.review_channel.is_none() {
        out.push(
            "mode is shadow and no review_channel is set: nothing will be sent anywhere; set review_channel to see what live mode would do".into(),
        );
    }
    let known: BTreeSet<String> = tiers.iter().map(|t| t.trim().to_lowercase()).collect();
    for rule in &rules.rules {
        for tier in rule.when.tier.iter().flatten() {
            if !known.contains(&tier.trim().to_lowercase()) {
                let have = if known.is_empty() {
                    "no account has a tier".to_string()
                } else {
                    format!(
                        "accounts use {}",
                        tiers.iter().cloned().collect::<Vec<_>>().join(", ")
                    )
                };
                out.push(format!(
                    "rule `{}` asks for tier `{}`, which no target account has ({have}): the rule cannot match",
                    rule.name,
                    tier.trim()
                ));
            }
        }
    }
    for name in rules.channels.keys() {
        let notified = rules.rules.iter().any(|r| r.notify.contains(name));
        let in_digest = rules
            .digest
            .as_ref()
            .is_some_and(|d| d.channels.contains(name));
        let reviews = rules.review_channel.as_ref() == Some(name);
        if !(notified || in_digest || reviews) {
            out.push(format!(
                "channel `{name}` is not used: no rule notifies it, and neither digest nor review_channel names it"
            ));
        }
    }
    out
}

/// A rule on job changes that labels (a job change is about a person, not
/// an item), and one with `previous_account:` whose other events it never
/// matches.
fn job_change_warnings(rules: &Rules) -> Vec<String> {
    let changed = EventKind::AffiliationChanged;
    let mut out = Vec::new();
    for rule in rules.rules.iter().filter(|r| r.on.contains(&changed)) {
        if !rule.labels.is_empty() {
            let instead = if rule.notify.is_empty() {
                "does nothing"
            } else {
                "only notifies"
            };
            out.push(format!(
                "rule `{}` labels, and is on {changed}: a job change is about a person, not an issue or pull request, so there the rule {instead}; move {changed} to a rule without `label:`",
                rule.name
            ));
        }
        let others: Vec<&str> = rule
            .on
            .iter()
            .filter(|k| **k != changed)
            .map(|k| k.as_str())
            .collect();
        if rule.when.previous_account.is_some() && !others.is_empty() {
            out.push(format!(
                "rule `{}` asks for `previous_account`, which only {changed} has: on {} it never matches; move {} to another rule",
                rule.name,
                others.join(" and "),
                if others.len() == 1 { "it" } else { "them" }
            ));
        }
    }
    out
}

fn quoted(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::AppFile;
    use std::path::Path;

    fn rules(yaml: &str) -> Rules {
        let text = format!("name: x\n{yaml}");
        AppFile::parse(&text, Path::new("app.yml"))
            .and_then(|app| app.rule_set(Path::new("app.yml")))
            .unwrap()
    }

    const YAML: &str = "mode: shadow
channels:
  product: { slack_webhook_env: SLACK_PRODUCT_WEBHOOK }
  marketing: { slack_channel: \"#marketing\" }
  unused: { github_issue: { repo: acme/leads } }
rules:
  - name: big
    on: [issues.opened]
    if: { tier: [enterprise, Strategic] }
    do: { label: [\"org:{organization}\", \"{tier}\"], notify: [product, marketing] }
";

    #[test]
    fn names_what_will_not_work() {
        let tiers: BTreeSet<String> = ["strategic".to_string()].into();
        let w = warnings(&rules(YAML), |_| None, &tiers);
        assert_eq!(
            w,
            [
                "channel `product`: environment variable SLACK_PRODUCT_WEBHOOK is not set; messages to `product` will fail until it holds the channel's Slack webhook URL",
                "SLACK_BOT_TOKEN is not set; messages to `marketing` will fail until it holds a Slack bot token that may post there",
                "rule `big` labels `org:{organization}`: labels are public on public repositories, so there orgradar applies it only when the person made the affiliation public themselves (a public organization membership or the company field of their profile), and withholds it otherwise",
                "mode is shadow and no review_channel is set: nothing will be sent anywhere; set review_channel to see what live mode would do",
                "rule `big` asks for tier `enterprise`, which no target account has (accounts use strategic): the rule cannot match",
                "channel `unused` is not used: no rule notifies it, and neither digest nor review_channel names it",
            ]
        );
    }

    #[test]
    fn a_rule_on_job_changes_that_labels_or_mixes_events_is_pointed_out() {
        let yaml = "channels:
  sales: { slack_channel: \"#sales\" }
rules:
  - name: moves
    on: [affiliation.changed, issues.opened]
    if: { previous_account: any }
    do: { label: [moved], notify: [sales] }
";
        let w = job_change_warnings(&rules(yaml));
        assert_eq!(
            w,
            [
                "rule `moves` labels, and is on affiliation.changed: a job change is about a person, not an issue or pull request, so there the rule only notifies; move affiliation.changed to a rule without `label:`",
                "rule `moves` asks for `previous_account`, which only affiliation.changed has: on issues.opened it never matches; move it to another rule",
            ]
        );
    }

    #[test]
    fn quiet_when_all_is_set() {
        let yaml = YAML
            .replace("mode: shadow", "mode: live")
            .replace("\"org:{organization}\", ", "")
            .replace(
                "notify: [product, marketing]",
                "notify: [product, marketing, unused]",
            );
        let tiers: BTreeSet<String> = ["Enterprise".to_string(), "strategic".to_string()].into();
        let w = warnings(&rules(&yaml), |_| Some("x".into()), &tiers);
        assert!(w.is_empty(), "{w:?}");
    }
}
