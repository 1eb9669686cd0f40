//! Affiliation against a corpus of realistic profiles
//! (`tests/fixtures/affiliation_corpus.yaml`), and `orgradar explain`
//! through the real binary.

use crate::support::{TestDir, cli};
use orgradar::affiliation::{
    Account, Accounts, Affiliation, Context, HostedPattern, Profile, classify,
};
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
    /// As app.yml's `affiliation.hosted_pages`.
    #[serde(default)]
    pub hosted_pages: Vec<String>,
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
    /// What the case tests: past, names, parent, pages, bio, machine, text
    /// (one of the behaviours of the Affiliation section); none: general.
    #[serde(default)]
    pub class: Option<String>,
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
        Accounts::new(self.accounts.clone(), self.people.clone())
            .unwrap()
            .with_hosted_pages(self.hosted())
    }

    /// The corpus's `hosted_pages`, read as app.yml's are.
    pub fn hosted(&self) -> Vec<HostedPattern> {
        self.hosted_pages
            .iter()
            .map(|p| HostedPattern::parse(p).unwrap())
            .collect()
    }

    pub fn context(&self, case: &Case) -> Context {
        Context {
            author_association: case
                .association
                .as_deref()
                .map(orgradar::affiliation::Association::parse),
            installation_account: Some(self.installation.clone()),
        }
    }
}

/// Counts of one class of cases.
#[derive(Default)]
struct Tally {
    cases: usize,
    expected: usize,
    right: usize,
    wrong: usize,
    missed: usize,
}

impl Tally {
    fn precision(&self) -> f64 {
        self.right as f64 / (self.right + self.wrong).max(1) as f64
    }

    fn recall(&self) -> f64 {
        self.right as f64 / self.expected.max(1) as f64
    }

    fn line(&self, name: &str) -> String {
        format!(
            "{name:<10} {:>5} {:>9} {:>6} {:>6} {:>7} {:>9.1}% {:>7.1}%",
            self.cases,
            self.expected,
            self.right,
            self.wrong,
            self.missed,
            self.precision() * 100.0,
            self.recall() * 100.0
        )
    }
}

/// Confidence bands of the calibration table: [low, high).
const BANDS: [(f64, f64); 6] = [
    (0.0, 0.5),
    (0.5, 0.6),
    (0.6, 0.7),
    (0.7, 0.8),
    (0.8, 0.9),
    (0.9, 1.01),
];

#[test]
fn corpus_precision_and_recall() {
    let corpus = corpus();
    assert!(corpus.cases.len() >= 600, "{} cases", corpus.cases.len());
    let accounts = corpus.accounts();
    let mut total = Tally::default();
    let mut classes: BTreeMap<String, Tally> = BTreeMap::new();
    // Per band: answers naming an account or organization, and how many were right.
    let mut bands = [(0usize, 0usize); BANDS.len()];
    let mut failures = Vec::new();
    for case in &corpus.cases {
        let a = classify(&case.profile(), &accounts, &corpus.context(case));
        let why = || describe(case, &a);
        let class = classes
            .entry(case.class.clone().unwrap_or_else(|| "general".into()))
            .or_default();
        class.cases += 1;
        total.cases += 1;
        if case.account.is_some() {
            class.expected += 1;
            total.expected += 1;
        }
        let mut right_answer = true;
        match (&case.account, &a.account) {
            (Some(want), Some(got)) if want == got => {
                class.right += 1;
                total.right += 1;
            }
            (_, Some(_)) => {
                class.wrong += 1;
                total.wrong += 1;
                right_answer = false;
                failures.push(format!("WRONG ACCOUNT {}", why()));
            }
            (Some(_), None) => {
                class.missed += 1;
                total.missed += 1;
                right_answer = false;
                failures.push(format!("missed {}", why()));
            }
            (None, None) => {}
        }
        if let Some(org) = &case.organization
            && a.organization.as_ref() != Some(org)
        {
            right_answer = false;
            failures.push(format!("organization should be {org:?}: {}", why()));
        }
        if case.no_organization && a.organization.is_some() {
            right_answer = false;
            failures.push(format!("organization should be none: {}", why()));
        }
        if case.bot.is_some_and(|b| b != a.bot) || (case.bot.is_none() && a.bot) {
            failures.push(format!("bot should be {:?}: {}", case.bot, why()));
        }
        if case.insider.is_some_and(|i| i != a.insider) {
            failures.push(format!("insider should be {:?}: {}", case.insider, why()));
        }
        if !(0.0..=1.0).contains(&a.confidence) || a.confidence.is_nan() {
            failures.push(format!("confidence out of range: {}", why()));
        }
        if a.account.is_some() || a.organization.is_some() {
            let band = BANDS
                .iter()
                .position(|(low, high)| (*low..*high).contains(&a.confidence))
                .unwrap_or(0);
            bands[band].0 += 1;
            bands[band].1 += usize::from(right_answer);
        }
    }
    println!(
        "affiliation corpus: {} cases, {} with a target account; precision {:.1}% ({} right, {} wrong), recall {:.1}% ({} missed)",
        total.cases,
        total.expected,
        total.precision() * 100.0,
        total.right,
        total.wrong,
        total.recall() * 100.0,
        total.missed
    );
    println!("\nclass      cases  expected  right  wrong  missed  precision  recall");
    for (name, tally) in &classes {
        println!("{}", tally.line(name));
    }
    println!("{}", total.line("all"));
    println!("\nconfidence  answers  right");
    for ((low, high), (cases, right)) in BANDS.iter().zip(bands) {
        let shown_high = high.min(1.0);
        let rate = right as f64 / cases.max(1) as f64 * 100.0;
        println!("{low:.1}–{shown_high:.1}   {cases:>7}  {right:>5} ({rate:.1}%)");
    }
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
        total.recall() >= 0.95,
        "recall {:.3} is below 95%:\n{}",
        total.recall(),
        failures.join("\n")
    );
    let (sure, sure_right) = bands[4..]
        .iter()
        .fold((0, 0), |(c, r), (cases, right)| (c + cases, r + right));
    assert!(
        sure_right as f64 >= 0.99 * sure as f64,
        "answers at confidence 0.8 or more: {sure_right} of {sure} right, below 99%"
    );
    let per_class: Vec<_> = classes
        .iter()
        .filter(|(name, _)| name.as_str() != "general")
        .filter(|(_, t)| t.cases < 25)
        .map(|(name, t)| format!("{name}: {}", t.cases))
        .collect();
    assert!(
        per_class.is_empty(),
        "classes with fewer than 25 cases: {per_class:?}"
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

/// `orgradar explain --profile PROFILE --config CONFIG --json`, which must
/// succeed and print one JSON object.
fn explain_json(dir: &TestDir, profile: &str, config: &str) -> Value {
    let out = cli(
        dir,
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
    serde_json::from_slice(&out.stdout).expect("one JSON object")
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
    let v = explain_json(&dir, profile, config);
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
    let text = v.to_string();
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

    // GitHub's answer to GET /users/LOGIN alone is a profile too.
    let raw = dir.path().join("raw.json");
    std::fs::write(
        &raw,
        r#"{"login": "jane", "id": 7, "type": "User", "company": "Globex Corporation", "email": "jane@globex.com", "public_repos": 2}"#,
    )
    .unwrap();
    let out = cli(
        &dir,
        &[
            "explain",
            "--profile",
            raw.to_str().unwrap(),
            "--config",
            config,
        ],
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.starts_with("jane → Globex Corporation"), "{text}");

    std::fs::write(dir.path().join("bad.json"), r#"{"name": "Jane"}"#).unwrap();
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
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("is not a profile"), "{stderr}");
    assert!(stderr.contains("GET /users/LOGIN"), "{stderr}");
}

#[test]
fn explain_says_why_each_discounted_signal_was_discounted() {
    let dir = TestDir::sqlite();
    let config = dir.path().join("app.yml");
    std::fs::write(
        &config,
        "name: orgradar\naffiliation:\n  hosted_pages: [\"acme.com/gallery/*\"]\naccounts:\n  - {id: acme, name: Acme Corporation, domains: [acme.com], github_orgs: [acme]}\n  - {id: target, name: Target Corporation, domains: [target.com]}\n",
    )
    .unwrap();
    let profile = dir.path().join("jane.json");
    std::fs::write(
        &profile,
        r#"{"user": {"login": "jane", "type": "User", "company": "@acme",
                     "bio": "Left Acme in 2021. Now SRE at Target Valley Credit Union.",
                     "blog": "https://acme.com/gallery/jane"},
            "orgs": [{"login": "acme"}]}"#,
    )
    .unwrap();
    let (config, profile) = (config.to_str().unwrap(), profile.to_str().unwrap());
    let v = explain_json(&dir, profile, config);
    assert_eq!(v["account"], Value::Null, "{v}");
    let note = |signal: &str| -> String {
        v["evidence"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["signal"] == signal)
            .and_then(|e| e["note"].as_str())
            .unwrap_or_else(|| panic!("no {signal} in {v}"))
            .to_string()
    };
    assert!(
        note("org_membership").contains("a past employer in the bio: \"Left Acme in 2021.\""),
        "{v}"
    );
    assert!(note("company_mention").contains("outweighed"), "{v}");
    assert!(note("past_employer").contains("account `acme`"), "{v}");
    assert!(note("longer_name").contains("longer name"), "{v}");
    assert!(note("hosted_page").contains("acme.com/gallery/*"), "{v}");

    let out = cli(&dir, &["explain", "--profile", profile, "--config", config]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("jane → no organization found"), "{text}");
    assert!(text.contains("x org_membership"), "{text}");
    assert!(text.contains("- hosted_page"), "{text}");

    std::fs::write(
        dir.path().join("bad.yml"),
        "name: orgradar\naffiliation:\n  hosted_pages: [\"https://acme.com\"]\n",
    )
    .unwrap();
    let bad = dir.path().join("bad.yml");
    let out = cli(
        &dir,
        &[
            "explain",
            "--profile",
            profile,
            "--config",
            bad.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("bad.yml:3:") && stderr.contains("not a page pattern"),
        "{stderr}"
    );
}
