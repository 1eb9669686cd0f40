//! The command line explains itself: `serve --help` lists the environment,
//! `migrate` says what it did, and errors name the option that was given.

use crate::support::*;

fn run(dir: &TestDir, env: &[(&str, &str)], args: &[&str]) -> (bool, String, String) {
    let out = cli_with(dir, env, args);
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn serve_help_names_every_environment_variable_with_its_meaning_and_default() {
    let dir = TestDir::sqlite();
    let (ok, help, stderr) = run(&dir, &[], &["serve", "--help"]);
    assert!(ok, "{stderr}");
    let variables = orgradar::config::variables::VARIABLES;
    assert!(variables.len() > 25);
    for (name, default, meaning) in variables {
        let line = help
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{name} ")))
            .unwrap_or_else(|| panic!("{name} is not in serve --help:\n{help}"));
        assert!(line.contains(meaning), "{line}");
        assert!(line.contains(&format!("[default: {default}]")), "{line}");
    }
}

async fn migrate_says_what_it_applied_and_then_that_the_store_is_up_to_date(dir: TestDir) {
    let (ok, fresh, stderr) = run(&dir, &[], &["migrate"]);
    assert!(ok, "{stderr}");
    let fresh = fresh.trim();
    assert!(fresh.starts_with("applied migrations 1, 2, 3,"), "{fresh}");
    let version = fresh.rsplit_once("; the store is at version ").unwrap().1;
    assert!(
        fresh.contains(&format!(", {version};")),
        "the last one applied is the store's version: {fresh}"
    );

    let (ok, again, stderr) = run(&dir, &[], &["migrate"]);
    assert!(ok, "{stderr}");
    assert_eq!(
        again.trim(),
        format!("the store is up to date at version {version}")
    );
}

crate::on_both_stores!(migrate_says_what_it_applied_and_then_that_the_store_is_up_to_date);

#[test]
fn a_config_that_cannot_be_read_is_named_by_the_option_or_variable_that_gave_it() {
    let dir = TestDir::sqlite();
    for command in ["check", "simulate", "explain"] {
        let mut args = vec![command, "--config", "nope.yml"];
        match command {
            "simulate" => args.extend(["--event", "issues", "payload.json"]),
            "explain" => args.extend(["--profile", "jane.json"]),
            _ => {}
        }
        let (ok, _, stderr) = run(&dir, &[], &args);
        assert!(!ok);
        assert!(
            stderr.starts_with("error: --config nope.yml: cannot read it"),
            "{command}: {stderr}"
        );
        assert!(!stderr.contains("ORGRADAR_CONFIG"), "{command}: {stderr}");
    }
    let (ok, _, stderr) = run(&dir, &[("ORGRADAR_CONFIG", "gone.yml")], &["check"]);
    assert!(!ok);
    assert!(
        stderr.starts_with("error: ORGRADAR_CONFIG=gone.yml: cannot read it"),
        "{stderr}"
    );
}
