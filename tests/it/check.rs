//! `orgradar check` says what is missing and every mistake it finds, each
//! with its place, the setting, the type expected and an example.

use crate::support::*;

fn check(dir: &TestDir, yaml: &str, env: &[(&str, &str)]) -> (Option<i32>, String, String) {
    let file = dir.path().join("app.yml");
    std::fs::write(&file, yaml).unwrap();
    let out = cli_with(dir, env, &["check", "--config", file.to_str().unwrap()]);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn check_warns_when_orgradar_would_never_act() {
    let dir = TestDir::sqlite();
    let (code, stdout, _) = check(&dir, "name: orgradar\n", &[]);
    assert_eq!(code, Some(0));
    assert!(
        stdout.contains("warning: app.yml has no rules: orgradar will classify people but never label or notify anyone"),
        "{stdout}"
    );
    assert!(
        stdout.contains("warning: app.yml has no target accounts: orgradar will classify people but never label or notify anyone"),
        "{stdout}"
    );

    let yaml = "name: orgradar
accounts:
  - { id: globex, name: Globex Corporation, tier: enterprise, domains: [globex.com] }
dashboard: { allow_orgs: [acme] }
channels:
  leads: { github_issue: { repo: acme/leads } }
rules:
  - name: everything
    on: [issues.opened, star.created, fork]
    if: { tier: [enterprise] }
    do: { label: [enterprise], notify: [leads] }
";
    let (code, stdout, _) = check(&dir, yaml, &[]);
    assert_eq!(code, Some(0));
    assert!(!stdout.contains("has no rules"), "{stdout}");
    assert!(!stdout.contains("has no target accounts"), "{stdout}");
    assert!(
        stdout.contains("warning: rule `everything` labels, and is on star.created and fork: a star or a fork has no issue or pull request to carry a label"),
        "{stdout}"
    );
    assert!(
        stdout.contains("warning: dashboard.allow_orgs is set, but GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET are not: nobody can sign in"),
        "{stdout}"
    );

    // With the OAuth credentials, the dashboard's warning goes.
    let (_, stdout, _) = check(
        &dir,
        yaml,
        &[
            ("GITHUB_CLIENT_ID", "Iv1.test"),
            ("GITHUB_CLIENT_SECRET", "test-client-secret-93a1"),
        ],
    );
    assert!(!stdout.contains("allow_orgs"), "{stdout}");
    assert!(!stdout.contains("test-client-secret"), "{stdout}");
}

#[test]
fn a_type_mistake_names_the_setting_the_type_and_an_example() {
    let dir = TestDir::sqlite();
    let (code, _, stderr) = check(&dir, "name: orgradar\nworker:\n  concurrency: lots\n", &[]);
    assert_eq!(code, Some(1));
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.trim_end().ends_with(
            "app.yml:3:16: worker.concurrency must be a whole number, not `lots`, e.g. `concurrency: 32`"
        ),
        "{stderr}"
    );

    let (code, _, stderr) = check(&dir, "name: orgradar\npublic: maybe\n", &[]);
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains(
            "app.yml:2:9: public must be true or false, not `maybe`, e.g. `public: true`"
        ),
        "{stderr}"
    );
}

#[test]
fn check_reports_every_mistake_of_meaning_at_once() {
    let dir = TestDir::sqlite();
    let yaml = "name: orgradar
worker:
  concurrency: 0
  max_attempts: 500
accounts:
  - { id: globex, name: Globex Corporation }
  - { id: globex, name: Globex Again }
channels:
  leads: { github_issue: { repo: acme/leads } }
rules:
  - name: one
    on: [issues.opend]
    do: { notify: [leads] }
  - name: two
    on: [issues.opened]
    do: { notify: [leeds] }
";
    let (code, _, stderr) = check(&dir, yaml, &[]);
    assert_eq!(code, Some(1));
    let errors: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("error: "))
        .collect();
    for expected in [
        "app.yml:3:16: worker.concurrency must be between 1 and 256",
        "app.yml:4:17: worker.max_attempts must be between 1 and 100",
        "app.yml:12:",
        "app.yml:16:",
        "globex",
    ] {
        assert!(
            errors.iter().any(|e| e.contains(expected)),
            "{expected} missing from:\n{stderr}"
        );
    }
    assert!(errors.len() >= 5, "{stderr}");
}

#[test]
fn a_syntax_error_is_reported_at_its_place() {
    let dir = TestDir::sqlite();
    let (code, _, stderr) = check(&dir, "name: orgradar\nworker: { concurrency: 3\n", &[]);
    assert_eq!(code, Some(1));
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(stderr.contains("app.yml:2:9: unclosed bracket"), "{stderr}");

    let (code, _, stderr) = check(&dir, "name: orgradar\nworker:\n\tconcurrency: 3\n", &[]);
    assert_eq!(code, Some(1));
    assert!(stderr.contains("app.yml:3:"), "{stderr}");
    assert!(stderr.contains("indent with spaces, not tabs"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

#[test]
fn check_says_how_to_put_buttons_on_slack_notices() {
    let dir = TestDir::sqlite();
    let yaml = "name: orgradar
accounts:
  - { id: globex, name: Globex Corporation, tier: enterprise, domains: [globex.com] }
channels:
  sales: { slack_channel: \"#sales\" }
rules:
  - name: everything
    on: [issues.opened]
    if: { tier: [enterprise] }
    do: { notify: [sales] }
";
    let (code, stdout, _) = check(&dir, yaml, &[]);
    assert_eq!(code, Some(0));
    assert!(
        stdout.contains("note: SLACK_SIGNING_SECRET is not set, so Slack notices go out without Confirm / Not … / Ignore … buttons"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Basic Information → Signing Secret"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Request URL to https://YOUR-HOST/api/slack/interactions"),
        "{stdout}"
    );

    // With the signing secret, the note goes, and the secret is not shown.
    let (_, stdout, _) = check(
        &dir,
        yaml,
        &[("SLACK_SIGNING_SECRET", "slack-signing-s3cret-7d2e")],
    );
    assert!(!stdout.contains("SLACK_SIGNING_SECRET"), "{stdout}");
    assert!(!stdout.contains("s3cret"), "{stdout}");

    // Without a Slack channel there is nothing to click.
    let (_, stdout, _) = check(&dir, "name: orgradar\n", &[]);
    assert!(!stdout.contains("SLACK_SIGNING_SECRET"), "{stdout}");
}
