//! The role the actions need from GitHub: reading and writing labels, issues
//! and comments, implemented by the real client with the calls below;
//! tests use a small fake.

use super::api::{Comment, Installed, Issue, Label, RepositoryInfo};
use super::{Auth, GitHub, GitHubError};
use async_trait::async_trait;
use http::Method;
use serde_json::json;

/// Labels on items, and issues and comments in a leads repository.
#[async_trait]
pub trait Items: Send + Sync {
    /// The repository's label `name`, if it has one.
    async fn label(
        &self,
        installation: u64,
        repo: &str,
        name: &str,
    ) -> Result<Option<Label>, GitHubError>;

    async fn create_label(
        &self,
        installation: u64,
        repo: &str,
        name: &str,
        color: &str,
        description: &str,
    ) -> Result<Label, GitHubError>;

    /// Adds labels to an issue or pull request; labels already there stay.
    async fn add_labels(
        &self,
        installation: u64,
        repo: &str,
        number: u64,
        labels: &[String],
    ) -> Result<Vec<Label>, GitHubError>;

    /// Removes a label from an issue or pull request; a label that is not
    /// there (any more) is no error.
    async fn remove_label(
        &self,
        installation: u64,
        repo: &str,
        number: u64,
        label: &str,
    ) -> Result<(), GitHubError>;

    async fn issue_labels(
        &self,
        installation: u64,
        repo: &str,
        number: u64,
    ) -> Result<Vec<Label>, GitHubError>;

    /// The installation of the app on `repo`'s account (with the app's JWT).
    async fn repo_installation(&self, repo: &str) -> Result<u64, GitHubError>;

    async fn repository(
        &self,
        installation: u64,
        repo: &str,
    ) -> Result<RepositoryInfo, GitHubError>;

    /// Every issue (open or closed) of `repo` that carries `label`.
    async fn issues_labeled(
        &self,
        installation: u64,
        repo: &str,
        label: &str,
    ) -> Result<Vec<Issue>, GitHubError>;

    async fn create_issue(
        &self,
        installation: u64,
        repo: &str,
        title: &str,
        body: &str,
        labels: &[&str],
    ) -> Result<Issue, GitHubError>;

    async fn comments(
        &self,
        installation: u64,
        repo: &str,
        number: u64,
    ) -> Result<Vec<Comment>, GitHubError>;

    async fn create_comment(
        &self,
        installation: u64,
        repo: &str,
        number: u64,
        body: &str,
    ) -> Result<Comment, GitHubError>;
}

#[async_trait]
impl Items for GitHub {
    /// `GET /repos/{repo}/labels/{name}`; `None` when the repository has no such label.
    async fn label(
        &self,
        installation: u64,
        repo: &str,
        name: &str,
    ) -> Result<Option<Label>, GitHubError> {
        let route = format!("/repos/{repo}/labels/{}", path_segment(name));
        match self.get(Auth::Installation(installation), &route).await {
            Ok(label) => Ok(Some(label)),
            Err(e) if e.status() == Some(404) => Ok(None),
            Err(e) => Err(e),
        }
    }

    async fn create_label(
        &self,
        installation: u64,
        repo: &str,
        name: &str,
        color: &str,
        description: &str,
    ) -> Result<Label, GitHubError> {
        let body = json!({ "name": name, "color": color, "description": description });
        self.post_as(installation, &format!("/repos/{repo}/labels"), &body)
            .await
    }

    /// Adds labels to an issue or pull request; labels already there stay as they are.
    async fn add_labels(
        &self,
        installation: u64,
        repo: &str,
        number: u64,
        labels: &[String],
    ) -> Result<Vec<Label>, GitHubError> {
        let body = json!({ "labels": labels });
        let route = format!("/repos/{repo}/issues/{number}/labels");
        self.post_as(installation, &route, &body).await
    }

    /// `DELETE /repos/{repo}/issues/{number}/labels/{name}`; GitHub's 404
    /// (the label is not on it) means it is gone already.
    async fn remove_label(
        &self,
        installation: u64,
        repo: &str,
        number: u64,
        label: &str,
    ) -> Result<(), GitHubError> {
        let route = format!(
            "/repos/{repo}/issues/{number}/labels/{}",
            path_segment(label)
        );
        let removed: Result<serde_json::Value, _> = self
            .write(
                Auth::Installation(installation),
                Method::DELETE,
                &route,
                &json!({}),
            )
            .await;
        match removed {
            Ok(_) => Ok(()),
            Err(e) if e.status() == Some(404) => Ok(()),
            Err(e) => Err(e),
        }
    }

    async fn issue_labels(
        &self,
        installation: u64,
        repo: &str,
        number: u64,
    ) -> Result<Vec<Label>, GitHubError> {
        self.get_all(
            Auth::Installation(installation),
            &format!("/repos/{repo}/issues/{number}/labels"),
        )
        .await
    }

    /// `GET /repos/{owner}/{repo}/installation`: the installation that covers a repository.
    async fn repo_installation(&self, full_name: &str) -> Result<u64, GitHubError> {
        let installed: Installed = self
            .get(Auth::App, &format!("/repos/{full_name}/installation"))
            .await?;
        Ok(installed.id)
    }

    async fn repository(
        &self,
        installation: u64,
        repo: &str,
    ) -> Result<RepositoryInfo, GitHubError> {
        self.get(Auth::Installation(installation), &format!("/repos/{repo}"))
            .await
    }

    /// Every issue (open or closed) of `repo` that carries `label`.
    async fn issues_labeled(
        &self,
        installation: u64,
        repo: &str,
        label: &str,
    ) -> Result<Vec<Issue>, GitHubError> {
        let encoded: String = form_urlencoded::byte_serialize(label.as_bytes()).collect();
        self.get_all(
            Auth::Installation(installation),
            &format!("/repos/{repo}/issues?state=all&labels={encoded}"),
        )
        .await
    }

    async fn create_issue(
        &self,
        installation: u64,
        repo: &str,
        title: &str,
        body: &str,
        labels: &[&str],
    ) -> Result<Issue, GitHubError> {
        let payload = json!({ "title": title, "body": body, "labels": labels });
        self.post_as(installation, &format!("/repos/{repo}/issues"), &payload)
            .await
    }

    async fn comments(
        &self,
        installation: u64,
        repo: &str,
        number: u64,
    ) -> Result<Vec<Comment>, GitHubError> {
        self.get_all(
            Auth::Installation(installation),
            &format!("/repos/{repo}/issues/{number}/comments"),
        )
        .await
    }

    async fn create_comment(
        &self,
        installation: u64,
        repo: &str,
        number: u64,
        body: &str,
    ) -> Result<Comment, GitHubError> {
        let route = format!("/repos/{repo}/issues/{number}/comments");
        self.post_as(installation, &route, &json!({ "body": body }))
            .await
    }
}

/// A label name as one segment of a URL path (a space is `%20` there).
fn path_segment(name: &str) -> String {
    let encoded: String = form_urlencoded::byte_serialize(name.as_bytes()).collect();
    encoded.replace('+', "%20")
}

impl GitHub {
    /// POSTs `body` to `route` as `installation`: a write, repeated only
    /// where GitHub's answer shows it did not happen.
    async fn post_as<T: serde::de::DeserializeOwned>(
        &self,
        installation: u64,
        route: &str,
        body: &serde_json::Value,
    ) -> Result<T, GitHubError> {
        self.write(Auth::Installation(installation), Method::POST, route, body)
            .await
    }
}
