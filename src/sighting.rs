//! A sighting: one person, classified, doing one thing in one repository.
//! Rules read it, messages render it, the digest and the dashboard count it,
//! and the store keeps it (for `retention`).

use crate::affiliation::{Affiliation, Signal};
pub use crate::event::EventKind;
use crate::event::{Event, Item, Repository};
use crate::intent::{Intent, Source, Taxonomy};
use crate::people::Tenure;
use crate::time::Millis;
use serde::{Deserialize, Serialize};

/// What the ledger key of a job change's actions ends with: the delivery's
/// own id followed by this, so its actions are carried out exactly once,
/// apart from the delivery's own.
pub const CHANGE_SUFFIX: &str = ":moved";

/// The issue, pull request, discussion or comment a sighting is about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SightedItem {
    /// The issue, pull request or discussion number (for a comment: of its issue).
    pub number: u64,
    pub title: String,
    /// The first part of the body, as the payload had it (at most 1,000 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
}

/// One sighting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sighting {
    /// The delivery it came from (the key of the action ledger).
    pub delivery_id: String,
    /// When GitHub's delivery was received.
    pub at: Millis,
    pub event: EventKind,
    /// `owner/name` of the repository it happened in.
    pub repository: String,
    pub repository_private: bool,
    pub item: Option<SightedItem>,
    /// A link to the item, the comment, the fork, or (for a star) the repository.
    pub url: String,
    pub login: String,
    /// The target account's id, if the person belongs to one.
    pub account: Option<String>,
    /// The target account's display name.
    pub account_name: Option<String>,
    /// The organization found, target account or not.
    pub organization: Option<String>,
    pub tier: Option<String>,
    pub confidence: f64,
    /// The evidence in one line, for private channels only:
    /// "company email domain acme.com; public member of @acme-labs".
    pub evidence: String,
    /// The topics the person asks about: each with the phrase found and
    /// where (title, body or comment), never more of the text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub intent: Vec<Intent>,
    /// The kind of evidence that decided the account (or organization):
    /// `email_domain`, `org_membership`, ... (what precision is counted by).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signal: Option<Signal>,
    /// The rules that matched it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<String>,
    /// For a job change ([`EventKind::AffiliationChanged`]): where the
    /// person was seen before, and from when to when.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moved_from: Option<Tenure>,
}

impl Sighting {
    /// The name to show for whom the person works: the account's name, else
    /// the organization found.
    pub fn who_for(&self) -> Option<&str> {
        self.account_name
            .as_deref()
            .or(self.account.as_deref())
            .or(self.organization.as_deref())
    }

    /// The name shown for the sighting's group: the account or organization,
    /// else the person's login.
    pub fn group_name(&self) -> &str {
        self.who_for().unwrap_or(&self.login)
    }

    /// The key throttling and the digest group by: the account, else the
    /// organization (lowercased), else the person.
    pub fn group_key(&self) -> String {
        match (&self.account, &self.organization) {
            (Some(a), _) => format!("account:{a}"),
            (None, Some(o)) => format!("org:{}", o.to_lowercase()),
            (None, None) => format!("login:{}", self.login.to_lowercase()),
        }
    }

    /// The delivery an answer about this sighting is about: its own, or for
    /// a job change, the delivery that raised it.
    pub fn answered_delivery(&self) -> &str {
        match self.moved_from {
            Some(_) => self
                .delivery_id
                .strip_suffix(CHANGE_SUFFIX)
                .unwrap_or(&self.delivery_id),
            None => &self.delivery_id,
        }
    }

    /// What it said, as an answer about it records: its account, deciding
    /// signal and rules.
    pub fn sighted(&self) -> crate::people::Sighted {
        crate::people::Sighted {
            account: self.account.clone(),
            signal: self.signal.as_ref().map(ToString::to_string),
            rules: self.rules.clone(),
        }
    }

    /// `https://github.com/LOGIN`
    pub fn profile_url(&self) -> String {
        format!("https://github.com/{}", self.login)
    }
}

impl Sighting {
    /// The sighting an event makes, for the events that are about a person.
    /// `account_name` is the display name of `affiliation.account`; the
    /// intent topics are found with `taxonomy` in the item's title and body
    /// (for a comment, the issue's title and the comment).
    pub fn of(
        delivery_id: &str,
        at: Millis,
        event: &Event,
        affiliation: &Affiliation,
        account_name: Option<String>,
        evidence: String,
        taxonomy: &Taxonomy,
    ) -> Option<Sighting> {
        let item = |i: &Item| SightedItem {
            number: i.number,
            title: i.title.clone(),
            body: i.body.clone(),
        };
        let repo_url = |r: &Repository| {
            r.html_url
                .clone()
                .unwrap_or_else(|| format!("https://github.com/{}", r.full_name))
        };
        let kind = event.kind()?;
        let (repository, sighted, url) = match event {
            Event::IssueOpened(o) | Event::PullRequestOpened(o) | Event::DiscussionCreated(o) => {
                let url = o
                    .item
                    .html_url
                    .clone()
                    .unwrap_or_else(|| repo_url(&o.repository));
                (&o.repository, Some(item(&o.item)), url)
            }
            Event::IssueCommentCreated {
                repository,
                issue,
                comment,
                ..
            } => {
                let mut sighted = item(issue);
                sighted.body = comment.body.clone();
                let url = comment
                    .html_url
                    .clone()
                    .or_else(|| issue.html_url.clone())
                    .unwrap_or_else(|| repo_url(repository));
                (repository, Some(sighted), url)
            }
            Event::StarCreated { repository, .. } => (repository, None, repo_url(repository)),
            Event::Fork {
                repository, fork, ..
            } => (repository, None, repo_url(fork)),
            Event::Installation { .. } | Event::InstallationRepositories { .. } => return None,
        };
        let body_source = if kind == EventKind::IssueCommentCreated {
            Source::Comment
        } else {
            Source::Body
        };
        let intent = sighted.as_ref().map_or_else(Vec::new, |i| {
            taxonomy.detect(&i.title, i.body.as_deref(), body_source)
        });
        Some(Sighting {
            delivery_id: delivery_id.to_string(),
            at,
            event: kind,
            repository: repository.full_name.clone(),
            repository_private: repository.private,
            item: sighted,
            url,
            login: affiliation.login.clone(),
            account: affiliation.account.clone(),
            account_name,
            organization: affiliation.organization.clone(),
            tier: affiliation.tier.clone(),
            confidence: affiliation.confidence,
            evidence,
            intent,
            signal: affiliation.deciding_signal(),
            rules: Vec::new(),
            moved_from: None,
        })
    }

    /// "SSO (SAML), commercial (pricing)": the topics asked about, named as
    /// `taxonomy` labels them, each with the phrase found.
    pub fn asks_about(&self, taxonomy: &Taxonomy) -> Option<String> {
        asks_about(&self.intent, taxonomy)
    }

    /// Whether the sighting is worth keeping: it names an account or an
    /// organization (individuals are not leads, and are not stored).
    pub fn names_someone(&self) -> bool {
        self.account.is_some() || self.organization.is_some()
    }
}

/// "SSO (SAML), commercial (pricing)", or `None` without topics.
pub fn asks_about(intent: &[Intent], taxonomy: &Taxonomy) -> Option<String> {
    let parts: Vec<String> = intent
        .iter()
        .map(|i| format!("{} ({})", taxonomy.label(&i.topic), i.phrase))
        .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}
