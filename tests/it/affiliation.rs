//! Affiliation against a corpus of realistic profiles
//! (`tests/fixtures/affiliation_corpus.yaml`), and `orgradar explain`
//! through the real binary.

use crate::support::{TestDir, cli};
use orgradar::affiliation::{Account, Accounts, Affiliation, Context, Profile, classify};
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Corpus {
    pub installation: String,
    pub people: BTreeMap<String, String>,
    pub accounts: Vec<Account>,
    pub cases: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    pub user: Value,
    #[serde(default)]
    pub orgs: Option<Vec<String>>,
    #[serde(default)]
    pub commit_emails: Option<Vec<String>>,
    #[serde(default)]
    pub association: Option<String>,
    pub account: Option<String>,
    #[serde(default)]
    pub organization: Option<String>,
    #[serde(default)]
    pub no_organization: bool,
    #[serde(default)]
    pub bot: Option<bool>,
    #[serde(default)]
    pub insider: Option<bool>,
}

impl Case {
    pub fn profile(&self) -> Profile {
        let answer =
            json!({"user": self.user, "orgs": self.orgs, "commit_emails": self.commit_emails});
        serde_json::from_value(answer).expect("a case's user is a GitHub user")
    }

    pub fn login(&self) -> &str {
        self.user["login"].as_str().unwrap_or("?")
    }
}

pub fn corpus() -> Corpus {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/affiliation_corpus.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

impl Corpus {
    pub fn accounts(&self) -> Accounts {
        Accounts::new(self.accounts.clone(), self.people.clone()).unwrap()
    }

    pub fn context(&self, case: &Case) -> Context {
        Context {
            author_association: case.association.clone(),
            installation_account: Some(self.installation.clone()),
        }
    }
}

#[test]
fn corpus_precision_and_recall() {
    let corpus = corpus();
    assert!(corpus.cases.len() >= 150, "{} cases", corpus.cases.len());
    let accounts = corpus.accounts();
    let (mut right, mut wrong, mut missed, mut expected) = (0, 0, 0, 0);
    let mut failures = Vec::new();
    for case in &corpus.cases {
        let a = classify(&case.profile(), &accounts, &corpus.context(case));
        let why = || describe(case, &a);
        if case.account.is_some() {
            expected += 1;
        }
        match (&case.account, &a.account) {
            (Some(want), Some(got)) if want == got => right += 1,
            (_, Some(_)) => {
                wrong += 1;
                failures.push(format!("WRONG ACCOUNT {}", why()));
            }
            (Some(_), None) => {
                missed += 1;
                failures.push(format!("missed {}", why()));
            }
            (None, None) => {}
        }
        if let Some(org) = &case.organization
            && a.organization.as_ref() != Some(org)
        {
            failures.push(format!("organization should be {org:?}: {}", why()));
        }
        if case.no_organization && a.organization.is_some() {
            failures.push(format!("organization should be none: {}", why()));
        }
        if case.bot.is_some_and(|b| b != a.bot) || (case.bot.is_none() && a.bot) {
            failures.push(format!("bot should be {:?}: {}", case.bot, why()));
        }
        if case.insider.is_some_and(|i| i != a.insider) {
            failures.push(format!("insider should be {:?}: {}", case.insider, why()));
        }
        if a.account.is_some() && !(0.0..=1.0).contains(&a.confidence) || a.confidence.is_nan() {
            failures.push(format!("confidence out of range: {}", why()));
        }
    }
    let precision = right as f64 / (right + wrong).max(1) as f64;
    let recall = right as f64 / expected.max(1) as f64;
    println!(
        "affiliation corpus: {} cases, {expected} with a target account; precision {:.1}% ({right} right, {wrong} wrong), recall {:.1}% ({missed} missed)",
        corpus.cases.len(),
        precision * 100.0,
        recall * 100.0
    );
    for f in &failures {
        println!("  {f}");
    }
    let serious: Vec<_> = failures
        .iter()
        .filter(|f| !f.starts_with("missed"))
        .collect();
    assert!(
        serious.is_empty(),
        "{} failures:\n{}",
        serious.len(),
        failures.join("\n")
    );
    assert!(
        recall >= 0.95,
        "recall {recall:.3} is below 95%:\n{}",
        failures.join("\n")
    );
}

fn describe(case: &Case, a: &Affiliation) -> String {
    let evidence: Vec<String> = a
        .evidence
        .iter()
        .map(|e| {
            format!(
                "{}:{}->{}",
                e.signal,
                e.value,
                e.account
                    .as_deref()
                    .or(e.organization.as_deref())
                    .unwrap_or("-")
            )
        })
        .collect();
    format!(
        "{} (want {:?}, got {:?}, organization {:?}) {} [{}]",
        case.login(),
        case.account,
        a.account,
        a.organization,
        case.user,
        evidence.join(", ")
    )
}

#[test]
fn the_corpus_profiles_hold_no_full_email_address_in_any_answer() {
    let corpus = corpus();
    let accounts = corpus.accounts();
    for case in &corpus.cases {
        let a = classify(&case.profile(), &accounts, &corpus.context(case));
        let text = serde_json::to_string(&a).unwrap();
        let emails = [case.user["email"].as_str()]
            .into_iter()
            .flatten()
            .chain(case.commit_emails.iter().flatten().map(String::as_str));
        for email in emails {
            assert!(!text.contains(email), "{email} in {text}");
            assert!(
                !text.contains(&format!("{}@", email.split('@').next().unwrap_or_default())),
                "{text}"
            );
        }
    }
}

#[test]
fn explain_prints_one_json_object_or_a_readable_answer() {
    let dir = TestDir::sqlite();
    let config = dir.path().join("app.yml");
    std::fs::write(
        &config,
        "name: orgradar\naccounts:\n  - id: acme\n    name: Acme Corporation\n    tier: strategic\n    domains: [acme.com]\n    github_orgs: [acme]\naccounts_file: crm/accounts.csv\n",
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("crm")).unwrap();
    std::fs::write(
        dir.path().join("crm/accounts.csv"),
        "id,name,tier,domains,github_orgs,aliases\nglobex,Globex Corporation,enterprise,globex.com,globex,Globex Corp\n",
    )
    .unwrap();
    let profile = dir.path().join("jane.json");
    std::fs::write(
        &profile,
        r#"{"user": {"login": "jane", "id": 7, "type": "User", "company": "@globex, previously @acme",
                     "email": "jane.doe@gmail.com", "blog": "https://jane.github.io"},
            "orgs": [{"login": "rust-lang"}],
            "commit_emails": ["jane.doe@eng.globex.com"]}"#,
    )
    .unwrap();
    let (config, profile) = (config.to_str().unwrap(), profile.to_str().unwrap());
    let out = cli(
        &dir,
        &[
            "explain",
            "--profile",
            profile,
            "--config",
            config,
            "--json",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    assert_eq!(v["login"], "jane");
    assert_eq!(v["account"], "globex");
    assert_eq!(v["organization"], "Globex Corporation");
    assert_eq!(v["tier"], "enterprise");
    assert_eq!(v["bot"], false);
    assert!(v["confidence"].as_f64().unwrap() > 0.9, "{v}");
    let evidence = v["evidence"].as_array().unwrap();
    let signals: Vec<&str> = evidence
        .iter()
        .map(|e| e["signal"].as_str().unwrap())
        .collect();
    assert_eq!(
        signals,
        [
            "company_mention",
            "past_employer",
            "free_mail",
            "email_domain",
            "personal_site"
        ],
        "{v}"
    );
    assert!(evidence.iter().all(|e| e["value"].is_string()));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        !text.contains("jane.doe"),
        "no full address in the output: {text}"
    );

    let out = cli(&dir, &["explain", "--profile", profile, "--config", config]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    assert!(
        text.starts_with("jane → Globex Corporation (target account `globex`, tier enterprise)"),
        "{text}"
    );
    assert!(text.contains("past_employer"), "{text}");
    assert!(!text.contains("jane.doe"), "{text}");

    let out = cli(&dir, &["explain", "octocat"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("credentials") && stderr.contains("--profile"),
        "{stderr}"
    );

    std::fs::write(dir.path().join("bad.json"), r#"{"login": "jane"}"#).unwrap();
    let bad = dir.path().join("bad.json");
    let out = cli(
        &dir,
        &[
            "explain",
            "--profile",
            bad.to_str().unwrap(),
            "--config",
            config,
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not a profile"));
}
