//! The events orgradar acts on, and the slice of GitHub's payload they need.
//!
//! Ingress stores the slim [`Payload`]; the worker decodes it into an
//! [`Event`], by the one table of [`Handled`] events. An installation's
//! `action` stays a plain string: GitHub adds actions, and a closed enum
//! would break on the next one.

mod kind;
mod payload;

pub use kind::{EventKind, Handled, subscriptions};
pub use payload::{
    Account, BODY_EXCERPT, Comment, Installation, Item, Payload, PullRequestLink, Repository,
    RepositoryName, User,
};

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
        let Some(handled) = Handled::of(event, p.action.as_deref()) else {
            return Ok(None);
        };
        Ok(Some(match handled {
            Handled::Person(EventKind::IssueOpened) => {
                Event::IssueOpened(opened(&p.issue, "issue")?)
            }
            Handled::Person(EventKind::PullRequestOpened) => {
                Event::PullRequestOpened(opened(&p.pull_request, "pull_request")?)
            }
            Handled::Person(EventKind::DiscussionCreated) => {
                Event::DiscussionCreated(opened(&p.discussion, "discussion")?)
            }
            Handled::Person(EventKind::IssueCommentCreated) => {
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
            Handled::Person(EventKind::StarCreated) => Event::StarCreated {
                repository: repository()?,
                sender: sender()?,
            },
            Handled::Person(EventKind::Fork) => Event::Fork {
                repository: repository()?,
                fork: p.forkee.clone().ok_or_else(|| missing("forkee"))?,
                sender: sender()?,
            },
            // Derived by the worker; no delivery is one.
            Handled::Person(EventKind::AffiliationChanged) => return Ok(None),
            Handled::Installation => Event::Installation {
                action: action.to_string(),
                installation_id: installation_id()?,
                account: p
                    .installation
                    .as_ref()
                    .and_then(|i| i.account.as_ref())
                    .map(|a| a.login.clone()),
            },
            Handled::InstallationRepositories => {
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
        }))
    }

    /// The kind of event about a person; `None` for installation events.
    pub fn kind(&self) -> Option<EventKind> {
        Some(match self {
            Event::IssueOpened(_) => EventKind::IssueOpened,
            Event::PullRequestOpened(_) => EventKind::PullRequestOpened,
            Event::DiscussionCreated(_) => EventKind::DiscussionCreated,
            Event::IssueCommentCreated { .. } => EventKind::IssueCommentCreated,
            Event::StarCreated { .. } => EventKind::StarCreated,
            Event::Fork { .. } => EventKind::Fork,
            Event::Installation { .. } | Event::InstallationRepositories { .. } => return None,
        })
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
