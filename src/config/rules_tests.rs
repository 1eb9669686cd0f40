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
        "app.yml:8:16: rule `a` reacts to `issues.open`, which is no event orgradar knows (did you mean `issues.opened`?); use one of issues.opened, pull_request.opened, discussion.created, issue_comment.created, star.created, fork, affiliation.changed"
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
        "app.yml:9:22: unknown field `acount`, expected one of tier, account, previous_account, organization, bot, insider, first_time, confidence, intent, score"
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

#[test]
fn retention_must_outlive_redeliveries_and_the_throttle() {
    assert_eq!(
        error("name: x\nretention: 2d\n"),
        "app.yml: retention (2d) must be at least 7d: orgradar keeps deliveries and the actions it took for them at least as long as GitHub may redeliver one and the throttle window lasts; write e.g. 180d"
    );
    assert!(error("name: x\nretention: 10d\nthrottle: { window: 14d }\n").contains("at least 14d"));
    assert!(parse("name: x\nretention: 7d\n").is_ok());
}

#[test]
fn a_duplicated_key_is_named() {
    assert_eq!(
        error("name: x\nignore: [a]\nignore: [b]\n"),
        "app.yml:3:1: `ignore` appears twice; merge the two into one"
    );
}

#[test]
fn intent_and_score_conditions_are_checked_in_place() {
    let e = error(&rule(
        "    on: [issues.opened]\n    if: { intent: [sso, pricing] }\n    do: { notify: [product] }\n",
    ));
    assert!(e.starts_with("app.yml:"), "{e}");
    assert!(
        e.contains("asks for intent `pricing`, which is no topic"),
        "{e}"
    );
    assert!(e.contains("sso, access, audit"), "names the topics: {e}");
    let e = error(&rule(
        "    on: [issues.opened]\n    if: { score: 160 }\n    do: { notify: [product] }\n",
    ));
    assert!(e.contains("the lead score runs from 0 to 100"), "{e}");
    assert!(e.starts_with("app.yml:9:"), "{e}");
    // A topic app.yml adds can be named.
    let text = format!(
        "{}intent: {{ topics: {{ gitops: {{ phrases: [Argo CD] }} }} }}\n",
        rule(
            "    on: [issues.opened]\n    if: { intent: [gitops] }\n    do: { notify: [product] }\n"
        )
    );
    assert!(parse(&text).is_ok());
}

#[test]
fn intent_and_scoring_settings_are_checked_in_place() {
    let e = error("name: x\nintent:\n  disable: [sso, nope]\n");
    assert!(
        e.starts_with("app.yml:3:18: intent.disable names `nope`"),
        "{e}"
    );
    let e = error("name: x\nintent:\n  topcs: {}\n");
    assert!(e.contains("unknown field `topcs`"), "{e}");
    let e = error("name: x\nscoring:\n  events: { issue.opened: 5 }\n");
    assert!(e.starts_with("app.yml:3:"), "{e}");
    assert!(e.contains("`issue.opened`, which is no event"), "{e}");
    let e = error("name: x\nscoring:\n  account: 200\n");
    assert_eq!(
        e,
        "app.yml:3:12: scoring.account is 200, but a score runs from 0 to 100: give it at most 100"
    );
    let e = error("name: x\nscoring:\n  acount: 20\n");
    assert!(e.contains("unknown field `acount`"), "{e}");
}

#[test]
fn previous_account_is_for_rules_on_job_changes_and_names_known_accounts() {
    let e = error(&rule(
        "    on: [issues.opened]\n    if: { previous_account: [globex] }\n    do: { notify: [product] }\n",
    ));
    assert_eq!(
        e,
        "app.yml:9:29: rule `a` asks for `previous_account`, which only a job change has, but its `on:` does not list affiliation.changed: add affiliation.changed to `on:`, or drop `previous_account`"
    );
    let e = error(&rule(
        "    on: [affiliation.changed]\n    if: { previous_account: [] }\n    do: { notify: [product] }\n",
    ));
    assert!(
        e.starts_with("app.yml:9:29: rule `a` has an empty `previous_account`"),
        "{e}"
    );

    let text = format!(
        "{}accounts:\n  - {{ id: globex, name: Globex Corporation }}\n  - {{ id: acme, name: Acme Corporation }}\n",
        rule(
            "    on: [affiliation.changed]\n    if: { account: any, previous_account: [Globex, globx] }\n    do: { notify: [product] }\n"
        )
    );
    let path = Path::new("app.yml");
    let app = parse(&text).unwrap();
    let accounts = app.accounts(path, |_| Ok(String::new())).unwrap();
    let e = crate::config::previous_account::check_ids(&app, &accounts, path)
        .unwrap_err()
        .to_string();
    assert_eq!(
        e,
        "app.yml:9:43: rule `a` asks for previous_account `globx`, which is not among the accounts (did you mean `globex`?); the accounts are acme, globex: use one of their ids or add the account"
    );
    let fixed = text.replace(", globx]", "]");
    let app = parse(&fixed).unwrap();
    assert!(crate::config::previous_account::check_ids(&app, &accounts, path).is_ok());
    let any = text.replace("[Globex, globx]", "any");
    let app = parse(&any).unwrap();
    assert!(crate::config::previous_account::check_ids(&app, &accounts, path).is_ok());
}
