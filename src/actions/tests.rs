//! The action path in process: the decision core plans, [`Actions`] carries
//! the plan out against small in-memory fakes of GitHub's items and Slack,
//! with a real SQLite ledger. Each case runs a plan, sometimes twice or
//! after a failure, and checks what GitHub and Slack were asked to do.

use super::*;
use crate::affiliation::Profile;
use crate::config::AppFile;
use crate::decide::{Core, Decision, History, Origin, Person, Planned, Who};
use crate::event::{Event, Payload};
use crate::github::GitHubError;
use crate::github::api::{Comment, Issue, Label, RepositoryInfo};
use crate::notify::{Message, SlackError};
use crate::store::{SqliteStore, Store};
use async_trait::async_trait;
use std::path::Path;

const APP: &str = r##"name: x
mode: live
channels:
  sales: { slack_channel: "#sales" }
  leads: { github_issue: { repo: acme-corp/leads, per_account: true } }
accounts:
  - { id: globex, name: Globex Corporation, tier: enterprise, domains: [globex.com] }
rules:
  - name: enterprise
    on: [issues.opened, star.created]
    if: { tier: [enterprise] }
    do: { label: [enterprise], notify: [sales, leads] }
throttle: { window: 24h }
"##;

const INSTALLATION: u64 = 7;
const LEADS: u64 = 9;

/// GitHub's items, in memory.
#[derive(Default)]
struct FakeItems {
    state: std::sync::Mutex<ItemsState>,
}

#[derive(Default)]
struct ItemsState {
    repo_labels: HashSet<(String, String)>,
    item_labels: HashMap<(String, u64), Vec<String>>,
    issues: Vec<(String, Issue)>,
    comments: HashMap<(String, u64), Vec<Comment>>,
    /// The next label write fails with this status.
    fail_add_labels: Option<u16>,
    writes: u32,
}

fn status(path: &str, status: u16) -> GitHubError {
    GitHubError::Status {
        method: "POST".into(),
        path: path.into(),
        status,
        message: "fake".into(),
    }
}

#[async_trait]
impl crate::github::Items for FakeItems {
    async fn label(&self, _: u64, repo: &str, name: &str) -> Result<Option<Label>, GitHubError> {
        let s = self.state.lock().unwrap();
        let there = s.repo_labels.contains(&(repo.into(), name.to_lowercase()));
        Ok(there.then(|| Label { name: name.into() }))
    }

    async fn create_label(
        &self,
        _: u64,
        repo: &str,
        name: &str,
        _: &str,
        _: &str,
    ) -> Result<Label, GitHubError> {
        let mut s = self.state.lock().unwrap();
        s.writes += 1;
        s.repo_labels.insert((repo.into(), name.to_lowercase()));
        Ok(Label { name: name.into() })
    }

    async fn add_labels(
        &self,
        _: u64,
        repo: &str,
        number: u64,
        labels: &[String],
    ) -> Result<Vec<Label>, GitHubError> {
        let mut s = self.state.lock().unwrap();
        s.writes += 1;
        if let Some(code) = s.fail_add_labels.take() {
            return Err(status("/labels", code));
        }
        let on = s.item_labels.entry((repo.into(), number)).or_default();
        for l in labels {
            if !on.contains(l) {
                on.push(l.clone());
            }
        }
        Ok(on.iter().map(|name| Label { name: name.clone() }).collect())
    }

    async fn remove_label(
        &self,
        _: u64,
        repo: &str,
        number: u64,
        label: &str,
    ) -> Result<(), GitHubError> {
        let mut s = self.state.lock().unwrap();
        s.writes += 1;
        if let Some(on) = s.item_labels.get_mut(&(repo.into(), number)) {
            on.retain(|l| !l.eq_ignore_ascii_case(label));
        }
        Ok(())
    }

    async fn issue_labels(&self, _: u64, repo: &str, n: u64) -> Result<Vec<Label>, GitHubError> {
        let s = self.state.lock().unwrap();
        let on = s
            .item_labels
            .get(&(repo.into(), n))
            .cloned()
            .unwrap_or_default();
        Ok(on.into_iter().map(|name| Label { name }).collect())
    }

    async fn repo_installation(&self, repo: &str) -> Result<u64, GitHubError> {
        match repo {
            "acme-corp/leads" => Ok(LEADS),
            _ => Err(status("/installation", 404)),
        }
    }

    async fn repository(&self, _: u64, repo: &str) -> Result<RepositoryInfo, GitHubError> {
        Ok(RepositoryInfo {
            full_name: repo.into(),
            private: true,
        })
    }

    async fn issues_labeled(&self, i: u64, repo: &str, _: &str) -> Result<Vec<Issue>, GitHubError> {
        assert_eq!(
            i, LEADS,
            "the leads repository is written as its own installation"
        );
        let s = self.state.lock().unwrap();
        Ok(s.issues
            .iter()
            .filter(|(r, _)| r == repo)
            .map(|(_, i)| i.clone())
            .collect())
    }

    async fn create_issue(
        &self,
        _: u64,
        repo: &str,
        title: &str,
        body: &str,
        _: &[&str],
    ) -> Result<Issue, GitHubError> {
        let mut s = self.state.lock().unwrap();
        s.writes += 1;
        let number = s.issues.len() as u64 + 1;
        let issue = Issue {
            number,
            html_url: format!("https://github.com/{repo}/issues/{number}"),
            title: title.into(),
            body: Some(body.into()),
        };
        s.issues.push((repo.into(), issue.clone()));
        Ok(issue)
    }

    async fn comments(&self, _: u64, repo: &str, n: u64) -> Result<Vec<Comment>, GitHubError> {
        let s = self.state.lock().unwrap();
        Ok(s.comments
            .get(&(repo.into(), n))
            .cloned()
            .unwrap_or_default())
    }

    async fn create_comment(
        &self,
        _: u64,
        repo: &str,
        n: u64,
        body: &str,
    ) -> Result<Comment, GitHubError> {
        let mut s = self.state.lock().unwrap();
        s.writes += 1;
        let list = s.comments.entry((repo.into(), n)).or_default();
        let comment = Comment {
            id: list.len() as u64 + 100,
            html_url: String::new(),
            body: Some(body.into()),
        };
        list.push(comment.clone());
        Ok(comment)
    }
}

/// Slack, in memory: what was posted where; the next posts can fail.
#[derive(Default)]
struct FakeSlack {
    posted: std::sync::Mutex<Vec<(String, String)>>,
    fail: std::sync::Mutex<Vec<SlackError>>,
}

#[async_trait]
impl Notices for FakeSlack {
    async fn post(&self, to: &Destination, message: &Message) -> Result<(), SlackError> {
        if let Some(e) = self.fail.lock().unwrap().pop() {
            return Err(e);
        }
        let to = match to {
            Destination::Channel { channel } => channel.clone(),
            Destination::Webhook { .. } => "webhook".into(),
            Destination::Reply { .. } => "reply".into(),
        };
        self.posted.lock().unwrap().push((to, message.text.clone()));
        Ok(())
    }
}

struct FromGlobex;

#[async_trait]
impl Who for FromGlobex {
    async fn person(&self, login: &str, _: Option<(&str, u64)>) -> Result<Person, ProcessError> {
        let mut profile = Profile::new(login.to_string());
        profile.set_email(&format!("{login}@globex.com"));
        Ok(Person {
            profile,
            member_of_installer: false,
        })
    }
}

struct First;

#[async_trait]
impl History for First {
    async fn first_sighting(&self, _: &Sighting) -> Result<bool, ProcessError> {
        Ok(true)
    }
}

struct World {
    _dir: tempfile::TempDir,
    actions: Actions,
    items: FakeItems,
    slack: Arc<FakeSlack>,
    store: Arc<dyn Store>,
}

async fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<dyn Store> = Arc::new(
        SqliteStore::open(&dir.path().join("store.db"))
            .await
            .unwrap(),
    );
    let app = AppFile::parse(APP, Path::new("app.yml")).unwrap();
    let rules = Arc::new(app.rule_set(Path::new("app.yml")).unwrap());
    let slack = Arc::new(FakeSlack::default());
    let actions = Actions::new(store.clone(), slack.clone(), rules, |_| None);
    World {
        _dir: dir,
        actions,
        items: FakeItems::default(),
        slack,
        store,
    }
}

/// What the decision core plans for `login` opening issue `number` (delivery `id`).
async fn planned(w: &World, id: &str, login: &str, number: u64) -> Planned {
    let payload: Payload = serde_json::from_value(serde_json::json!({
        "action": "opened",
        "installation": { "id": INSTALLATION },
        "repository": { "id": 1, "full_name": "acme/widgets" },
        "sender": { "login": login, "id": 9 },
        "issue": { "number": number, "title": "SSO", "user": { "login": login, "id": 9 } }
    }))
    .unwrap();
    let origin = Origin::of(&payload);
    let event = Event::decode("issues", payload).unwrap().unwrap();
    let app = AppFile::parse(APP, Path::new("app.yml")).unwrap();
    let accounts = app
        .accounts(Path::new("app.yml"), |_| Ok(String::new()))
        .unwrap();
    let core = Core {
        accounts: &accounts,
        rules: &w.actions.rules,
    };
    match core
        .decide(id, 1_000, &event, &origin, &FromGlobex, &First)
        .await
        .unwrap()
    {
        Decision::Planned(p) => *p,
        Decision::Nothing(why) => panic!("{why}"),
    }
}

async fn run(w: &World, p: &Planned) -> Result<(), ProcessError> {
    w.actions
        .run(&w.items, INSTALLATION, &p.sighting, &p.plan, p.lead())
        .await
}

async fn ledger(w: &World, id: &str) -> Vec<(String, &'static str)> {
    let mut all: Vec<_> = w
        .store
        .actions(id)
        .await
        .unwrap()
        .into_iter()
        .map(|(k, r)| (k, r.state.as_str()))
        .collect();
    all.sort();
    all
}

#[tokio::test]
async fn a_plan_labels_posts_and_logs_once_however_often_it_runs() {
    let w = world().await;
    let p = planned(&w, "d1", "wile", 3).await;
    assert_eq!(p.plan.labels, ["enterprise"]);
    run(&w, &p).await.unwrap();
    run(&w, &p).await.unwrap();
    {
        let s = w.items.state.lock().unwrap();
        assert_eq!(s.item_labels[&("acme/widgets".into(), 3)], ["enterprise"]);
        assert_eq!(s.issues.len(), 1, "one tracking issue for Globex");
        assert_eq!(s.comments[&("acme-corp/leads".into(), 1)].len(), 1);
        let posted = w.slack.posted.lock().unwrap();
        assert_eq!(posted.len(), 1);
        assert_eq!(posted[0].0, "#sales");
        assert!(
            posted[0].1.contains("Globex Corporation"),
            "{}",
            posted[0].1
        );
    }
    assert_eq!(
        ledger(&w, "d1").await,
        [
            ("label:enterprise".into(), "done"),
            ("notify:leads".into(), "done"),
            ("notify:sales".into(), "done"),
        ]
    );
}

#[tokio::test]
async fn a_second_person_of_the_account_is_throttled_on_slack_but_logged_on_the_tracking_issue() {
    let w = world().await;
    run(&w, &planned(&w, "d1", "wile", 3).await).await.unwrap();
    run(&w, &planned(&w, "d2", "road", 4).await).await.unwrap();
    assert_eq!(w.slack.posted.lock().unwrap().len(), 1);
    {
        let s = w.items.state.lock().unwrap();
        assert_eq!(s.issues.len(), 1);
        assert_eq!(s.comments[&("acme-corp/leads".into(), 1)].len(), 2);
    }
    assert!(
        ledger(&w, "d2")
            .await
            .contains(&("notify:sales".into(), "throttled"))
    );
}

#[tokio::test]
async fn one_failing_action_leaves_the_others_done_and_the_retry_does_only_what_is_left() {
    let w = world().await;
    let p = planned(&w, "d1", "wile", 3).await;
    w.slack.fail.lock().unwrap().push(SlackError::Transient {
        message: "Slack answered 503".into(),
        retry_after: None,
    });
    w.items.state.lock().unwrap().fail_add_labels = Some(502);
    let err = run(&w, &p).await.unwrap_err();
    assert_eq!(err.verdict(), crate::failure::Verdict::Retry);
    let text = err.to_string();
    assert!(
        text.contains("labels") && text.contains("channel `sales`"),
        "{text}"
    );
    assert!(
        ledger(&w, "d1")
            .await
            .contains(&("notify:leads".into(), "done"))
    );
    let writes = w.items.state.lock().unwrap().writes;

    run(&w, &p).await.unwrap();
    let s = w.items.state.lock().unwrap();
    assert_eq!(s.item_labels[&("acme/widgets".into(), 3)], ["enterprise"]);
    assert_eq!(
        s.comments[&("acme-corp/leads".into(), 1)].len(),
        1,
        "not logged twice"
    );
    // The retry added the label (and nothing on the leads repository).
    assert_eq!(s.writes, writes + 1);
    drop(s);
    assert_eq!(w.slack.posted.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn a_refused_label_write_gives_up_on_the_label_and_still_notifies() {
    let w = world().await;
    let p = planned(&w, "d1", "wile", 3).await;
    w.items.state.lock().unwrap().fail_add_labels = Some(404);
    let err = run(&w, &p).await.unwrap_err();
    assert_eq!(err.verdict(), crate::failure::Verdict::GiveUp);
    assert_eq!(w.slack.posted.lock().unwrap().len(), 1);
}

mod undo;
