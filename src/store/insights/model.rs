//! What the dashboard shows, as the store's queries return it and the pages
//! render it.

use crate::sighting::{EventKind, Sighting};
use crate::time::Millis;
use serde::Serialize;

/// A day in milliseconds; the dashboard's days and weeks are UTC.
pub const DAY: Millis = 86_400_000;

/// The Monday 00:00 UTC that starts the week of `ms`.
pub fn week_start(ms: Millis) -> Millis {
    let days = ms.div_euclid(DAY);
    // 1970-01-01 was a Thursday, three days after a Monday.
    (days - (days + 3).rem_euclid(7)) * DAY
}

/// The view a person chose: a period and optional filters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Filter {
    /// `[from, to)` in Unix milliseconds.
    pub from: Millis,
    pub to: Millis,
    /// `owner/name`, exact.
    pub repository: Option<String>,
    /// Exact, case-insensitive.
    pub tier: Option<String>,
    pub event: Option<EventKind>,
}

/// Sightings counted by kind of event.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct EventCounts {
    pub issues: u64,
    pub pull_requests: u64,
    pub discussions: u64,
    pub comments: u64,
    pub stars: u64,
    pub forks: u64,
}

impl EventCounts {
    pub fn total(&self) -> u64 {
        self.issues
            + self.pull_requests
            + self.discussions
            + self.comments
            + self.stars
            + self.forks
    }

    /// The sightings of `kind`.
    pub fn get(&self, kind: EventKind) -> u64 {
        match kind {
            EventKind::IssueOpened => self.issues,
            EventKind::PullRequestOpened => self.pull_requests,
            EventKind::DiscussionCreated => self.discussions,
            EventKind::IssueCommentCreated => self.comments,
            EventKind::StarCreated => self.stars,
            EventKind::Fork => self.forks,
            // Not kept: the person's activity is counted by the event it came from.
            EventKind::AffiliationChanged => 0,
        }
    }

    /// Adds `n` sightings of `kind`.
    pub fn add(&mut self, kind: EventKind, n: u64) {
        match kind {
            EventKind::IssueOpened => self.issues += n,
            EventKind::PullRequestOpened => self.pull_requests += n,
            EventKind::DiscussionCreated => self.discussions += n,
            EventKind::IssueCommentCreated => self.comments += n,
            EventKind::StarCreated => self.stars += n,
            EventKind::Fork => self.forks += n,
            EventKind::AffiliationChanged => {}
        }
    }
}

/// One account (or organization) in the overview.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupRow {
    /// `account:ID`, `org:NAME` or `login:LOGIN` (see `Sighting::group_key`).
    pub key: String,
    /// The account's name, else the organization's, else the login.
    pub name: String,
    /// The target account's id, if it is one.
    pub account: Option<String>,
    pub tier: Option<String>,
    /// Distinct logins seen.
    pub people: u64,
    pub counts: EventCounts,
    pub first_seen: Millis,
    pub last_seen: Millis,
}

/// Sightings in one week (starting Monday 00:00 UTC) of one tier (`None`:
/// organizations without a tier).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WeekCount {
    pub week_start: Millis,
    pub tier: Option<String>,
    pub sightings: u64,
}

/// The overview page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Overview {
    pub filter: Filter,
    /// Sorted by activity (total sightings), most first, then by name.
    pub groups: Vec<GroupRow>,
    /// Oldest week first; weeks without sightings are absent.
    pub weeks: Vec<WeekCount>,
    /// Every repository and tier with sightings in the period (for the filters).
    pub repositories: Vec<String>,
    pub tiers: Vec<String>,
}

/// A person of an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Person {
    pub login: String,
    pub sightings: u64,
    pub last_seen: Millis,
}

/// The page of one account (or organization).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupPage {
    pub filter: Filter,
    pub row: GroupRow,
    /// Most active first.
    pub people: Vec<Person>,
    /// (repository, sightings), most first.
    pub repositories: Vec<(String, u64)>,
    /// Most recent first, at most [`GROUP_PAGE_SIGHTINGS`].
    pub sightings: Vec<Sighting>,
}

/// How many sightings an account page lists.
pub const GROUP_PAGE_SIGHTINGS: usize = 500;
