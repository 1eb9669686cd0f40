//! The demo's sightings: four months of Beacon's repositories as the
//! target accounts of the demo's app.yml (and some other organizations)
//! used them, generated from a fixed seed, so every run shows the same
//! story relative to today.

use orgradar::affiliation::Accounts;
use orgradar::intent::{Source, Taxonomy};
use orgradar::sighting::{EventKind, SightedItem, Sighting};
use orgradar::time::Millis;

const DAY: Millis = 24 * 60 * 60 * 1000;
const HOUR: Millis = 60 * 60 * 1000;

/// How far back the demo's sightings go, in days.
pub const DAYS: i64 = 120;

/// The repositories of the demo project.
const REPOSITORIES: [&str; 4] = [
    "beacon-io/beacon",
    "beacon-io/beacon-operator",
    "beacon-io/beacon-sdk-python",
    "beacon-io/docs",
];

/// Who shows up: a target account of the demo's app.yml (by id), or an
/// organization that is none; its people (login, how they were recognized);
/// sightings per month; and whether it grows towards today.
struct Group {
    account: Option<&'static str>,
    organization: &'static str,
    domain: &'static str,
    people: &'static [&'static str],
    per_month: u32,
    growing: bool,
}

const GROUPS: &[Group] = &[
    Group {
        account: Some("globex"),
        organization: "Globex Corporation",
        domain: "globex.com",
        people: &[
            "hank-scorpio",
            "mindy-ops",
            "frank-grimes-dev",
            "globex-sre-lee",
        ],
        per_month: 14,
        growing: true,
    },
    Group {
        account: Some("initech"),
        organization: "Initech",
        domain: "initech.com",
        people: &["plumbergh", "milton-w", "samir-n"],
        per_month: 7,
        growing: false,
    },
    Group {
        account: Some("tyrell"),
        organization: "Tyrell Corporation",
        domain: "tyrell.com",
        people: &["rachael-t", "jf-sebastian"],
        per_month: 3,
        growing: true,
    },
    Group {
        account: Some("hooli"),
        organization: "Hooli",
        domain: "hooli.com",
        people: &[
            "gavin-b",
            "d-dunn",
            "hooli-infra-jian",
            "big-head-ops",
            "patrice-k",
        ],
        per_month: 11,
        growing: false,
    },
    Group {
        account: Some("umbrella"),
        organization: "Umbrella Health",
        domain: "umbrella-health.com",
        people: &["awesker", "jvalentine", "ckennedy-dev"],
        per_month: 6,
        growing: true,
    },
    Group {
        account: Some("cyberdyne"),
        organization: "Cyberdyne Systems",
        domain: "cyberdyne.io",
        people: &["mbdyson", "t800-fan"],
        per_month: 4,
        growing: false,
    },
    Group {
        account: Some("soylent"),
        organization: "Soylent Foods",
        domain: "soylent.com",
        people: &["thorn-eng", "sol-roth"],
        per_month: 3,
        growing: false,
    },
    Group {
        account: Some("wonka"),
        organization: "Wonka Industries",
        domain: "wonka.com",
        people: &["oompa-ci", "charlie-b"],
        per_month: 2,
        growing: true,
    },
    Group {
        account: None,
        organization: "Pied Piper",
        domain: "piedpiper.com",
        people: &["richard-h", "dinesh-c", "gilfoyle"],
        per_month: 9,
        growing: true,
    },
    Group {
        account: None,
        organization: "Vandelay Industries",
        domain: "vandelay.com",
        people: &["art-vandelay", "kramer-k"],
        per_month: 4,
        growing: false,
    },
    Group {
        account: None,
        organization: "Dunder Mifflin",
        domain: "dundermifflin.com",
        people: &["dwight-s", "jim-h", "oscar-m"],
        per_month: 5,
        growing: false,
    },
    Group {
        account: None,
        organization: "Aperture Science",
        domain: "aperturescience.com",
        people: &["glados-ops"],
        per_month: 2,
        growing: false,
    },
];

/// Titles and bodies of issues, pull requests and discussions; most ask
/// about something a company needs, some are everyday questions.
const ITEMS: &[(&str, &str)] = &[
    (
        "SAML SSO with Okta for the web UI",
        "We run Beacon for 40 teams and need single sign-on through Okta before we can roll it out further.",
    ),
    (
        "Air-gapped install of the operator",
        "Our clusters have no internet access. Is there an offline installation guide for the Helm chart?",
    ),
    (
        "Is there an enterprise edition with support?",
        "Procurement asks whether a support contract with an SLA is available, and about pricing.",
    ),
    (
        "SOC 2 report for the hosted collector",
        "Our security team needs the SOC 2 Type II report and a data processing agreement.",
    ),
    (
        "Audit log of configuration changes",
        "Who changed an alert rule and when? We need an audit trail for ISO 27001.",
    ),
    (
        "RBAC: read-only role for on-call engineers",
        "We would like fine-grained permissions per team, with a viewer role for most people.",
    ),
    (
        "High availability setup for the ingest tier",
        "What is the recommended HA deployment across two regions, with failover?",
    ),
    (
        "Migrating from Prometheus with 2M active series",
        "We are moving from Prometheus and want to keep our recording rules.",
    ),
    (
        "Send alerts to PagerDuty and ServiceNow",
        "Our incident process lives in ServiceNow; a built-in integration would help.",
    ),
    (
        "CVE-2026-1142 in the bundled OpenSSL",
        "Trivy flags the collector image; is a security patch planned?",
    ),
    (
        "Collector crashes when the config file is empty",
        "Steps: start with an empty beacon.yml. Expected a clear error, got a panic.",
    ),
    (
        "Typo in the quick start",
        "The docs say `beacon serv` instead of `beacon serve`.",
    ),
    (
        "Support ARM64 images",
        "We would like to run the agent on Graviton instances.",
    ),
    (
        "Dashboard time picker ignores the browser's time zone",
        "Times are shown in UTC even though the profile says Europe/Berlin.",
    ),
    (
        "Python SDK: async client",
        "An asyncio-based client would fit our FastAPI services better.",
    ),
];

/// Comments on issues, each a follow-up of someone from the same company.
const COMMENTS: &[&str] = &[
    "+1, we need this for our Kubernetes rollout too.",
    "We would pay for this: is it on the enterprise plan?",
    "Same here; our auditors ask for it every year.",
    "Thanks, the workaround works for us.",
    "Any update? This blocks our migration from Datadog.",
];

/// A tiny linear congruential generator: the same numbers on every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    /// A number in `0..n`.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// The demo's sightings up to `now`, oldest first: for each group, its
/// monthly activity spread over [`DAYS`] days (more of it lately for a
/// growing one), its intent topics found with `taxonomy`, and the names
/// and tiers of the target accounts in `accounts`.
pub fn sightings(now: Millis, accounts: &Accounts, taxonomy: &Taxonomy) -> Vec<Sighting> {
    let mut rng = Lcg(0x0b5e_55ed_2026);
    let mut all = Vec::new();
    let mut number = 400;
    for group in GROUPS {
        let count = group.per_month as i64 * DAYS / 30;
        for _ in 0..count {
            // A growing group's days lean towards today: the later of two draws.
            let (a, b) = (rng.below(DAYS as usize), rng.below(DAYS as usize));
            let days_ago = if group.growing { a.min(b) } else { a } as i64;
            let at =
                now - days_ago * DAY - rng.below(24) as i64 * HOUR - rng.below(60) as i64 * 60_000;
            number += 1;
            all.push(sighting(&mut rng, group, at, number, accounts, taxonomy));
        }
    }
    all.sort_by(|a, b| a.at.cmp(&b.at).then(a.delivery_id.cmp(&b.delivery_id)));
    all
}

fn sighting(
    rng: &mut Lcg,
    group: &Group,
    at: Millis,
    number: u64,
    accounts: &Accounts,
    taxonomy: &Taxonomy,
) -> Sighting {
    let event = *rng.pick(&[
        EventKind::IssueOpened,
        EventKind::IssueOpened,
        EventKind::IssueOpened,
        EventKind::PullRequestOpened,
        EventKind::PullRequestOpened,
        EventKind::DiscussionCreated,
        EventKind::IssueCommentCreated,
        EventKind::IssueCommentCreated,
        EventKind::StarCreated,
        EventKind::StarCreated,
        EventKind::StarCreated,
        EventKind::Fork,
    ]);
    let repository = *rng.pick(&REPOSITORIES);
    let login = *rng.pick(group.people);
    let (title, body) = *rng.pick(ITEMS);
    let (item, url, source) = match event {
        EventKind::StarCreated => (None, format!("https://github.com/{repository}"), None),
        EventKind::Fork => (
            None,
            format!(
                "https://github.com/{login}/{}",
                repository.split('/').nth(1).unwrap_or("beacon")
            ),
            None,
        ),
        EventKind::IssueCommentCreated => {
            let comment = *rng.pick(COMMENTS);
            (
                Some(SightedItem {
                    number,
                    title: title.into(),
                    body: Some(comment.into()),
                }),
                format!(
                    "https://github.com/{repository}/issues/{number}#issuecomment-{}",
                    9_000_000 + number
                ),
                Some(Source::Comment),
            )
        }
        _ => {
            let path = match event {
                EventKind::PullRequestOpened => "pull",
                EventKind::DiscussionCreated => "discussions",
                _ => "issues",
            };
            (
                Some(SightedItem {
                    number,
                    title: title.into(),
                    body: Some(body.into()),
                }),
                format!("https://github.com/{repository}/{path}/{number}"),
                Some(Source::Body),
            )
        }
    };
    let intent = match (&item, source) {
        (Some(i), Some(source)) => taxonomy.detect(&i.title, i.body.as_deref(), source),
        _ => Vec::new(),
    };
    let target = group.account.and_then(|id| accounts.by_id(id));
    let evidence = match rng.below(3) {
        0 => format!("company email domain {}", group.domain),
        1 => format!(
            "public member of @{}",
            group.domain.split('.').next().unwrap_or_default()
        ),
        _ => format!("company field \"{}\"", group.organization),
    };
    Sighting {
        delivery_id: format!("demo-{number}"),
        at,
        event,
        repository: repository.into(),
        repository_private: false,
        item,
        url,
        login: login.into(),
        account: target.map(|a| a.id.clone()),
        account_name: target.map(|a| a.name.clone()),
        organization: Some(group.organization.into()),
        tier: target.and_then(|a| a.tier.clone()),
        confidence: 0.7 + rng.below(29) as f64 / 100.0,
        evidence,
        intent,
        signal: None,
        rules: Vec::new(),
        moved_from: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, BTreeSet};

    fn config() -> orgradar::config::Config {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("app.yml");
        std::fs::write(&path, super::super::APP_YML).unwrap();
        orgradar::config::Config::load(&path).unwrap()
    }

    #[test]
    fn the_same_story_every_run_with_every_account_event_and_several_people() {
        let config = config();
        let now = 1_780_000_000_000;
        let one = sightings(now, &config.accounts, &config.rules.intent);
        let two = sightings(now, &config.accounts, &config.rules.intent);
        assert_eq!(one, two, "a fixed seed");
        assert!(
            one.iter()
                .all(|s| s.at <= now && s.at > now - (DAYS + 1) * DAY)
        );
        let kinds: BTreeSet<EventKind> = one.iter().map(|s| s.event).collect();
        assert_eq!(kinds.len(), EventKind::SEEN.len(), "every kind of event");
        let mut people: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for s in &one {
            people
                .entry(s.account.as_deref().unwrap_or("-"))
                .or_default()
                .insert(&s.login);
        }
        for account in config.accounts.iter() {
            let seen = people.get(account.id.as_str()).map_or(0, BTreeSet::len);
            assert!(seen >= 2, "{} has {seen} people", account.id);
        }
        assert!(people["-"].len() >= 5, "other organizations too");
        assert!(one.iter().filter(|s| !s.intent.is_empty()).count() > 50);
        assert!(one.iter().all(|s| s.names_someone()));
    }
}
