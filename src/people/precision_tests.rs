use super::*;
use crate::people::{Sighted, Via};

const NOW: Millis = 1_772_625_600_000;

/// An answer given `days_ago` about sighting `sighting` (which named
/// `sighted` on `signal`, matching `rules`).
fn answer(
    id: &str,
    days_ago: i64,
    verdict: Verdict,
    account: Option<&str>,
    sighting: Option<&str>,
    sighted: Option<(&str, &str, &[&str])>,
) -> Correction {
    Correction {
        id: id.into(),
        login: format!("person-{id}"),
        verdict,
        account: account.map(str::to_string),
        sighting: sighting.map(str::to_string),
        sighted: sighted
            .map(|(account, signal, rules)| Sighted {
                account: Some(account.into()),
                signal: Some(signal.into()),
                rules: rules.iter().map(|r| r.to_string()).collect(),
            })
            .unwrap_or_default(),
        by: "@dana".into(),
        via: Via::Slack,
        note: None,
        at: NOW - days_ago * DAY,
    }
}

/// A month of answers on a team's Slack channel and dashboard: Acme is
/// mostly right by email domain, Globex often wrong by company name.
fn a_quarter_of_answers() -> Vec<Correction> {
    use Verdict::{Account, Confirm, Ignore};
    let email: &[&str] = &["enterprise-leads"];
    let both: &[&str] = &["enterprise-leads", "startups"];
    vec![
        answer(
            "a1",
            2,
            Confirm,
            Some("acme"),
            Some("d1"),
            Some(("acme", "email_domain", email)),
        ),
        answer(
            "a2",
            3,
            Confirm,
            Some("acme"),
            Some("d2"),
            Some(("acme", "email_domain", email)),
        ),
        answer(
            "a3",
            5,
            Verdict::None,
            None,
            Some("d3"),
            Some(("acme", "company_name", email)),
        ),
        answer(
            "a4",
            8,
            Account,
            Some("acme"),
            Some("d4"),
            Some(("globex", "company_name", both)),
        ),
        answer(
            "a5",
            9,
            Confirm,
            Some("globex"),
            Some("d5"),
            Some(("globex", "org_membership", both)),
        ),
        // Ignored, and an answer on the command line about no sighting.
        answer(
            "a6",
            10,
            Ignore,
            None,
            Some("d6"),
            Some(("acme", "email_domain", email)),
        ),
        answer("a7", 12, Verdict::None, None, None, None),
        // 60 days ago: in the 90-day window only.
        answer(
            "a8",
            60,
            Verdict::None,
            None,
            Some("d8"),
            Some(("acme", "email_domain", email)),
        ),
        answer(
            "a9",
            61,
            Confirm,
            Some("globex"),
            Some("d9"),
            Some(("globex", "website", &[])),
        ),
        // Older than 90 days: in no window.
        answer(
            "a10",
            120,
            Verdict::None,
            None,
            Some("d10"),
            Some(("acme", "email_domain", email)),
        ),
    ]
}

fn tally(right: u64, wrong: u64) -> Tally {
    Tally { right, wrong }
}

#[test]
fn thirty_days_of_answers() {
    let p = measure(&a_quarter_of_answers(), NOW, 30);
    assert_eq!(p.answers, 7);
    assert_eq!(p.overall, tally(3, 2));
    assert_eq!(p.overall.ratio(), Some(0.6));
    assert_eq!((p.ignored, p.unjudged), (1, 1));
    assert_eq!(p.by_signal["email_domain"], tally(2, 0));
    assert_eq!(p.by_signal["company_name"], tally(0, 2));
    assert_eq!(p.by_signal["org_membership"], tally(1, 0));
    assert_eq!(p.by_account["acme"], tally(2, 1));
    assert_eq!(p.by_account["globex"], tally(1, 1));
    assert_eq!(p.by_rule["enterprise-leads"], tally(3, 2));
    assert_eq!(p.by_rule["startups"], tally(1, 1));
}

#[test]
fn ninety_days_take_in_the_older_answers_only() {
    let p = measure(&a_quarter_of_answers(), NOW, 90);
    assert_eq!(p.answers, 9);
    assert_eq!(p.overall, tally(4, 3));
    assert_eq!(p.by_signal["email_domain"], tally(2, 1));
    assert_eq!(p.by_signal["website"], tally(1, 0));
    assert_eq!(p.by_account["globex"], tally(2, 1));
    // A sighting that matched no rule counts for none.
    assert_eq!(p.by_rule["enterprise-leads"], tally(3, 3));
}

#[test]
fn the_latest_answer_about_a_sighting_stands() {
    let sighted = Some(("acme", "email_domain", &["leads"][..]));
    let answers = vec![
        answer("b2", 1, Verdict::None, None, Some("d1"), sighted),
        answer("b1", 4, Verdict::Confirm, Some("acme"), Some("d1"), sighted),
        // An "ignore" later still judges nothing: the "not" stands.
        answer("b3", 0, Verdict::Ignore, None, Some("d1"), sighted),
    ];
    let p = measure(&answers, NOW, 30);
    assert_eq!(p.answers, 3);
    assert_eq!(p.overall, tally(0, 1));
    assert_eq!(p.ignored, 1);
}

#[test]
fn a_sighting_without_a_signal_counts_as_unknown() {
    let mut a = answer("c1", 1, Verdict::Confirm, Some("acme"), Some("d1"), None);
    a.sighted.account = Some("acme".into());
    let p = measure(&[a], NOW, 30);
    assert_eq!(p.by_signal[UNKNOWN_SIGNAL], tally(1, 0));
}

#[test]
fn no_answers_no_ratio() {
    let p = measure(&[], NOW, 30);
    assert!(p.is_empty());
    assert_eq!(p.overall.ratio(), None);
    let json = serde_json::to_value(&p).unwrap();
    assert_eq!(
        json["overall"],
        serde_json::json!({ "right": 0, "wrong": 0, "judged": 0, "precision": null })
    );
}

#[test]
fn ratios_are_rounded_in_json() {
    let json = serde_json::to_value(tally(2, 1)).unwrap();
    assert_eq!(json["precision"], serde_json::json!(0.6667));
}

#[test]
fn feedback_is_counted_per_answer() {
    let counts = feedback_counts(&a_quarter_of_answers());
    let n = |outcome: &'static str, signal: &str| {
        counts
            .get(&(outcome, signal.to_string()))
            .copied()
            .unwrap_or(0)
    };
    assert_eq!(n("right", "email_domain"), 2);
    assert_eq!(n("wrong", "email_domain"), 2);
    assert_eq!(n("wrong", "company_name"), 2);
    assert_eq!(n("ignored", "email_domain"), 1);
    assert_eq!(n("unjudged", UNKNOWN_SIGNAL), 1);
    assert_eq!(counts.values().sum::<u64>(), 10);
}
