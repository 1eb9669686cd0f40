use super::*;
use crate::affiliation::Accounts;
use crate::config::AppFile;
use crate::people::Standing;
use crate::sighting::EventKind;
use std::path::Path;
use std::sync::Mutex;

const APP: &str = "name: x
channels:
  sales: { slack_channel: \"#sales\" }
accounts:
  - { id: acme, name: Acme Corporation, tier: strategic, domains: [acme.com], github_orgs: [acme-corp] }
ignore: [dependabot-fan]
";

fn setup(rules: &str) -> (Accounts, Rules) {
    let text = format!("{APP}{rules}");
    let path = Path::new("app.yml");
    let app = AppFile::parse(&text, path).unwrap();
    let accounts = app.accounts(path, |_| Ok(String::new())).unwrap();
    (accounts, app.rule_set(path).unwrap())
}

const NOTIFY: &str = "rules:
  - name: acme
    on: [issues.opened, star.created]
    if: { account: any }
    do: { notify: [sales] }
";

const FIRST: &str = "rules:
  - name: first
    on: [issues.opened]
    if: { account: any, first_time: true }
    do: { notify: [sales] }
";

/// Whom a lookup was about: the login, and the pull request (repo, number).
type Asked = (String, Option<(String, u64)>);

/// Answers from a fixed profile and remembers whom it was asked about.
#[derive(Default)]
struct FakeWho {
    company: Option<&'static str>,
    member: bool,
    asked: Mutex<Vec<Asked>>,
}

#[async_trait]
impl Who for FakeWho {
    async fn person(
        &self,
        login: &str,
        pull_request: Option<(&str, u64)>,
    ) -> Result<Person, ProcessError> {
        self.asked.lock().unwrap().push((
            login.to_string(),
            pull_request.map(|(r, n)| (r.to_string(), n)),
        ));
        let mut profile = Profile::new(login.to_string());
        profile.company = self.company.map(str::to_string);
        Ok(Person {
            profile,
            member_of_installer: self.member,
        })
    }
}

struct FakeHistory {
    first: bool,
    asked: Mutex<u32>,
    standing: Standing,
}

#[async_trait]
impl History for FakeHistory {
    async fn first_sighting(&self, _: &Sighting) -> Result<bool, ProcessError> {
        *self.asked.lock().unwrap() += 1;
        Ok(self.first)
    }

    async fn standing(&self, _: &str) -> Result<Standing, ProcessError> {
        Ok(self.standing.clone())
    }
}

fn history(first: bool) -> FakeHistory {
    FakeHistory {
        first,
        asked: Mutex::new(0),
        standing: Standing::default(),
    }
}

fn event(header: &str, json: serde_json::Value) -> (Origin, Event) {
    let payload: Payload = serde_json::from_value(json).unwrap();
    let (origin, event) = decode(header, payload).unwrap();
    (origin, event.expect("an event orgradar acts on"))
}

fn issue(login: &str, kind: &str) -> (Origin, Event) {
    event(
        "issues",
        serde_json::json!({
            "action": "opened",
            "installation": { "id": 7 },
            "organization": { "login": "acme-oss" },
            "repository": { "id": 1, "full_name": "acme-oss/sdk" },
            "sender": { "login": login, "id": 9, "type": kind },
            "issue": {
                "number": 3, "title": "SAML login for our 4,000 engineers",
                "user": { "login": login, "id": 9, "type": kind },
                "author_association": "NONE"
            }
        }),
    )
}

async fn decide(
    rules: &str,
    (origin, event): &(Origin, Event),
    who: &FakeWho,
    history: &FakeHistory,
) -> Decision {
    let (accounts, rules) = setup(rules);
    let core = Core {
        accounts: &accounts,
        rules: &rules,
    };
    core.decide("d1", 1_000, event, origin, who, history)
        .await
        .unwrap()
}

fn planned(decision: Decision) -> Planned {
    match decision {
        Decision::Planned(p) => *p,
        Decision::Nothing(why) => panic!("nothing planned: {why}"),
    }
}

#[tokio::test]
async fn a_person_from_a_target_account_is_classified_sighted_and_planned_for() {
    let who = FakeWho {
        company: Some("Acme Corporation"),
        ..FakeWho::default()
    };
    let p = planned(decide(NOTIFY, &issue("wile", "User"), &who, &history(true)).await);
    assert_eq!(p.affiliation.account.as_deref(), Some("acme"));
    assert_eq!(p.sighting.account_name.as_deref(), Some("Acme Corporation"));
    assert_eq!(p.sighting.delivery_id, "d1");
    assert_eq!(p.plan.notify, vec!["sales".to_string()]);
    assert!(p.lead());
    assert!(p.sighting.intent.iter().any(|i| i.topic == "sso"));
    assert_eq!(
        who.asked.lock().unwrap().as_slice(),
        &[("wile".into(), None)]
    );
}

#[tokio::test]
async fn an_ignored_person_is_never_looked_up() {
    let who = FakeWho::default();
    let decision = decide(
        NOTIFY,
        &issue("dependabot-fan", "User"),
        &who,
        &history(true),
    )
    .await;
    let Decision::Nothing(why) = decision else {
        panic!("planned for an ignored person")
    };
    assert!(why.contains("ignore:"), "{why}");
    assert!(who.asked.lock().unwrap().is_empty());
}

#[tokio::test]
async fn a_bot_is_never_looked_up_and_matches_no_ordinary_rule() {
    let who = FakeWho::default();
    let p = planned(decide(NOTIFY, &issue("renovate[bot]", "Bot"), &who, &history(true)).await);
    assert!(p.affiliation.bot);
    assert!(!p.lead());
    assert!(p.plan.rules.is_empty());
    assert!(who.asked.lock().unwrap().is_empty());
}

#[tokio::test]
async fn a_stargazer_who_is_a_member_of_the_installing_organization_is_an_insider() {
    let who = FakeWho {
        company: Some("Acme Corporation"),
        member: true,
        ..FakeWho::default()
    };
    // A star carries no author_association: membership decides.
    let star = event(
        "star",
        serde_json::json!({
            "action": "created",
            "installation": { "id": 7 },
            "repository": { "id": 1, "full_name": "acme-oss/sdk" },
            "sender": { "login": "wile", "id": 9, "type": "User" }
        }),
    );
    let p = planned(decide(NOTIFY, &star, &who, &history(true)).await);
    assert!(p.affiliation.insider);
    assert!(p.plan.rules.is_empty(), "{:?}", p.plan.rules);
}

#[tokio::test]
async fn the_history_is_read_only_when_a_rule_needs_it_and_decides_first_time() {
    let who = FakeWho {
        company: Some("Acme Corporation"),
        ..FakeWho::default()
    };
    let unused = history(false);
    decide(NOTIFY, &issue("wile", "User"), &who, &unused).await;
    assert_eq!(*unused.asked.lock().unwrap(), 0);

    let again = history(false);
    let p = planned(decide(FIRST, &issue("wile", "User"), &who, &again).await);
    assert_eq!(*again.asked.lock().unwrap(), 1);
    assert!(!p.first_time);
    assert!(p.plan.rules.is_empty());
    let first = planned(decide(FIRST, &issue("wile", "User"), &who, &history(true)).await);
    assert_eq!(first.plan.rules, vec!["first".to_string()]);
}

#[tokio::test]
async fn a_pull_request_asks_for_commit_emails_and_an_installation_event_for_nothing() {
    let who = FakeWho::default();
    let pr = event(
        "pull_request",
        serde_json::json!({
            "action": "opened",
            "installation": { "id": 7 },
            "repository": { "id": 1, "full_name": "acme-oss/sdk" },
            "sender": { "login": "ann", "id": 9 },
            "pull_request": { "number": 12, "title": "Fix", "user": { "login": "ann", "id": 9 } }
        }),
    );
    assert_eq!(pr.0.owner.as_deref(), Some("acme-oss"));
    decide(NOTIFY, &pr, &who, &history(true)).await;
    assert_eq!(
        who.asked.lock().unwrap().as_slice(),
        &[("ann".into(), Some(("acme-oss/sdk".into(), 12)))]
    );
    let installed = event(
        "installation",
        serde_json::json!({ "action": "created", "installation": { "id": 7, "account": { "login": "acme-oss" } } }),
    );
    let Decision::Nothing(why) = decide(NOTIFY, &installed, &who, &history(true)).await else {
        panic!("planned for an installation")
    };
    assert!(why.contains("about no person"), "{why}");
}

fn answered(verdict: crate::people::Verdict, account: Option<&str>) -> FakeHistory {
    let mut h = history(true);
    h.standing.correction = Some(crate::people::Correction {
        id: "c1".into(),
        login: "wile".into(),
        verdict,
        account: account.map(str::to_string),
        sighting: None,
        sighted: crate::people::Sighted::default(),
        by: "@dana".into(),
        via: crate::people::Via::Slack,
        note: None,
        at: 1,
    });
    h
}

#[tokio::test]
async fn the_answer_in_force_outweighs_the_profile_and_ignore_stops_before_any_lookup() {
    use crate::people::Verdict;
    let who = FakeWho {
        company: Some("Acme Corporation"),
        ..FakeWho::default()
    };
    let not_acme = answered(Verdict::None, None);
    let p = planned(decide(NOTIFY, &issue("wile", "User"), &who, &not_acme).await);
    assert_eq!(p.affiliation.account, None);
    assert!(
        p.plan.rules.is_empty(),
        "the rule on accounts no longer matches"
    );
    assert_eq!(
        p.affiliation.evidence[0].signal,
        crate::affiliation::Signal::Correction
    );
    assert!(
        p.sighting.evidence.contains("corrected by @dana via Slack"),
        "{}",
        p.sighting.evidence
    );

    let plain = FakeWho::default();
    let acme = answered(Verdict::Account, Some("acme"));
    let p = planned(decide(NOTIFY, &issue("wile", "User"), &plain, &acme).await);
    assert_eq!(p.affiliation.account.as_deref(), Some("acme"));
    assert_eq!(p.sighting.rules, ["acme"]);
    assert_eq!(
        p.sighting.signal,
        Some(crate::affiliation::Signal::Correction)
    );
    assert_eq!(
        p.sighting.signal,
        Some(crate::affiliation::Signal::Correction)
    );

    let ignored = answered(Verdict::Ignore, None);
    let Decision::Nothing(why) = decide(NOTIFY, &issue("wile", "User"), &who, &ignored).await
    else {
        panic!("an ignored person is planned for");
    };
    assert!(
        why.contains("wile is ignored: @dana said so via Slack"),
        "{why}"
    );

    let mut forgotten = history(true);
    forgotten.standing.forgotten = true;
    let Decision::Nothing(why) = decide(NOTIFY, &issue("wile", "User"), &who, &forgotten).await
    else {
        panic!("a forgotten person is planned for");
    };
    assert!(why.contains("asked to be forgotten"), "{why}");
    assert_eq!(
        who.asked.lock().unwrap().len(),
        1,
        "looked up once, for the first decision only"
    );
}

#[tokio::test]
async fn a_lead_last_seen_at_another_organization_moved() {
    let who = FakeWho {
        company: Some("Acme Corporation"),
        ..FakeWho::default()
    };
    let mut h = history(true);
    h.standing.tenures = vec![crate::people::Tenure {
        key: "org:initech".into(),
        name: "Initech".into(),
        account: None,
        first_at: 10,
        last_at: 500,
    }];
    let p = planned(decide(NOTIFY, &issue("wile", "User"), &who, &h).await);
    let moved = p.moved.expect("a move");
    assert_eq!(
        (moved.from.name.as_str(), moved.to_key.as_str()),
        ("Initech", "account:acme")
    );
    let same = history(true);
    let p = planned(decide(NOTIFY, &issue("wile", "User"), &who, &same).await);
    assert!(p.moved.is_none());
}

const MOVES: &str = "rules:
  - name: acme
    on: [issues.opened]
    if: { account: any }
    do: { notify: [sales] }
  - name: moved
    on: [affiliation.changed]
    if: { account: any, previous_account: [globex] }
    do: { notify: [sales] }
";

fn seen_at(key: &str, account: Option<&str>, name: &str) -> crate::people::Tenure {
    crate::people::Tenure {
        key: key.into(),
        name: name.into(),
        account: account.map(str::to_string),
        first_at: 100,
        last_at: 500,
    }
}

#[tokio::test]
async fn a_lead_last_seen_elsewhere_makes_a_job_change_planned_on_its_own() {
    let who = FakeWho {
        company: Some("Acme Corporation"),
        ..FakeWho::default()
    };
    let mut h = history(false);
    h.standing.tenures = vec![seen_at(
        "account:globex",
        Some("globex"),
        "Globex Corporation",
    )];
    let p = planned(decide(MOVES, &issue("jane-dev", "User"), &who, &h).await);
    assert_eq!(p.plan.rules, ["acme"], "the delivery's own plan");
    let change = p.change.expect("a job change");
    let s = &change.sighting;
    assert_eq!(s.delivery_id, "d1:moved");
    assert_eq!(s.event, EventKind::AffiliationChanged);
    assert_eq!(s.account.as_deref(), Some("acme"));
    assert_eq!(s.url, p.sighting.url);
    assert_eq!(
        s.moved_from.as_ref().map(|t| t.key.as_str()),
        Some("account:globex")
    );
    assert_eq!(change.plan.rules, ["moved"]);
    assert_eq!(s.rules, ["moved"]);
    assert_eq!(change.plan.notify, ["sales"]);
}

#[tokio::test]
async fn the_same_organization_again_or_a_first_sighting_makes_no_job_change() {
    let who = FakeWho {
        company: Some("Acme Corporation"),
        ..FakeWho::default()
    };
    let mut h = history(false);
    h.standing.tenures = vec![seen_at("account:acme", Some("acme"), "Acme Corporation")];
    let p = planned(decide(MOVES, &issue("jane-dev", "User"), &who, &h).await);
    assert!(p.change.is_none() && p.moved.is_none());
    let p = planned(decide(MOVES, &issue("jane-dev", "User"), &who, &history(false)).await);
    assert!(p.change.is_none());
}
