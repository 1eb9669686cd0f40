//! The slice of GitHub's webhook payload orgradar reads. Ingress parses the
//! raw body into [`Payload`] (only these fields; the rest of GitHub's often
//! 10+ KiB payload is skipped) and stores that slim form.

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
