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
