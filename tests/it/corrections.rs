//! Corrections end to end, from the command line: the real server, the fake
//! GitHub and the fake Slack. A wrong answer is put right once (the label
//! comes off, the tracking issue is told, the sighting leaves the
//! dashboard), the person's next delivery follows the answer, and a person
//! who asks to be forgotten is erased and not collected again.

use crate::actions::{World, send};
use crate::support::*;
use serde_json::Value;
use std::time::Duration;

fn stdout(out: &std::process::Output) -> String {
    assert!(out.status.success(), "{out:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The correction jobs in the queue.
pub(crate) fn jobs(w: &World) -> Vec<Value> {
    deliveries(&w.dir)
        .into_iter()
        .filter(|d| d["event"] == "orgradar.correction")
        .collect()
}

/// Waits until there are `n` correction jobs, all `status`.
pub(crate) fn wait_jobs(w: &World, n: usize, status: &str) {
    wait_until(
        Duration::from_secs(30),
        &format!("{n} jobs {status}"),
        || {
            let jobs = jobs(w);
            jobs.len() == n && jobs.iter().all(|j| j["status"] == status)
        },
    );
}

fn wait_jobs_done(w: &World, n: usize) {
    wait_jobs(w, n, "done");
}

fn kept_sightings(w: &World, login: &str) -> i64 {
    w.dir
        .counts(&format!(
            "SELECT login, COUNT(*) FROM sightings WHERE login = '{login}' GROUP BY login"
        ))
        .first()
        .map_or(0, |(_, n)| *n)
}

fn rollup_people(w: &World, group: &str) -> i64 {
    w.dir
        .counts(&format!(
            "SELECT group_key, COUNT(*) FROM group_people WHERE group_key = '{group}' GROUP BY group_key"
        ))
        .first()
        .map_or(0, |(_, n)| *n)
}

async fn a_wrong_answer_is_put_right_once_and_the_next_delivery_follows_it(dir: TestDir) {
    let w = World::new(dir, "").await;
    let server = w.start();
    assert_eq!(
        send(&server, "issues", "d1", &issue_opened(1, "alice")).await,
        202
    );
    w.wait_done("d1");
    w.assert_one_of_each(1);
    assert_eq!(kept_sightings(&w, "alice"), 1);
    assert_eq!(rollup_people(&w, "account:globex"), 1);

    // A typo is refused with the ids that exist.
    let out = w.cli(&["people", "set", "alice", "globexx"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("`globexx` is no account in app.yml; use one of globex"),
        "{err}"
    );

    let said = stdout(&w.cli(&[
        "people",
        "set",
        "alice",
        "none",
        "--by",
        "dana",
        "--note",
        "personal address",
    ]));
    assert!(
        said.contains("Marked not Globex Corporation for alice"),
        "{said}"
    );
    wait_jobs_done(&w, 1);

    assert!(w.labels("acme/widgets", 1).is_empty(), "the label came off");
    let comments = w.leads_comments(1);
    assert_eq!(comments.len(), 2, "{comments:?}");
    let told = comments[1]["body"].as_str().unwrap();
    assert!(told.contains("Marked not Globex Corporation"), "{told}");
    assert!(
        told.contains("no longer counts for Globex Corporation"),
        "{told}"
    );
    assert_eq!(kept_sightings(&w, "alice"), 0, "out of the dashboard");
    assert_eq!(rollup_people(&w, "account:globex"), 0);

    let shown: Value =
        serde_json::from_str(&stdout(&w.cli(&["people", "show", "alice", "--json"]))).unwrap();
    assert_eq!(shown["in_force"]["verdict"], "none", "{shown}");
    assert_eq!(shown["in_force"]["by"], "dana");
    assert_eq!(shown["in_force"]["via"], "cli");
    assert_eq!(shown["in_force"]["sighted_account"], "globex");
    assert_eq!(shown["in_force"]["note"], "personal address");
    let listed = stdout(&w.cli(&["people", "list", "--corrected"]));
    assert!(
        listed.contains("alice") && listed.contains("Marked not Globex Corporation"),
        "{listed}"
    );

    // Her next issue follows the answer: no label, no notice, no sighting.
    assert_eq!(
        send(&server, "issues", "d2", &issue_opened(2, "alice")).await,
        202
    );
    w.wait_done("d2");
    assert!(w.labels("acme/widgets", 2).is_empty());
    assert_eq!(w.slack.posted("product").len(), 1);
    assert_eq!(kept_sightings(&w, "alice"), 0);
    let d2: Value =
        serde_json::from_slice(&w.cli(&["deliveries", "show", "d2", "--json"]).stdout).unwrap();
    assert!(
        d2["note"]
            .as_str()
            .unwrap()
            .contains("no rule matched alice"),
        "{d2}"
    );

    // Running the job again puts nothing right twice.
    let job = jobs(&w)[0]["id"].as_str().unwrap().to_string();
    let removed = w.github.with(|s| s.removed_labels.clone());
    assert_eq!(removed, ["enterprise"]);
    stdout(&w.cli(&["deliveries", "retry", &job, "--force"]));
    wait_jobs_done(&w, 1);
    assert_eq!(w.leads_comments(1).len(), 2);
    assert_eq!(w.github.with(|s| s.removed_labels.len()), 1);

    // Another account: her sighting moves there, the answer is kept in full.
    stdout(&w.cli(&["people", "set", "bob", "globex"]));
    wait_jobs_done(&w, 2);
    let shown: Value =
        serde_json::from_str(&stdout(&w.cli(&["people", "show", "alice", "--json"]))).unwrap();
    assert_eq!(shown["corrections"].as_array().unwrap().len(), 1);
}

async fn a_forgotten_person_is_erased_and_not_collected_again(dir: TestDir) {
    let w = World::new(dir, "").await;
    let server = w.start();
    assert_eq!(
        send(&server, "issues", "d1", &issue_opened(1, "alice")).await,
        202
    );
    w.wait_done("d1");
    assert_eq!(kept_sightings(&w, "alice"), 1);
    stdout(&w.cli(&["people", "set", "alice", "globex"]));
    wait_jobs_done(&w, 1);

    let said = stdout(&w.cli(&["people", "forget", "alice"]));
    assert!(
        said.contains("forgot alice: 1 sightings, 1 answers"),
        "{said}"
    );
    assert_eq!(kept_sightings(&w, "alice"), 0);
    assert_eq!(rollup_people(&w, "account:globex"), 0);
    let kept = w
        .dir
        .counts("SELECT login, COUNT(*) FROM actors WHERE login = 'alice' GROUP BY login");
    assert!(kept.is_empty(), "{kept:?}");
    let hashes = w
        .dir
        .counts("SELECT hash, COUNT(*) FROM forgotten GROUP BY hash");
    assert_eq!(hashes.len(), 1);
    assert!(!hashes[0].0.contains("alice"));
    let shown = stdout(&w.cli(&["people", "show", "alice"]));
    assert!(shown.contains("asked to be forgotten"), "{shown}");

    // Her next issue is neither looked up nor kept.
    let asked = |w: &World| {
        w.github
            .requests()
            .iter()
            .filter(|r| r.path.contains("alice") || r.path == "/graphql")
            .count()
    };
    let before = asked(&w);
    assert_eq!(
        send(&server, "issues", "d2", &issue_opened(2, "ALICE")).await,
        202
    );
    w.wait_done("d2");
    assert_eq!(asked(&w), before, "no lookup of a forgotten person");
    assert!(w.labels("acme/widgets", 2).is_empty());
    let d2: Value =
        serde_json::from_slice(&w.cli(&["deliveries", "show", "d2", "--json"]).stdout).unwrap();
    assert!(
        d2["note"]
            .as_str()
            .unwrap()
            .contains("asked to be forgotten"),
        "{d2}"
    );
    assert_eq!(kept_sightings(&w, "ALICE"), 0);
}

async fn check_says_where_people_in_app_yml_and_an_answer_disagree(dir: TestDir) {
    let w = World::new(dir, "people:\n  carol: globex\n").await;
    let said = stdout(&w.cli(&["people", "set", "carol", "none", "--by", "dana"]));
    assert!(
        said.contains("app.yml lists carol under people: as `globex`, which still wins"),
        "{said}"
    );
    let checked = stdout(&w.cli(&["check"]));
    assert!(
        checked.contains("warning: people: lists carol as `globex`, but dana answered \"Marked no target account\" via the command line"),
        "{checked}"
    );
}

crate::on_both_stores!(check_says_where_people_in_app_yml_and_an_answer_disagree);
crate::on_both_stores!(a_wrong_answer_is_put_right_once_and_the_next_delivery_follows_it);
crate::on_both_stores!(a_forgotten_person_is_erased_and_not_collected_again);
