use super::*;
use crate::affiliation::{Account, Context, Profile, classify};

fn accounts(people: &[(&str, &str)]) -> Accounts {
    let account = |id: &str, name: &str, domain: &str| Account {
        id: id.into(),
        name: name.into(),
        tier: Some("strategic".into()),
        domains: vec![domain.into()],
        ..Account::default()
    };
    Accounts::new(
        vec![
            account("acme", "Acme Corporation", "acme.com"),
            account("globex", "Globex", "globex.com"),
        ],
        people.iter().map(|(l, a)| (l.to_string(), a.to_string())),
    )
    .unwrap()
}

fn from_acme(login: &str, accounts: &Accounts) -> Affiliation {
    let mut profile = Profile::new(login.to_string());
    profile.email_domain = Some("acme.com".into());
    classify(&profile, accounts, &Context::default())
}

fn answer(verdict: Verdict, account: Option<&str>) -> Correction {
    Correction {
        id: "c1".into(),
        login: "jane".into(),
        verdict,
        account: account.map(str::to_string),
        sighting: Some("d1".into()),
        sighted: Sighted {
            account: Some("acme".into()),
            signal: Some("email_domain".into()),
            rules: vec!["acme".into()],
        },
        by: "@dana".into(),
        via: Via::Slack,
        note: None,
        at: 1,
    }
}

#[test]
fn an_answer_outweighs_every_signal_of_the_profile() {
    let accounts = accounts(&[]);
    let read = from_acme("jane", &accounts);
    assert_eq!(read.account.as_deref(), Some("acme"));

    let moved = answer(Verdict::Account, Some("globex")).apply(read.clone(), &accounts);
    assert_eq!(moved.account.as_deref(), Some("globex"));
    assert_eq!(moved.organization.as_deref(), Some("Globex"));
    assert_eq!(moved.tier.as_deref(), Some("strategic"));
    assert_eq!(moved.evidence[0].signal, Signal::Correction);
    assert_eq!(moved.evidence[0].value, "@dana via Slack");

    let none = answer(Verdict::None, None).apply(read.clone(), &accounts);
    assert_eq!(
        (none.account, none.organization, none.tier),
        (None, None, None)
    );

    // "Ignore" stops the decision before classifying; it changes nothing here.
    let ignored = answer(Verdict::Ignore, None).apply(read.clone(), &accounts);
    assert_eq!(ignored, read);
}

#[test]
fn people_in_app_yml_outweigh_an_answer() {
    let accounts = accounts(&[("jane", "acme")]);
    let read = from_acme("jane", &accounts);
    let kept = answer(Verdict::Account, Some("globex")).apply(read.clone(), &accounts);
    assert_eq!(kept.account.as_deref(), Some("acme"));
}

#[test]
fn an_answer_is_judged_against_what_the_sighting_named() {
    assert_eq!(
        answer(Verdict::Confirm, Some("acme")).judged(),
        Some(Judged::Right)
    );
    assert_eq!(
        answer(Verdict::Account, Some("acme")).judged(),
        Some(Judged::Right)
    );
    assert_eq!(
        answer(Verdict::Account, Some("globex")).judged(),
        Some(Judged::Wrong)
    );
    assert_eq!(answer(Verdict::None, None).judged(), Some(Judged::Wrong));
    assert_eq!(answer(Verdict::Ignore, None).judged(), None);
    let mut unsighted = answer(Verdict::None, None);
    unsighted.sighting = None;
    assert_eq!(unsighted.judged(), None);
}

#[test]
fn what_was_decided_reads_as_a_sentence() {
    let name = |id: &str| match id {
        "acme" => "Acme Corporation".to_string(),
        other => other.to_string(),
    };
    assert_eq!(
        answer(Verdict::None, None).decided(name),
        "Marked not Acme Corporation"
    );
    assert_eq!(
        answer(Verdict::Confirm, Some("acme")).decided(name),
        "Confirmed Acme Corporation"
    );
    assert_eq!(answer(Verdict::Ignore, None).decided(name), "Ignored jane");
}
