use super::*;
use crate::affiliation::{Evidence, Source};
use crate::config::AppFile;
use crate::sighting::{EventKind, SightedItem};
use std::path::Path;

const CHANNELS: &str = "channels:
  product: { slack_webhook_env: SLACK_PRODUCT_WEBHOOK }
  marketing: { slack_channel: \"#marketing\" }
  leads: { github_issue: { repo: acme/leads } }
  review: { slack_channel: \"#orgradar-review\" }
";

fn rules(yaml: &str) -> Rules {
    let text = format!("name: x\n{CHANNELS}{yaml}");
    AppFile::parse(&text, Path::new("app.yml"))
        .and_then(|app| app.rule_set(Path::new("app.yml")))
        .unwrap()
}

fn sighting(event: EventKind, repository: &str) -> Sighting {
    Sighting {
        delivery_id: "d1".into(),
        at: 0,
        event,
        repository: repository.into(),
        repository_private: false,
        item: Some(SightedItem {
            number: 7,
            title: "Crash".into(),
            body: None,
        }),
        url: "https://github.com/acme-oss/sdk/issues/7".into(),
        login: "wile".into(),
        account: Some("acme".into()),
        account_name: Some("Acme Corporation".into()),
        organization: Some("Acme Corporation".into()),
        tier: Some("enterprise".into()),
        confidence: 0.9,
        evidence: String::new(),
        intent: Vec::new(),
        signal: None,
        rules: Vec::new(),
        moved_from: None,
    }
}

fn evidence(signal: Signal, strength: f64) -> Evidence {
    Evidence {
        signal,
        value: "acme".into(),
        source: Source::Orgs,
        account: Some("acme".into()),
        organization: None,
        strength,
        note: None,
    }
}

fn acme(signal: Signal) -> Affiliation {
    Affiliation {
        login: "wile".into(),
        account: Some("acme".into()),
        organization: Some("Acme Corporation".into()),
        tier: Some("Enterprise".into()),
        bot: false,
        insider: false,
        confidence: 0.9,
        evidence: vec![evidence(signal, 0.9)],
    }
}

fn nobody() -> Affiliation {
    Affiliation {
        login: "wile".into(),
        account: None,
        organization: None,
        tier: None,
        bot: false,
        insider: false,
        confidence: 0.0,
        evidence: vec![],
    }
}

fn issue() -> Sighting {
    sighting(EventKind::IssueOpened, "acme-oss/sdk")
}

const TWO_RULES: &str = "rules:
  - name: enterprise
    on: [issues.opened, star.created]
    repos: [\"acme-oss/*\"]
    if: { tier: [enterprise] }
    do: { label: [enterprise], notify: [product, marketing] }
  - name: everyone
    on: [issues.opened]
    do: { label: [seen, enterprise], notify: [leads, product] }
";

#[test]
fn matching_rules_apply_in_order_and_deduplicate() {
    let p = plan(
        &rules(TWO_RULES),
        &issue(),
        &acme(Signal::EmailDomain),
        false,
    );
    assert_eq!(p.rules, ["enterprise", "everyone"]);
    assert_eq!(p.labels, ["enterprise", "seen"]);
    assert_eq!(p.notify, ["product", "marketing", "leads"]);
    assert!(p.withheld.is_empty() && p.would_notify.is_empty() && !p.shadow);
}

#[test]
fn stop_ends_evaluation() {
    let yaml = TWO_RULES.replace(
        "notify: [product, marketing] }\n",
        "notify: [product, marketing] }\n    stop: true\n",
    );
    let p = plan(&rules(&yaml), &issue(), &acme(Signal::EmailDomain), false);
    assert_eq!(p.rules, ["enterprise"]);
    assert_eq!(p.notify, ["product", "marketing"]);
    // A rule that stops but does not match stops nothing.
    let p = plan(&rules(&yaml), &issue(), &nobody(), false);
    assert_eq!(p.rules, ["everyone"]);
}

#[test]
fn events_and_repository_globs_select() {
    let r = rules(TWO_RULES);
    let other_repo = sighting(EventKind::IssueOpened, "acme/sdk");
    assert_eq!(
        plan(&r, &other_repo, &acme(Signal::EmailDomain), false).rules,
        ["everyone"]
    );
    let upper = sighting(EventKind::IssueOpened, "ACME-OSS/Sdk");
    assert_eq!(
        plan(&r, &upper, &acme(Signal::EmailDomain), false)
            .rules
            .len(),
        2
    );
    let fork = sighting(EventKind::Fork, "acme-oss/sdk");
    assert!(
        plan(&r, &fork, &acme(Signal::EmailDomain), false)
            .rules
            .is_empty()
    );
}

#[test]
fn each_condition_must_hold() {
    let one = |cond: &str| {
        rules(&format!(
            "rules:\n  - name: r\n    on: [issues.opened]\n    if: {cond}\n    do: {{ notify: [leads] }}\n"
        ))
    };
    let matches =
        |r: &Rules, a: &Affiliation, first: bool| !plan(r, &issue(), a, first).rules.is_empty();
    let person = acme(Signal::EmailDomain);
    let mut bot = person.clone();
    bot.bot = true;
    let mut insider = person.clone();
    insider.insider = true;
    let mut unsure = person.clone();
    unsure.confidence = 0.5;
    let mut org_only = nobody();
    org_only.organization = Some("Globex, Inc.".into());

    let r = one("{ tier: [ENTERPRISE, strategic] }");
    assert!(matches(&r, &person, false) && !matches(&r, &nobody(), false));
    let r = one("{ account: any }");
    assert!(matches(&r, &person, false) && !matches(&r, &org_only, false));
    let r = one("{ account: [globex, acme] }");
    assert!(matches(&r, &person, false));
    let r = one("{ account: [globex] }");
    assert!(!matches(&r, &person, false));
    let r = one("{ organization: any }");
    assert!(matches(&r, &person, false) && matches(&r, &org_only, false));
    assert!(!matches(&r, &nobody(), false));
    let r = one("{ organization: [globex] }");
    assert!(matches(&r, &org_only, false) && !matches(&r, &person, false));
    let r = one("{ organization: [acme corporation] }");
    assert!(matches(&r, &person, false));
    let r = one("{ bot: true }");
    assert!(matches(&r, &bot, false) && !matches(&r, &person, false));
    let r = one("{ insider: true }");
    assert!(matches(&r, &insider, false) && !matches(&r, &person, false));
    let r = one("{ first_time: true }");
    assert!(matches(&r, &person, true) && !matches(&r, &person, false));
    let r = one("{ confidence: 0.8 }");
    assert!(matches(&r, &person, false) && !matches(&r, &unsure, false));
    let r = one("{ tier: [enterprise], confidence: 0.8 }");
    assert!(!matches(&r, &unsure, false));
}

#[test]
fn without_if_every_person_matches_but_bots_and_insiders() {
    let r = rules("rules:\n  - name: r\n    on: [issues.opened]\n    do: { notify: [leads] }\n");
    assert_eq!(plan(&r, &issue(), &nobody(), false).notify, ["leads"]);
    let mut bot = nobody();
    bot.bot = true;
    assert!(plan(&r, &issue(), &bot, false).rules.is_empty());
    let mut insider = nobody();
    insider.insider = true;
    assert!(plan(&r, &issue(), &insider, false).rules.is_empty());
}

#[test]
fn ignored_logins_get_nothing() {
    let r = rules(&format!("ignore: [Wile, other]\n{TWO_RULES}"));
    assert!(r.ignores("WILE") && r.ignores("@other") && !r.ignores("road"));
    let p = plan(&r, &issue(), &acme(Signal::EmailDomain), false);
    assert_eq!(
        p,
        Plan {
            ignored: true,
            ..Plan::default()
        }
    );
}

#[test]
fn shadow_mode_tells_only_the_review_channel() {
    let r = rules(&format!(
        "mode: shadow\nreview_channel: review\n{TWO_RULES}"
    ));
    let p = plan(&r, &issue(), &acme(Signal::EmailDomain), false);
    assert!(p.shadow);
    assert_eq!(p.notify, ["review"]);
    assert_eq!(p.would_notify, ["product", "marketing", "leads"]);
    assert!(p.labels.is_empty());
    assert_eq!(
        p.withheld,
        [
            Withheld {
                label: "enterprise".into(),
                reason: WithheldReason::Shadow
            },
            Withheld {
                label: "seen".into(),
                reason: WithheldReason::Shadow
            },
        ]
    );
    // No rule matched: not even the review channel hears of it.
    let p = plan(
        &r,
        &sighting(EventKind::Fork, "a/b"),
        &acme(Signal::EmailDomain),
        false,
    );
    assert!(p.notify.is_empty() && p.rules.is_empty());
    // Without a review channel nothing is sent.
    let r = rules(&format!("mode: shadow\n{TWO_RULES}"));
    let p = plan(&r, &issue(), &acme(Signal::EmailDomain), false);
    assert!(p.notify.is_empty());
    assert_eq!(p.would_notify, ["product", "marketing", "leads"]);
}

const TEMPLATES: &str = "rules:
  - name: r
    on: [issues.opened, star.created]
    do: { label: [\"account:{account}\", \"{tier}\", \"org:{organization}\", lead] }
";

#[test]
fn templates_render_on_private_repositories() {
    let mut s = issue();
    s.repository_private = true;
    let p = plan(&rules(TEMPLATES), &s, &acme(Signal::EmailDomain), false);
    assert_eq!(
        p.labels,
        ["account:acme", "Enterprise", "org:Acme Corporation", "lead"]
    );
}

#[test]
fn a_missing_value_withholds_the_label() {
    let mut s = issue();
    s.repository_private = true;
    s.account_name = None;
    let p = plan(&rules(TEMPLATES), &s, &nobody(), false);
    assert_eq!(p.labels, ["lead"]);
    assert_eq!(
        p.withheld
            .iter()
            .map(|w| (w.label.as_str(), w.reason))
            .collect::<Vec<_>>(),
        [
            (
                "account:{account}",
                WithheldReason::MissingValue(Placeholder::Account)
            ),
            ("{tier}", WithheldReason::MissingValue(Placeholder::Tier)),
            (
                "org:{organization}",
                WithheldReason::MissingValue(Placeholder::Organization)
            ),
        ]
    );
}

#[test]
fn public_repositories_get_employer_labels_only_when_self_published() {
    let r = rules(TEMPLATES);
    for signal in [
        Signal::OrgMembership,
        Signal::CompanyMention,
        Signal::CompanyName,
        Signal::CompanyUrl,
        Signal::BioMention,
    ] {
        let p = plan(&r, &issue(), &acme(signal), false);
        assert_eq!(p.labels.len(), 4, "{signal}");
    }
    for signal in [Signal::EmailDomain, Signal::Website, Signal::Override] {
        let p = plan(&r, &issue(), &acme(signal), false);
        assert_eq!(p.labels, ["Enterprise", "lead"], "{signal}");
        assert_eq!(
            p.withheld,
            [
                Withheld {
                    label: "account:acme".into(),
                    reason: WithheldReason::PublicRepository
                },
                Withheld {
                    label: "org:Acme Corporation".into(),
                    reason: WithheldReason::PublicRepository
                },
            ]
        );
    }
    // The strongest evidence decides: a weaker company field does not
    // publish what a company email found.
    let mut a = acme(Signal::EmailDomain);
    a.evidence.push(evidence(Signal::CompanyName, 0.75));
    assert_eq!(plan(&r, &issue(), &a, false).labels, ["Enterprise", "lead"]);
}

#[test]
fn an_organization_without_account_needs_its_own_evidence() {
    let r = rules(TEMPLATES);
    let mut a = nobody();
    a.organization = Some("Globex".into());
    a.evidence.push(Evidence {
        signal: Signal::CompanyName,
        value: "Globex, Inc.".into(),
        source: Source::Company,
        account: None,
        organization: Some("Globex Inc".into()),
        strength: 0.75,
        note: None,
    });
    let mut s = issue();
    s.account_name = None;
    assert_eq!(plan(&r, &s, &a, false).labels, ["org:Globex", "lead"]);
    a.evidence[0].signal = Signal::EmailDomain;
    assert_eq!(plan(&r, &s, &a, false).labels, ["lead"]);
}

#[test]
fn events_without_an_item_get_no_labels() {
    let p = plan(
        &rules(TEMPLATES),
        &sighting(EventKind::StarCreated, "a/b"),
        &acme(Signal::OrgMembership),
        false,
    );
    assert_eq!(p.rules, ["r"]);
    assert!(p.labels.is_empty());
    assert_eq!(p.withheld.len(), 4);
    assert!(
        p.withheld
            .iter()
            .all(|w| w.reason == WithheldReason::NotLabelable)
    );
}

const INTENT_RULES: &str = "rules:
  - name: asks-sso
    on: [issues.opened]
    if: { intent: [sso, commercial] }
    do: { notify: [product] }
  - name: asks-anything
    on: [issues.opened]
    if: { intent: any }
    do: { notify: [marketing] }
  - name: hot
    on: [issues.opened]
    if: { score: 65 }
    do: { notify: [leads] }
";

#[test]
fn intent_and_score_conditions() {
    let r = rules(INTENT_RULES);
    let mut s = issue();
    s.intent = r.intent.detect(
        "Support SAML login",
        Some("What's the pricing?"),
        crate::intent::Source::Body,
    );
    let p = plan(&r, &s, &acme(Signal::OrgMembership), false);
    assert_eq!(p.rules, ["asks-sso", "asks-anything", "hot"]);
    // account 20 + tier enterprise 10 + issue 20 + two topics 20 = 70.
    assert_eq!(p.score.total, 70, "{}", p.score.explain());

    s.intent = r
        .intent
        .detect("Add a Helm chart", None, crate::intent::Source::Body);
    let p = plan(&r, &s, &acme(Signal::OrgMembership), false);
    assert_eq!(
        p.rules,
        ["asks-anything"],
        "65 is not reached: {}",
        p.score.explain()
    );

    let p = plan(&r, &s, &acme(Signal::OrgMembership), true);
    assert_eq!(
        p.rules,
        ["asks-anything", "hot"],
        "first contact adds 10: {}",
        p.score.explain()
    );
}

#[test]
fn scoring_reweights_the_parts() {
    let r = rules("scoring: { tiers: { enterprise: 40 }, events: { issues.opened: 5 } }\n");
    let p = plan(&r, &issue(), &acme(Signal::OrgMembership), false);
    assert_eq!(
        p.score.explain(),
        "target account +20, tier enterprise +40, issue +5 = 65"
    );
    assert!(!r.needs_first_time());
    assert!(
        rules(INTENT_RULES).needs_first_time(),
        "a score rule reads the history"
    );
}

#[path = "miss_tests.rs"]
mod misses;

#[path = "change_tests.rs"]
mod change;
