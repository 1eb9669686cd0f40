//! Why a rule did not apply: the first failing condition, in words.

use super::*;
use crate::rules::misses;

fn why(yaml_if: &str, sighting: &Sighting, a: &Affiliation) -> String {
    let r = rules(&format!(
        "rules:\n  - name: r\n    on: [issues.opened]\n    repos: [\"acme-oss/*\"]\n    if: {yaml_if}\n    do: {{ notify: [leads] }}\n"
    ));
    let list = misses(&r, sighting, a, false);
    assert!(list.len() <= 1, "{list:?}");
    list.first().map(|m| m.reason.clone()).unwrap_or_default()
}

#[test]
fn each_failing_condition_is_named_and_a_matching_rule_has_none() {
    let person = acme(Signal::EmailDomain);
    assert_eq!(why("{ tier: [enterprise] }", &issue(), &person), "");
    let star = sighting(EventKind::StarCreated, "acme-oss/sdk");
    assert_eq!(
        why("{}", &star, &person),
        "`on:` lists issues.opened, not star.created"
    );
    let elsewhere = sighting(EventKind::IssueOpened, "other/repo");
    assert_eq!(
        why("{}", &elsewhere, &person),
        "other/repo matches none of `repos:` (acme-oss/*)"
    );
    let mut insider = person.clone();
    insider.insider = true;
    insider.evidence.push(Evidence {
        signal: Signal::Insider,
        value: "MEMBER".into(),
        source: Source::AuthorAssociation,
        account: None,
        organization: None,
        strength: 0.0,
        note: None,
    });
    assert!(
        why("{}", &issue(), &insider).contains("an insider (author_association MEMBER)"),
        "{}",
        why("{}", &issue(), &insider)
    );
    assert_eq!(
        why("{ first_time: true }", &issue(), &person),
        "`first_time: true`, and Acme Corporation was seen before"
    );
    assert_eq!(
        why("{ tier: [strategic] }", &issue(), &nobody()),
        "`tier:` is strategic, and the person's is none (no target account)"
    );
    assert_eq!(
        why("{ account: [globex] }", &issue(), &person),
        "`account:` is globex, and the person's is acme"
    );
    assert_eq!(
        why("{ intent: any }", &issue(), &person),
        "`intent: any`, and the item asks about no topic"
    );
}
