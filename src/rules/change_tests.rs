//! Rules on job changes: `on: [affiliation.changed]` and `previous_account:`.

use super::*;
use crate::people::Tenure;
use crate::rules::{AnyOf, Conditions, Rule};

const MOVES: &str = "rules:
  - name: issues
    on: [issues.opened]
    do: { notify: [marketing] }
  - name: from-globex
    on: [affiliation.changed]
    if: { account: any, previous_account: [Globex] }
    do: { notify: [product] }
  - name: from-anyone
    on: [affiliation.changed]
    if: { previous_account: any }
    do: { notify: [leads] }
";

fn at(account: Option<&str>, name: &str) -> Tenure {
    Tenure {
        key: account.map_or_else(|| format!("org:{name}"), |a| format!("account:{a}")),
        name: name.into(),
        account: account.map(str::to_string),
        first_at: 0,
        last_at: 0,
    }
}

/// The issue as a job change from `from`.
fn moved(from: Tenure) -> Sighting {
    let mut s = issue();
    s.delivery_id = "d1:moved".into();
    s.event = EventKind::AffiliationChanged;
    s.moved_from = Some(from);
    s
}

#[test]
fn a_job_change_matches_only_rules_on_it_and_its_previous_account() {
    let r = rules(MOVES);
    let person = acme(Signal::EmailDomain);
    let from_globex = moved(at(Some("globex"), "Globex Corporation"));
    let p = plan(&r, &from_globex, &person, false);
    assert_eq!(p.rules, ["from-globex", "from-anyone"]);
    assert_eq!(p.notify, ["product", "leads"]);

    let from_initech = moved(at(Some("initech"), "Initech"));
    assert_eq!(
        plan(&r, &from_initech, &person, false).rules,
        ["from-anyone"]
    );

    // From an organization that is no target account: neither list nor `any`.
    let from_elsewhere = moved(at(None, "Hooli"));
    assert!(plan(&r, &from_elsewhere, &person, false).rules.is_empty());

    // The delivery's own sighting is no job change.
    assert_eq!(plan(&r, &issue(), &person, false).rules, ["issues"]);
}

#[test]
fn a_job_change_carries_no_label() {
    let yaml = "rules:
  - name: moved
    on: [affiliation.changed]
    do: { label: [moved], notify: [product] }
";
    let p = plan(
        &rules(yaml),
        &moved(at(Some("globex"), "Globex")),
        &acme(Signal::EmailDomain),
        false,
    );
    assert!(p.labels.is_empty());
    assert_eq!(p.withheld[0].reason, WithheldReason::NotLabelable);
    assert_eq!(p.notify, ["product"]);
}

#[test]
fn why_previous_account_did_not_hold_is_said() {
    let r = rules(MOVES);
    let person = acme(Signal::EmailDomain);
    let reason = |s: &Sighting, rule: &str| {
        misses(&r, s, &person, false)
            .into_iter()
            .find(|m| m.rule == rule)
            .map(|m| m.reason)
            .unwrap_or_default()
    };
    let from_initech = moved(at(Some("initech"), "Initech"));
    assert_eq!(
        reason(&from_initech, "from-globex"),
        "`previous_account:` is Globex, and the person's was initech"
    );
    let from_hooli = moved(at(None, "Hooli"));
    assert_eq!(
        reason(&from_hooli, "from-anyone"),
        "`previous_account: any`, and the person was at Hooli, no target account"
    );
    assert_eq!(
        reason(&issue(), "from-globex"),
        "`on:` lists affiliation.changed, not issues.opened"
    );
}

#[test]
fn previous_account_alone_says_it_holds_only_for_job_changes() {
    let rule = Rule {
        name: "r".into(),
        on: EventKind::ALL.to_vec(),
        repos: Vec::new(),
        when: Conditions {
            previous_account: Some(serde_saphyr::Spanned {
                value: AnyOf::Any,
                referenced: serde_saphyr::Location::UNKNOWN,
                defined: serde_saphyr::Location::UNKNOWN,
            }),
            ..Conditions::default()
        },
        labels: Vec::new(),
        notify: vec!["product".into()],
        stop: false,
    };
    assert_eq!(
        rule.first_miss(&issue(), &acme(Signal::EmailDomain), false, 0)
            .unwrap_or_default(),
        "`previous_account:` holds only for affiliation.changed, and this is issues.opened"
    );
}
