//! The overview and a group's page as CSV, for spreadsheets.

use super::model::{GroupPage, Overview};
use crate::time::rfc3339;

/// A cell a spreadsheet would take for a formula gets a leading `'`.
fn cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

fn write(header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> String {
    let mut out = csv::Writer::from_writer(Vec::new());
    // Writing to memory cannot fail; a record that somehow does is left out.
    let _ = out.write_record(header);
    for row in rows {
        let _ = out.write_record(row.iter().map(|c| cell(c)));
    }
    let bytes = out.into_inner().unwrap_or_default();
    String::from_utf8_lossy(&bytes).into_owned()
}

/// One row per group: `account,name,tier,people,issues,...,first_seen,last_seen`.
pub fn overview_csv(o: &Overview) -> String {
    let header = [
        "account",
        "name",
        "tier",
        "people",
        "issues",
        "pull_requests",
        "discussions",
        "comments",
        "stars",
        "forks",
        "total",
        "first_seen",
        "last_seen",
    ];
    write(
        &header,
        o.groups.iter().map(|g| {
            let c = &g.counts;
            vec![
                g.account.clone().unwrap_or_default(),
                g.name.clone(),
                g.tier.clone().unwrap_or_default(),
                g.people.to_string(),
                c.issues.to_string(),
                c.pull_requests.to_string(),
                c.discussions.to_string(),
                c.comments.to_string(),
                c.stars.to_string(),
                c.forks.to_string(),
                c.total().to_string(),
                rfc3339(g.first_seen),
                rfc3339(g.last_seen),
            ]
        }),
    )
}

/// One row per topic and item of the product view:
/// `topic,label,account,tier,login,event,repository,title,url,phrase,source,time`.
pub fn product_csv(topics: &[crate::product::TopicAsks]) -> String {
    let header = [
        "topic",
        "label",
        "account",
        "tier",
        "login",
        "event",
        "repository",
        "title",
        "url",
        "phrase",
        "source",
        "time",
    ];
    write(
        &header,
        topics.iter().flat_map(|t| {
            t.items.iter().map(|i| {
                vec![
                    t.topic.clone(),
                    t.label.clone(),
                    i.account.clone(),
                    i.tier.clone().unwrap_or_default(),
                    i.login.clone(),
                    i.event.as_str().to_string(),
                    i.repository.clone(),
                    i.title.clone().unwrap_or_default(),
                    i.url.clone(),
                    i.phrase.clone(),
                    i.source.as_str().to_string(),
                    rfc3339(i.at),
                ]
            })
        }),
    )
}

/// One row per sighting on the page: `time,login,event,repository,url,evidence`.
pub fn group_csv(p: &GroupPage) -> String {
    let header = ["time", "login", "event", "repository", "url", "evidence"];
    write(
        &header,
        p.sightings.iter().map(|s| {
            vec![
                rfc3339(s.at),
                s.login.clone(),
                s.event.as_str().to_string(),
                s.repository.clone(),
                s.url.clone(),
                s.evidence.clone(),
            ]
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dashboard::model::{EventCounts, Filter, GroupRow};
    use crate::sighting::{EventKind, Sighting};

    fn filter() -> Filter {
        Filter {
            from: 0,
            to: 1,
            repository: None,
            tier: None,
            event: None,
        }
    }

    fn row(name: &str) -> GroupRow {
        GroupRow {
            key: "account:7".into(),
            name: name.into(),
            account: Some("7".into()),
            tier: Some("enterprise".into()),
            people: 2,
            counts: EventCounts {
                issues: 3,
                stars: 1,
                ..EventCounts::default()
            },
            first_seen: 0,
            last_seen: 951_782_400_000,
        }
    }

    #[test]
    fn overview_rows_with_quoting() {
        let o = Overview {
            filter: filter(),
            groups: vec![row("Globex, \"Inc\"")],
            weeks: vec![],
            repositories: vec![],
            tiers: vec![],
        };
        assert_eq!(
            overview_csv(&o),
            "account,name,tier,people,issues,pull_requests,discussions,comments,stars,forks,total,first_seen,last_seen\n\
             7,\"Globex, \"\"Inc\"\"\",enterprise,2,3,0,0,0,1,0,4,1970-01-01T00:00:00Z,2000-02-29T00:00:00Z\n"
        );
    }

    #[test]
    fn formulas_are_defused() {
        for evil in ["=HYPERLINK(\"x\")", "+1", "-2", "@SUM(A1)"] {
            let o = Overview {
                filter: filter(),
                groups: vec![row(evil)],
                weeks: vec![],
                repositories: vec![],
                tiers: vec![],
            };
            let text = overview_csv(&o);
            let line = text.lines().nth(1).unwrap_or_default();
            assert!(
                line.starts_with(&format!("7,'{}", &evil[..1])) || line.starts_with("7,\"'"),
                "{line}"
            );
        }
        assert_eq!(cell("a=b"), "a=b");
    }

    #[test]
    fn group_rows_one_per_sighting() {
        let s = Sighting {
            delivery_id: "d".into(),
            at: 951_782_400_000,
            event: EventKind::IssueOpened,
            repository: "acme/widgets".into(),
            repository_private: false,
            item: None,
            url: "https://github.com/acme/widgets/issues/1".into(),
            login: "alice".into(),
            account: None,
            account_name: None,
            organization: Some("Globex".into()),
            tier: None,
            confidence: 0.9,
            evidence: "=cmd|' /C calc'!A0".into(),
            intent: Vec::new(),
            signal: None,
            rules: Vec::new(),
            moved_from: None,
        };
        let page = GroupPage {
            filter: filter(),
            row: row("Globex"),
            people: vec![],
            repositories: vec![],
            sightings: vec![s],
        };
        assert_eq!(
            group_csv(&page),
            "time,login,event,repository,url,evidence\n\
             2000-02-29T00:00:00Z,alice,issues.opened,acme/widgets,https://github.com/acme/widgets/issues/1,'=cmd|' /C calc'!A0\n"
        );
    }
}
