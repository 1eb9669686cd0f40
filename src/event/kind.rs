//! The events orgradar handles, in one table: which `X-GitHub-Event` header
//! and action each comes as, what rules call it, and how it is named in a
//! sentence. Ingress, decoding, the queue's priority, sightings, rules and
//! `simulate` all read this table; nothing else lists events.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The kinds of event about a person: what a rule can name in `on:` and
/// what a sighting records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum EventKind {
    #[serde(rename = "issues.opened")]
    IssueOpened,
    #[serde(rename = "pull_request.opened")]
    PullRequestOpened,
    #[serde(rename = "discussion.created")]
    DiscussionCreated,
    #[serde(rename = "issue_comment.created")]
    IssueCommentCreated,
    #[serde(rename = "star.created")]
    StarCreated,
    #[serde(rename = "fork")]
    Fork,
    /// A person orgradar knew at one organization seen at another: derived
    /// by the worker from another event, never sent by GitHub.
    #[serde(rename = "affiliation.changed")]
    AffiliationChanged,
}

/// What a delivery is, as far as orgradar is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Handled {
    /// Someone did something: classified, and planned for.
    Person(EventKind),
    /// The app was installed, removed, suspended... on an account.
    Installation,
    /// Repositories were added to or removed from an installation.
    InstallationRepositories,
}

/// One row of the table.
struct Row {
    /// The `X-GitHub-Event` header; `None` for a kind orgradar derives
    /// itself, which no delivery is and no manifest subscribes to.
    header: Option<&'static str>,
    /// `None`: every action of the event.
    action: Option<&'static str>,
    handled: Handled,
    /// What rules call it; `None` for events about no person.
    name: Option<&'static str>,
    noun: &'static str,
    verb_phrase: &'static str,
    /// The app permission GitHub requires to send it; `None`: GitHub sends
    /// it to every app.
    permission: Option<&'static str>,
}

const fn person(
    header: &'static str,
    action: Option<&'static str>,
    kind: EventKind,
    name: &'static str,
    noun: &'static str,
    verb_phrase: &'static str,
    permission: &'static str,
) -> Row {
    Row {
        header: Some(header),
        action,
        handled: Handled::Person(kind),
        name: Some(name),
        noun,
        verb_phrase,
        permission: Some(permission),
    }
}

#[rustfmt::skip]
const TABLE: [Row; 9] = [
    person("issues", Some("opened"), EventKind::IssueOpened, "issues.opened", "issue", "opened an issue in", "issues"),
    person("pull_request", Some("opened"), EventKind::PullRequestOpened, "pull_request.opened", "pull request", "opened a pull request in", "pull_requests"),
    person("discussion", Some("created"), EventKind::DiscussionCreated, "discussion.created", "discussion", "started a discussion in", "discussions"),
    person("issue_comment", Some("created"), EventKind::IssueCommentCreated, "issue_comment.created", "comment", "commented in", "issues"),
    person("star", Some("created"), EventKind::StarCreated, "star.created", "star", "starred", "metadata"),
    person("fork", None, EventKind::Fork, "fork", "fork", "forked", "contents"),
    Row { header: None, action: None, handled: Handled::Person(EventKind::AffiliationChanged), name: Some("affiliation.changed"), noun: "job change", verb_phrase: "was seen at a new organization in", permission: None },
    Row { header: Some("installation"), action: None, handled: Handled::Installation, name: None, noun: "installation", verb_phrase: "changed the installation of", permission: None },
    Row { header: Some("installation_repositories"), action: None, handled: Handled::InstallationRepositories, name: None, noun: "installation", verb_phrase: "changed the repositories of", permission: None },
];

impl Handled {
    /// What a delivery with header `X-GitHub-Event: header` and this
    /// `action` is; `None` for what orgradar does not act on.
    pub fn of(header: &str, action: Option<&str>) -> Option<Handled> {
        TABLE
            .iter()
            .find(|r| r.header == Some(header) && (r.action.is_none() || r.action == action))
            .map(|r| r.handled)
    }

    /// Whether some action of the event `header` is acted on, so its payload
    /// is worth parsing.
    pub fn some_action_of(header: &str) -> bool {
        TABLE.iter().any(|r| r.header == Some(header))
    }

    /// Whether deliveries of `header` only count people (stars, forks), so
    /// they wait behind those that can label or notify. `watch` is the older
    /// form of a star.
    pub fn background(header: &str) -> bool {
        header == "watch"
            || TABLE.iter().any(|r| {
                r.header == Some(header)
                    && matches!(
                        r.handled,
                        Handled::Person(EventKind::StarCreated | EventKind::Fork)
                    )
            })
    }
}

/// The events an app subscribes to in its manifest, each with the
/// permission GitHub requires to send it (installation events come to every
/// app unasked).
pub fn subscriptions() -> impl Iterator<Item = (&'static str, &'static str)> {
    TABLE
        .iter()
        .filter_map(|r| Some((r.header?, r.permission?)))
}

impl EventKind {
    /// Every kind a rule can name in `on:`.
    pub const ALL: [EventKind; 7] = [
        EventKind::IssueOpened,
        EventKind::PullRequestOpened,
        EventKind::DiscussionCreated,
        EventKind::IssueCommentCreated,
        EventKind::StarCreated,
        EventKind::Fork,
        EventKind::AffiliationChanged,
    ];

    /// The kinds a webhook brings: what the digest, the dashboard and the
    /// store count. A derived kind ([`EventKind::derived`]) is about a
    /// person already counted by the event it came from.
    pub const SEEN: [EventKind; 6] = [
        EventKind::IssueOpened,
        EventKind::PullRequestOpened,
        EventKind::DiscussionCreated,
        EventKind::IssueCommentCreated,
        EventKind::StarCreated,
        EventKind::Fork,
    ];

    /// Its row: the table lists the kinds first, in this enum's order.
    fn row(self) -> &'static Row {
        &TABLE[self as usize]
    }

    /// The name rules use: `issues.opened`, `fork`, ...
    pub fn as_str(self) -> &'static str {
        self.row().name.unwrap_or_default()
    }

    pub fn parse(name: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// What it is called in a sentence: `issue`, `pull request`, `star`...
    pub fn noun(self) -> &'static str {
        self.row().noun
    }

    /// What the person did: `opened an issue in`, `starred`...
    pub fn verb_phrase(self) -> &'static str {
        self.row().verb_phrase
    }

    /// Whether orgradar derives it from another event (no webhook is one).
    pub fn derived(self) -> bool {
        self.row().header.is_none()
    }

    /// Whether the event has an issue or pull request that can carry a label.
    pub fn labelable(self) -> bool {
        matches!(
            self,
            EventKind::IssueOpened | EventKind::PullRequestOpened | EventKind::IssueCommentCreated
        )
    }
}

impl fmt::Display for EventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_is_in_the_table_once_and_its_name_parses_back() {
        for kind in EventKind::ALL {
            let rows = TABLE
                .iter()
                .filter(|r| r.handled == Handled::Person(kind))
                .count();
            assert_eq!(rows, 1, "{kind:?}");
            assert_eq!(TABLE[kind as usize].handled, Handled::Person(kind));
            assert_eq!(EventKind::parse(kind.as_str()), Some(kind));
            // The serde name is the rules' name.
            assert_eq!(
                serde_json::to_string(&kind).unwrap(),
                format!("\"{}\"", kind.as_str())
            );
        }
    }

    #[test]
    fn only_the_first_appearance_of_a_person_matters() {
        let of = Handled::of;
        assert_eq!(
            of("issues", Some("opened")),
            Some(Handled::Person(EventKind::IssueOpened))
        );
        assert_eq!(of("issues", Some("edited")), None);
        assert_eq!(of("fork", None), Some(Handled::Person(EventKind::Fork)));
        assert_eq!(
            of("installation", Some("suspend")),
            Some(Handled::Installation)
        );
        assert_eq!(of("push", None), None);
        assert_eq!(of("star", Some("deleted")), None);
        assert!(!Handled::some_action_of("workflow_run"));
        assert_eq!(of("affiliation", Some("changed")), None);
        assert_eq!(of("", None), None);
        assert!(Handled::some_action_of("star"));
    }

    #[test]
    fn a_job_change_is_derived_never_subscribed_nor_labelled() {
        let k = EventKind::AffiliationChanged;
        assert!(k.derived() && !k.labelable());
        assert_eq!(EventKind::parse("affiliation.changed"), Some(k));
        assert!(!EventKind::SEEN.contains(&k));
        assert!(EventKind::SEEN.iter().all(|s| !s.derived()));
        assert!(subscriptions().all(|(header, _)| !header.contains("affiliation")));
        assert_eq!(subscriptions().count(), EventKind::SEEN.len());
    }

    #[test]
    fn stars_and_forks_are_background_work() {
        assert!(Handled::background("star"));
        assert!(Handled::background("watch"));
        assert!(Handled::background("fork"));
        assert!(!Handled::background("issues"));
        assert!(!Handled::background("issue_comment"));
        assert!(!Handled::background("installation"));
    }
}
