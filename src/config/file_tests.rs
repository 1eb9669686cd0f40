//! The tests of [`super`]: app.yml's parsing and its file-level checks.

use super::*;

fn parse(text: &str) -> Result<AppFile, ConfigError> {
    AppFile::parse(text, Path::new("app.yml"))
}

#[test]
fn the_shipped_app_yml_is_valid() {
    let text = include_str!("../../app.yml");
    let app = parse(text).unwrap();
    assert_eq!(app.name.value, "orgradar");
}

#[test]
fn the_rules_example_in_app_yml_is_valid_once_uncommented() {
    let text = include_str!("../../app.yml");
    let (_, rest) = text.split_once("# >>> example\n").unwrap();
    let (block, _) = rest.split_once("# <<< example").unwrap();
    let yaml: String = block
        .lines()
        .map(|l| format!("{}\n", l.strip_prefix("# ").unwrap_or(l)))
        .collect();
    let full = format!("{text}\n{yaml}");
    let app = parse(&full).unwrap();
    let rules = app.rule_set(Path::new("app.yml")).unwrap();
    assert_eq!(rules.rules.len(), 4);
    assert!(rules.product_digest.is_some());
    assert!(rules.intent.topics().iter().any(|t| t.id == "gitops"));
    assert!(!rules.intent.topics().iter().any(|t| t.id == "integration"));
    assert_eq!(
        rules.scoring,
        crate::score::Weights::default(),
        "the defaults, as shown"
    );
    assert_eq!(rules.channels.len(), 4);
    assert!(rules.digest.is_some() && rules.ignores("Our-Release-Bot"));
    assert!(
        crate::rules::warnings(
            &rules,
            |_| Some("set".into()),
            &["enterprise".into()].into()
        )
        .iter()
        .all(|w| w.contains("labels are public"))
    );
}

#[test]
fn unknown_key_is_refused_with_line_and_column() {
    let err = parse("name: x\nworker:\n  concurrency: 2\n  wrokers: 3\n").unwrap_err();
    assert_eq!(
        err.to_string(),
        "app.yml:4:3: unknown field `wrokers`, expected one of concurrency, max_attempts, retry_base, retry_max, lease"
    );
}

#[test]
fn the_budget_reserve_is_a_share_with_a_clear_error() {
    let app = parse("name: x\ngithub:\n  reserve: 15%\n").unwrap();
    assert_eq!(app.github.reserve, Share(0.15));
    assert_eq!(parse("name: x\n").unwrap().github.reserve, Share(0.10));
    let err = parse("name: x\ngithub:\n  reserve: 80%\n").unwrap_err();
    let text = err.to_string();
    assert!(text.starts_with("app.yml:3:"), "{text}");
    assert!(text.contains("e.g. `reserve: 10%`"), "{text}");
}

#[test]
fn wrong_permission_level_names_the_choices() {
    let err = parse("name: x\ndefault_permissions:\n  issues: wrte\n").unwrap_err();
    let text = err.to_string();
    assert!(text.starts_with("app.yml:3:"), "{text}");
    assert!(text.contains("wrte"), "{text}");
}

#[test]
fn out_of_range_setting_points_at_its_value() {
    let err = parse("name: x\nworker:\n  concurrency: 0\n").unwrap_err();
    assert_eq!(
        err.to_string(),
        "app.yml:3:16: worker.concurrency must be between 1 and 256, not 0"
    );
}

#[test]
fn name_is_required_and_bounded() {
    assert!(
        parse("public: true\n")
            .unwrap_err()
            .to_string()
            .contains("name")
    );
    let long = format!("name: {}\n", "a".repeat(35));
    let err = parse(&long).unwrap_err().to_string();
    assert!(
        err.starts_with("app.yml:1:7: name must be 1 to 34"),
        "{err}"
    );
}
