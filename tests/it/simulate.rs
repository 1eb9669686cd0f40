//! `orgradar simulate` explains a plan that matched no rule: for each rule,
//! the first condition that failed, in text and in `--json`.

use crate::support::*;
use serde_json::{Value, json};

#[test]
fn no_rule_matched_names_each_rules_first_failing_condition() {
    let dir = TestDir::sqlite();
    let config = dir.path().join("app.yml");
    std::fs::write(
        &config,
        r##"name: orgradar-test
channels:
  sales: { slack_channel: "#sales" }
accounts:
  - { id: globex, name: Globex Corporation, tier: enterprise, domains: [globex.com] }
rules:
  - name: enterprise
    on: [issues.opened]
    if: { tier: [enterprise] }
    do: { notify: [sales] }
  - name: stars
    on: [star.created]
    do: { notify: [sales] }
"##,
    )
    .unwrap();
    let payload = dir.path().join("issue.json");
    std::fs::write(&payload, issue_opened(1, "alice")).unwrap();
    let profile = dir.path().join("someone.json");
    let user = json!({ "login": "someone", "id": 1, "type": "User", "company": "Initech" });
    std::fs::write(&profile, user.to_string()).unwrap();
    let env = [("ORGRADAR_CONFIG", config.to_str().unwrap())];
    let mut args = vec![
        "simulate",
        "--event",
        "issues",
        payload.to_str().unwrap(),
        "--profile",
        profile.to_str().unwrap(),
    ];
    let out = cli_with(&dir, &env, &args);
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("no rule matched"), "{text}");
    assert!(
        text.contains("rule `enterprise`: `tier:` is enterprise, and the person's is none"),
        "{text}"
    );
    assert!(
        text.contains("rule `stars`: `on:` lists star.created, not issues.opened"),
        "{text}"
    );
    let note = String::from_utf8_lossy(&out.stderr);
    assert!(
        note.contains("stands in for the payload's author alice"),
        "{note}"
    );

    args.push("--json");
    let out = cli_with(&dir, &env, &args);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules: Vec<&str> = report["misses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["enterprise", "stars"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn simulate_and_explain_look_people_up_live_and_write_nothing() {
    use crate::support::fake_github::{APP_ID, FakeGitHub, PRIVATE_KEY};
    let fake = FakeGitHub::start().await;
    fake.add_installation(7, "acme");
    fake.add_user(
        "alice",
        json!({ "id": 1, "type": "User", "email": "alice@globex.com" }),
        &[],
    );
    let dir = TestDir::sqlite();
    let config = dir.path().join("app.yml");
    std::fs::write(
        &config,
        "name: orgradar-test\naccounts:\n  - { id: globex, name: Globex Corporation, domains: [globex.com] }\n",
    )
    .unwrap();
    let payload = dir.path().join("issue.json");
    std::fs::write(&payload, issue_opened(1, "alice")).unwrap();
    let app_id = APP_ID.to_string();
    let env = [
        ("ORGRADAR_CONFIG", config.to_str().unwrap()),
        ("APP_ID", app_id.as_str()),
        ("PRIVATE_KEY", PRIVATE_KEY),
        ("GITHUB_API_URL", fake.api_url.as_str()),
    ];
    let simulate = [
        "simulate",
        "--event",
        "issues",
        payload.to_str().unwrap(),
        "--json",
    ];
    let out = cli_with(&dir, &env, &simulate);
    assert!(out.status.success(), "{out:?}");
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["affiliation"]["account"], "globex");

    let out = cli_with(&dir, &env, &["explain", "alice", "--json"]);
    assert!(out.status.success(), "{out:?}");
    let answer: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(answer["account"], "globex");

    assert!(
        fake.requests().iter().any(|r| r.path == "/graphql"),
        "alice was looked up on GitHub"
    );
    assert!(
        !dir.path().join("orgradar.db").exists(),
        "simulate and explain created the store"
    );
}

#[test]
fn previous_simulates_a_job_change_and_the_rules_on_it() {
    let dir = TestDir::sqlite();
    let config = dir.path().join("app.yml");
    std::fs::write(
        &config,
        r##"name: orgradar-test
channels:
  sales: { slack_channel: "#sales" }
accounts:
  - { id: globex, name: Globex Corporation, tier: enterprise }
  - { id: acme, name: Acme Corporation, tier: enterprise, domains: [acme.com] }
rules:
  - name: left-globex
    on: [affiliation.changed]
    if: { account: any, previous_account: [globex] }
    do: { notify: [sales] }
"##,
    )
    .unwrap();
    let payload = dir.path().join("issue.json");
    std::fs::write(&payload, issue_opened(1, "jane-dev")).unwrap();
    let profile = dir.path().join("jane.json");
    let user = json!({ "login": "jane-dev", "id": 1, "type": "User", "email": "jane@acme.com" });
    std::fs::write(&profile, user.to_string()).unwrap();
    let env = [("ORGRADAR_CONFIG", config.to_str().unwrap())];
    let args = |previous: &'static str| {
        vec![
            "simulate".to_string(),
            "--event".into(),
            "issues".into(),
            payload.display().to_string(),
            "--profile".into(),
            profile.display().to_string(),
            "--previous".into(),
            previous.into(),
        ]
    };
    let run = |previous: &'static str| {
        let args = args(previous);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        cli_with(&dir, &env, &args)
    };

    let out = run("globex");
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("no rule matched: nothing would be done"),
        "{text}"
    );
    assert!(
        text.contains("job change (affiliation.changed): jane-dev moved from Globex Corporation to Acme Corporation (at Globex Corporation "),
        "{text}"
    );
    assert!(text.contains("rules matched: left-globex"), "{text}");
    assert!(text.contains("--- sales (job change) ---"), "{text}");

    let out = run("initech");
    assert!(!out.status.success());
    let error = String::from_utf8_lossy(&out.stderr);
    assert!(
        error.contains("--previous names `initech`, which is no target account"),
        "{error}"
    );
    assert!(error.contains("acme, globex"), "{error}");
}
