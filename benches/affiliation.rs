//! Classifying one profile against 10,000 target accounts from a generated
//! CRM export: a company email, a company name with a past employer,
//! an individual, org memberships and commit emails, and a profile with a
//! bio, date ranges and a hosted page. `cargo bench --bench affiliation`

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use orgradar::affiliation::{Accounts, Context, Profile, classify, parse_csv};
use std::fmt::Write;
use std::hint::black_box;
use std::path::Path;

const ACCOUNTS: usize = 10_000;

/// A CRM export: `id,name,tier,domains,github_orgs,aliases`, with made-up
/// but distinct company names ("Zorvexa Dynamics"), two domains and an org each.
fn crm_export() -> String {
    let syllables = [
        "zor", "vex", "ka", "lin", "tra", "mo", "quin", "del", "sar", "bo", "nix", "ter", "ul",
        "pha", "gri", "do", "ven", "ra", "cal", "io",
    ];
    let kinds = [
        "Dynamics",
        "Systems",
        "Labs",
        "Analytics",
        "Logistics",
        "Health",
        "Bank",
        "Media",
    ];
    let tiers = ["strategic", "enterprise", "growth"];
    let mut rng = fastrand::Rng::with_seed(4);
    let mut csv = String::from("id,name,tier,domains,github_orgs,aliases\n");
    for i in 0..ACCOUNTS {
        let word: String = (0..3)
            .map(|_| syllables[rng.usize(..syllables.len())])
            .collect();
        let word = format!("{word}{i}");
        let kind = kinds[rng.usize(..kinds.len())];
        let _ = writeln!(
            csv,
            "acct-{i},\"{} {kind}, Inc.\",{},{word}.com;{word}.co.uk,{word};{word}-labs,{} Group",
            capitalized(&word),
            tiers[i % 3],
            capitalized(&word),
        );
    }
    csv
}

fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn profile(json: &str) -> Profile {
    Profile::from_json(json).unwrap()
}

fn affiliation(c: &mut Criterion) {
    let specs = parse_csv(&crm_export(), Path::new("accounts.csv")).unwrap();
    let accounts = Accounts::build(specs, Vec::new()).unwrap();
    assert_eq!(accounts.len(), ACCOUNTS);
    let some = accounts.iter().nth(4242).cloned().unwrap();
    let word = some.github_orgs[0].clone();
    let context = Context {
        author_association: Some(orgradar::affiliation::Association::None),
        installation_account: Some("our-project".into()),
    };
    let profiles = [
        (
            "company_email",
            profile(&format!(
                r#"{{"user": {{"login": "jane", "email": "jane@eng.{}"}}}}"#,
                some.domains[0]
            )),
        ),
        (
            "company_name_and_past_employer",
            profile(&format!(
                r#"{{"user": {{"login": "jane", "name": "Jane Doe", "company": "Senior Engineer at {}, ex-Google", "email": "jane@gmail.com", "blog": "https://jane.github.io"}}}}"#,
                some.name
            )),
        ),
        (
            "individual_no_match",
            profile(
                r#"{"user": {"login": "jdoe", "name": "John Doe", "company": "Freelance", "email": "jdoe@proton.me", "blog": "https://jdoe.dev"}, "orgs": [{"login": "rust-lang"}]}"#,
            ),
        ),
        (
            "orgs_and_commit_emails",
            profile(&format!(
                r#"{{"user": {{"login": "jane", "company": "@{word}"}}, "orgs": [{{"login": "rust-lang"}}, {{"login": "{word}-labs"}}], "commit_emails": ["jane@{}", "1+jane@users.noreply.github.com"]}}"#,
                some.domains[1]
            )),
        ),
        (
            "bio_dates_and_hosted_page",
            profile(&format!(
                r#"{{"user": {{"login": "jane", "name": "Jane Doe", "company": "{} (2019–present)", "bio": "Platform engineer at {}. Previously at Initrode (2014-2019); unofficial maintainer of the Acme SDK.", "blog": "https://community.{}/u/jane"}}}}"#,
                some.name, some.name, some.domains[0]
            )),
        ),
    ];
    for (_, p) in &profiles {
        assert_eq!(
            classify(p, &accounts, &context)
                .account
                .as_deref()
                .is_some(),
            p.login == "jane"
        );
    }
    let mut group = c.benchmark_group("affiliation/10000_accounts");
    for (name, p) in &profiles {
        group.bench_function(*name, |b| {
            b.iter(|| classify(black_box(p), &accounts, &context))
        });
    }
    // The four profiles measured before the bio was read, for comparison.
    let four = &profiles[..4];
    group.throughput(Throughput::Elements(four.len() as u64));
    group.bench_function("all_four", |b| {
        b.iter(|| {
            for (_, p) in four {
                black_box(classify(black_box(p), &accounts, &context));
            }
        })
    });
    group.finish();
    c.bench_function("affiliation/load_10000_account_crm_export", |b| {
        let text = crm_export();
        b.iter(|| {
            let specs = parse_csv(black_box(&text), Path::new("accounts.csv")).unwrap();
            Accounts::build(specs, Vec::new()).unwrap()
        })
    });
}

criterion_group!(benches, affiliation);
criterion_main!(benches);
