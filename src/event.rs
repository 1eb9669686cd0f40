//! The events orgradar acts on, and the slice of GitHub's payload they need.
//!
//! Ingress parses the raw body into [`Payload`] (only the fields below; the
//! rest of GitHub's often 10+ KiB payload is skipped) and stores that slim
//! form. The worker decodes it into an [`Event`]. `action` stays a plain
//! string: GitHub adds actions, and a closed enum would break on the next one.

use serde::{Deserialize, Serialize};

/// The fields orgradar reads from any webhook payload.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Payload {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub installation: Option<Installation>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repository: Option<Repository>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<Account>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sender: Option<User>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issue: Option<Item>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pull_request: Option<Item>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discussion: Option<Item>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<Comment>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forkee: Option<Repository>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repositories_added: Option<Vec<RepositoryName>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repositories_removed: Option<Vec<RepositoryName>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Installation {
    pub id: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<Account>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Account {
    pub login: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Repository {
    pub id: u64,
    pub full_name: String,
    #[serde(default)]
    pub private: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub html_url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RepositoryName {
    pub full_name: String,
}

/// A GitHub account as it appears in `sender`, `user` and `owner`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct User {
    pub login: String,
    pub id: u64,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}

/// An issue, pull request or discussion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    pub number: u64,
    #[serde(default)]
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub html_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<User>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author_association: Option<String>,
    /// The start of the body (see [`BODY_EXCERPT`]).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "excerpt"
    )]
    pub body: Option<String>,
    /// On an issue: present when the issue is a pull request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pull_request: Option<PullRequestLink>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PullRequestLink {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub html_url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comment {
    pub id: u64,
    /// The start of the body (see [`BODY_EXCERPT`]).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "excerpt"
    )]
    pub body: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub html_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<User>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author_association: Option<String>,
}

/// How much of an issue, pull request, discussion or comment body is kept:
/// enough for a message to say what it is about.
pub const BODY_EXCERPT: usize = 1000;

fn excerpt<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let body: Option<String> = Option::deserialize(d)?;
    Ok(body.map(|mut b| {
        if let Some((cut, _)) = b.char_indices().nth(BODY_EXCERPT) {
            b.truncate(cut);
        }
        b
    }))
}

/// What happened, in orgradar's terms.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    IssueOpened(Opened),
    PullRequestOpened(Opened),
    DiscussionCreated(Opened),
    IssueCommentCreated {
        repository: Repository,
        issue: Item,
        comment: Comment,
        author: User,
    },
    StarCreated {
        repository: Repository,
        sender: User,
    },
    Fork {
        repository: Repository,
        fork: Repository,
        sender: User,
    },
    /// `installation`: created, deleted, suspend, unsuspend, new_permissions_accepted...
    Installation {
        action: String,
        installation_id: u64,
        account: Option<String>,
    },
    /// `installation_repositories`: repositories added to or removed from an installation.
    InstallationRepositories {
        action: String,
        installation_id: u64,
        added: Vec<String>,
        removed: Vec<String>,
    },
}

/// An issue, pull request or discussion that someone opened.
#[derive(Debug, Clone, PartialEq)]
pub struct Opened {
    pub repository: Repository,
    pub item: Item,
    pub author: User,
}

/// A stored payload that lacks what its event needs.
#[derive(Debug, thiserror::Error)]
#[error("`{event}` payload has no `{field}`")]
pub struct DecodeError {
    pub event: String,
    pub field: &'static str,
}

impl Event {
    /// Decodes a payload received with header `X-GitHub-Event: event`.
    /// `Ok(None)`: an event or action orgradar does not act on.
    pub fn decode(event: &str, p: Payload) -> Result<Option<Event>, DecodeError> {
        let missing = |field| DecodeError {
            event: match &p.action {
                Some(a) => format!("{event}.{a}"),
                None => event.to_string(),
            },
            field,
        };
        let action = p.action.as_deref().unwrap_or_default();
        let repository = || p.repository.clone().ok_or_else(|| missing("repository"));
        let sender = || p.sender.clone().ok_or_else(|| missing("sender"));
        let opened = |item: &Option<Item>, field| -> Result<Opened, DecodeError> {
            let item = item.clone().ok_or_else(|| missing(field))?;
            let author = item.user.clone().ok_or_else(|| missing("user"))?;
            Ok(Opened {
                repository: repository()?,
                item,
                author,
            })
        };
        let installation_id = || {
            p.installation
                .as_ref()
                .map(|i| i.id)
                .ok_or_else(|| missing("installation"))
        };
        Ok(Some(match (event, action) {
            ("issues", "opened") => Event::IssueOpened(opened(&p.issue, "issue")?),
            ("pull_request", "opened") => {
                Event::PullRequestOpened(opened(&p.pull_request, "pull_request")?)
            }
            ("discussion", "created") => {
                Event::DiscussionCreated(opened(&p.discussion, "discussion")?)
            }
            ("issue_comment", "created") => {
                let comment = p.comment.clone().ok_or_else(|| missing("comment"))?;
                Event::IssueCommentCreated {
                    repository: repository()?,
                    issue: p.issue.clone().ok_or_else(|| missing("issue"))?,
                    author: comment
                        .user
                        .clone()
                        .ok_or_else(|| missing("comment.user"))?,
                    comment,
                }
            }
            ("star", "created") => Event::StarCreated {
                repository: repository()?,
                sender: sender()?,
            },
            ("fork", _) => Event::Fork {
                repository: repository()?,
                fork: p.forkee.clone().ok_or_else(|| missing("forkee"))?,
                sender: sender()?,
            },
            ("installation", action) => Event::Installation {
                action: action.to_string(),
                installation_id: installation_id()?,
                account: p
                    .installation
                    .as_ref()
                    .and_then(|i| i.account.as_ref())
                    .map(|a| a.login.clone()),
            },
            ("installation_repositories", action) => {
                let names = |list: &Option<Vec<RepositoryName>>| {
                    list.iter().flatten().map(|r| r.full_name.clone()).collect()
                };
                Event::InstallationRepositories {
                    action: action.to_string(),
                    installation_id: installation_id()?,
                    added: names(&p.repositories_added),
                    removed: names(&p.repositories_removed),
                }
            }
            _ => return Ok(None),
        }))
    }

    /// A short description for logs, e.g. `issues.opened octo-org/octo-repo#1 by octocat`.
    pub fn summary(&self) -> String {
        match self {
            Event::IssueOpened(o) => {
                format!("issue opened {} by {}", o.reference(), o.author.login)
            }
            Event::PullRequestOpened(o) => {
                format!(
                    "pull request opened {} by {}",
                    o.reference(),
                    o.author.login
                )
            }
            Event::DiscussionCreated(o) => {
                format!("discussion created {} by {}", o.reference(), o.author.login)
            }
            Event::IssueCommentCreated {
                repository,
                issue,
                author,
                ..
            } => format!(
                "comment on {}#{} by {}",
                repository.full_name, issue.number, author.login
            ),
            Event::StarCreated { repository, sender } => {
                format!("{} starred {}", sender.login, repository.full_name)
            }
            Event::Fork {
                repository, sender, ..
            } => format!("{} forked {}", sender.login, repository.full_name),
            Event::Installation {
                action,
                installation_id,
                account,
            } => format!(
                "installation {installation_id} {action} on {}",
                account.as_deref().unwrap_or("an unknown account")
            ),
            Event::InstallationRepositories {
                action,
                installation_id,
                added,
                removed,
            } => format!(
                "installation {installation_id} repositories {action}: +{} -{}",
                added.len(),
                removed.len()
            ),
        }
    }
}

/// The person an event is about, as the payload names them.
#[derive(Debug, Clone, PartialEq)]
pub struct Actor<'a> {
    pub user: &'a User,
    /// The item's `author_association`, where the event has one.
    pub association: Option<&'a str>,
    /// `(repository, number)` of a pull request, whose commits tell more.
    pub pull_request: Option<(&'a str, u64)>,
}

impl Event {
    /// Who did it, for the events that are about a person.
    pub fn actor(&self) -> Option<Actor<'_>> {
        fn actor<'a>(user: &'a User, association: &'a Option<String>) -> Actor<'a> {
            Actor {
                user,
                association: association.as_deref(),
                pull_request: None,
            }
        }
        match self {
            Event::IssueOpened(o) | Event::DiscussionCreated(o) => {
                Some(actor(&o.author, &o.item.author_association))
            }
            Event::PullRequestOpened(o) => Some(Actor {
                pull_request: Some((o.repository.full_name.as_str(), o.item.number)),
                ..actor(&o.author, &o.item.author_association)
            }),
            Event::IssueCommentCreated {
                author, comment, ..
            } => Some(actor(author, &comment.author_association)),
            Event::StarCreated { sender, .. } | Event::Fork { sender, .. } => Some(Actor {
                user: sender,
                association: None,
                pull_request: None,
            }),
            Event::Installation { .. } | Event::InstallationRepositories { .. } => None,
        }
    }
}

impl User {
    /// A GitHub App or other bot account.
    pub fn is_bot(&self) -> bool {
        self.kind.as_deref() == Some("Bot") || self.login.ends_with("[bot]")
    }
}

impl Opened {
    fn reference(&self) -> String {
        format!("{}#{}", self.repository.full_name, self.item.number)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn payload(json: &str) -> Payload {
        serde_json::from_str(json).unwrap()
    }

    const REPO: &str = r#""repository":{"id":1,"full_name":"acme/widgets","private":false}"#;
    const SENDER: &str = r#""sender":{"login":"octocat","id":7,"type":"User"}"#;

    #[test]
    fn issue_opened_decodes_with_its_author() {
        let p = payload(&format!(
            r#"{{"action":"opened",{REPO},{SENDER},"issue":{{"number":3,"title":"Crash","user":{{"login":"alice","id":9}},"author_association":"NONE"}}}}"#
        ));
        let Some(Event::IssueOpened(o)) = Event::decode("issues", p).unwrap() else {
            panic!("not an issue")
        };
        assert_eq!(o.author.login, "alice");
        assert_eq!(o.item.author_association.as_deref(), Some("NONE"));
        assert_eq!(o.repository.full_name, "acme/widgets");
    }

    #[test]
    fn other_actions_and_events_are_not_acted_on() {
        let p = payload(&format!(r#"{{"action":"edited",{REPO},{SENDER}}}"#));
        assert_eq!(Event::decode("issues", p.clone()).unwrap(), None);
        assert_eq!(Event::decode("push", p).unwrap(), None);
    }

    #[test]
    fn a_missing_field_is_named() {
        let p = payload(&format!(r#"{{"action":"opened",{REPO},{SENDER}}}"#));
        let err = Event::decode("pull_request", p).unwrap_err();
        assert_eq!(
            err.to_string(),
            "`pull_request.opened` payload has no `pull_request`"
        );
    }

    #[test]
    fn slim_payload_round_trips() {
        let p = payload(&format!(
            r#"{{"action":"created",{REPO},{SENDER},"installation":{{"id":5}},"extra":{{"deep":[1,2]}}}}"#
        ));
        let stored = serde_json::to_string(&p).unwrap();
        assert!(!stored.contains("extra"));
        assert_eq!(payload(&stored), p);
    }
}
