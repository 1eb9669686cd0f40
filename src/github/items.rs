//! The role the actions need from GitHub: reading and writing labels, issues
//! and comments. The real client implements it; tests use a small fake.

use super::api::{Comment, Issue, Label, RepositoryInfo};
use super::{GitHub, GitHubError};
use async_trait::async_trait;

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
    async fn label(&self, i: u64, repo: &str, name: &str) -> Result<Option<Label>, GitHubError> {
        GitHub::label(self, i, repo, name).await
    }

    async fn create_label(
        &self,
        i: u64,
        repo: &str,
        name: &str,
        color: &str,
        description: &str,
    ) -> Result<Label, GitHubError> {
        GitHub::create_label(self, i, repo, name, color, description).await
    }

    async fn add_labels(
        &self,
        i: u64,
        repo: &str,
        number: u64,
        labels: &[String],
    ) -> Result<Vec<Label>, GitHubError> {
        GitHub::add_labels(self, i, repo, number, labels).await
    }

    async fn issue_labels(
        &self,
        i: u64,
        repo: &str,
        number: u64,
    ) -> Result<Vec<Label>, GitHubError> {
        GitHub::issue_labels(self, i, repo, number).await
    }

    async fn repo_installation(&self, repo: &str) -> Result<u64, GitHubError> {
        GitHub::repo_installation(self, repo).await
    }

    async fn repository(&self, i: u64, repo: &str) -> Result<RepositoryInfo, GitHubError> {
        GitHub::repository(self, i, repo).await
    }

    async fn issues_labeled(
        &self,
        i: u64,
        repo: &str,
        label: &str,
    ) -> Result<Vec<Issue>, GitHubError> {
        GitHub::issues_labeled(self, i, repo, label).await
    }

    async fn create_issue(
        &self,
        i: u64,
        repo: &str,
        title: &str,
        body: &str,
        labels: &[&str],
    ) -> Result<Issue, GitHubError> {
        GitHub::create_issue(self, i, repo, title, body, labels).await
    }

    async fn comments(&self, i: u64, repo: &str, number: u64) -> Result<Vec<Comment>, GitHubError> {
        GitHub::comments(self, i, repo, number).await
    }

    async fn create_comment(
        &self,
        i: u64,
        repo: &str,
        number: u64,
        body: &str,
    ) -> Result<Comment, GitHubError> {
        GitHub::create_comment(self, i, repo, number, body).await
    }
}
