//! Properties of affiliation over generated profiles: free mail and past
//! employers never create a match, and the order of accounts never matters.

use crate::affiliation::corpus;
use orgradar::affiliation::{
    Account, Accounts, Affiliation, Context, HostedPattern, Profile, classify,
};
use proptest::prelude::*;
use std::sync::LazyLock;

struct World {
    accounts: Vec<Account>,
    index: Accounts,
    people: Vec<(String, String)>,
    /// Names, aliases, `@org`s and domains to build profiles from.
    names: Vec<String>,
    orgs: Vec<String>,
    domains: Vec<String>,
    hosted: Vec<HostedPattern>,
}

static WORLD: LazyLock<World> = LazyLock::new(|| {
    let c = corpus();
    let accounts = c.accounts.clone();
    let names = accounts
        .iter()
        .flat_map(|a| std::iter::once(a.name.clone()).chain(a.aliases.clone()))
        .collect();
    let orgs = accounts
        .iter()
        .flat_map(|a| a.github_orgs.clone())
        .collect();
    let domains = accounts.iter().flat_map(|a| a.domains.clone()).collect();
    World {
        index: c.accounts(),
        hosted: c.hosted(),
        people: c.people.clone().into_iter().collect(),
        accounts,
        names,
        orgs,
        domains,
    }
});

const FREE: &[&str] = &[
    "gmail.com",
    "yahoo.co.uk",
    "outlook.com",
    "proton.me",
    "qq.com",
    "163.com",
    "web.de",
    "icloud.com",
    "hey.com",
    "users.noreply.github.com",
];

/// Company text assembled from names, mentions, markers and filler.
fn company() -> impl Strategy<Value = String> {
    let w = &*WORLD;
    let piece = prop_oneof![
        3 => prop::sample::select(w.names.clone()),
        2 => prop::sample::select(w.orgs.clone()).prop_map(|o| format!("@{o}")),
        1 => prop::sample::select(w.domains.clone()),
        2 => prop::sample::select(vec![
            "ex-", "former", "previously", "prev.", "now", "currently", "alum", "->", ",", "|",
            "(", ")", ";", "at", "@", "Engineer", "Senior", "Freelance", "Labs", "Inc.", "GmbH",
            "San", "Francisco", "Vandelay", "Industries", "Student", "-", "Developer", "Expert",
            "Société", "the", "of", "a",
        ])
        .prop_map(str::to_string),
    ];
    prop::collection::vec(piece, 0..6).prop_map(|parts| parts.join(" "))
}

fn email() -> impl Strategy<Value = Option<String>> {
    let w = &*WORLD;
    let domain = prop_oneof![
        prop::sample::select(w.domains.clone()),
        prop::sample::select(w.domains.clone()).prop_map(|d| format!("eng.{d}")),
        prop::sample::select(w.domains.clone()).prop_map(|d| format!("{d}.evil.io")),
        prop::sample::select(FREE.to_vec()).prop_map(str::to_string),
        Just("vandelay.com".to_string()),
    ];
    prop::option::of(domain.prop_map(|d| format!("someone@{d}")))
}

fn profile() -> impl Strategy<Value = Profile> {
    let w = &*WORLD;
    let logins = prop_oneof![
        4 => "[a-z][a-z0-9-]{0,12}",
        1 => prop::sample::select(w.people.iter().map(|(l, _)| l.clone()).collect::<Vec<_>>()),
    ];
    (
        logins,
        prop::option::of(company()),
        email(),
        prop::collection::vec(prop::sample::select(w.orgs.clone()), 0..3),
        prop::collection::vec(email(), 0..3),
        prop::option::of(prop::sample::select(w.domains.clone())),
    )
        .prop_map(|(login, company, email, orgs, commits, blog)| {
            let mut p = Profile::new(login);
            p.company = company;
            if let Some(e) = email {
                p.set_email(&e);
            }
            p.orgs = orgs;
            for e in commits.into_iter().flatten() {
                p.add_commit_email(&e);
            }
            p.blog = blog.map(|d| format!("https://{d}/"));
            p
        })
}

fn run(p: &Profile, accounts: &Accounts) -> Affiliation {
    let context = Context {
        author_association: None,
        installation_account: Some("our-project".into()),
    };
    classify(p, accounts, &context)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn a_free_mail_address_changes_nothing(p in profile(), free in prop::sample::select(FREE.to_vec()), as_profile_email in any::<bool>()) {
        let before = run(&p, &WORLD.index);
        let mut q = p.clone();
        if as_profile_email && q.email_domain.is_none() {
            q.set_email(&format!("jo@{free}"));
        } else {
            q.add_commit_email(&format!("jo@{free}"));
        }
        let after = run(&q, &WORLD.index);
        prop_assert_eq!(&after.account, &before.account);
        prop_assert_eq!(&after.organization, &before.organization);
        prop_assert_eq!(after.confidence, before.confidence);
    }

    #[test]
    fn a_past_employer_phrase_never_creates_a_match(
        p in profile(),
        name in prop::sample::select(WORLD.names.clone()),
        org in prop::sample::select(WORLD.orgs.clone()),
        form in 0..6usize,
    ) {
        let before = run(&p, &WORLD.index);
        let past = match form {
            0 => format!("ex-{name}"),
            1 => format!("(formerly {name})"),
            2 => format!("previously @{org}"),
            3 => format!("prev. {name}"),
            4 => format!("{name} alum"),
            _ => format!("former {name} engineer"),
        };
        let mut q = p.clone();
        q.company = Some(match &p.company {
            Some(c) => format!("{c}; {past}"),
            None => past,
        });
        let after = run(&q, &WORLD.index);
        // It may take a match away, or leave the next-best account that the
        // profile already had evidence for; it never brings a new one.
        let supported: Vec<&String> = before
            .evidence
            .iter()
            .filter(|e| e.strength > 0.0)
            .filter_map(|e| e.account.as_ref())
            .collect();
        prop_assert!(
            after.account.is_none() || after.account == before.account
                || after.account.as_ref().is_some_and(|a| supported.contains(&a)),
            "{:?} made {:?} from {:?}", q.company, after.account, before.account
        );
        if before.account.is_none() {
            prop_assert_eq!(after.account, None);
        }
    }

    #[test]
    fn the_order_of_accounts_never_matters(p in profile(), shuffled in Just(WORLD.accounts.clone()).prop_shuffle()) {
        let reordered = Accounts::new(shuffled, WORLD.people.clone())
            .unwrap()
            .with_hosted_pages(WORLD.hosted.clone());
        prop_assert_eq!(run(&p, &reordered), run(&p, &WORLD.index));
    }
}

#[test]
fn the_order_of_accounts_never_matters_for_the_corpus() {
    let c = corpus();
    let forward = c.accounts();
    let mut reversed_accounts = c.accounts.clone();
    reversed_accounts.reverse();
    let reversed = Accounts::new(reversed_accounts, c.people.clone())
        .unwrap()
        .with_hosted_pages(c.hosted());
    for case in &c.cases {
        let p = case.profile();
        assert_eq!(
            classify(&p, &forward, &c.context(case)),
            classify(&p, &reversed, &c.context(case)),
            "{}",
            case.login()
        );
    }
}
