//! The GitHub API calls orgradar makes, typed with only the fields it reads.

use super::{Auth, GitHub, GitHubError};
use http::Method;
use serde::{Deserialize, Serialize};
use serde_json::json;

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct AppInfo {
    pub id: u64,
    #[serde(default)]
    pub slug: Option<String>,
    pub name: String,
    pub html_url: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct AccountRef {
    pub login: String,
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct InstallationInfo {
    pub id: u64,
    pub account: AccountRef,
    #[serde(default)]
    pub suspended_at: Option<String>,
}

/// What GitHub returns when a manifest registration is completed.
#[derive(Deserialize)]
pub struct Conversion {
    pub id: u64,
    #[serde(default)]
    pub slug: Option<String>,
    pub name: String,
    pub html_url: String,
    pub pem: String,
    pub webhook_secret: Option<String>,
    pub client_id: String,
    pub client_secret: String,
}

impl std::fmt::Debug for Conversion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Conversion {{ id: {}, name: {:?}, secrets: [redacted] }}",
            self.id, self.name
        )
    }
}

/// `GET /users/{login}`: the public profile.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
pub struct UserProfile {
    pub login: String,
    #[serde(default)]
    pub id: u64,
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub company: Option<String>,
    #[serde(default)]
    pub blog: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Label {
    pub name: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Issue {
    pub number: u64,
    pub html_url: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub body: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Comment {
    pub id: u64,
    pub html_url: String,
    #[serde(default)]
    pub body: Option<String>,
}

/// One attempt at delivering a webhook, as GitHub logs it.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct HookDelivery {
    pub id: u64,
    /// The `X-GitHub-Delivery` of the delivery; shared by its redeliveries.
    pub guid: String,
    pub delivered_at: String,
    #[serde(default)]
    pub redelivery: bool,
    #[serde(default)]
    pub status_code: u16,
    #[serde(default)]
    pub status: String,
    pub event: String,
    #[serde(default)]
    pub action: Option<String>,
}

impl HookDelivery {
    /// When GitHub made this attempt, in Unix milliseconds.
    pub fn delivered_ms(&self) -> Option<i64> {
        self.delivered_at
            .parse::<jiff::Timestamp>()
            .ok()
            .map(|t| t.as_millisecond())
    }

    pub fn succeeded(&self) -> bool {
        (200..300).contains(&self.status_code)
    }
}

/// `GET /repos/{owner}/{repo}`: whether its contents are public.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct RepositoryInfo {
    pub full_name: String,
    #[serde(default)]
    pub private: bool,
}

#[derive(Deserialize)]
pub(super) struct Installed {
    pub(super) id: u64,
}

impl GitHub {
    /// `GET /app`: the app this key belongs to.
    pub async fn app_info(&self) -> Result<AppInfo, GitHubError> {
        self.get(Auth::App, "/app").await
    }

    /// `GET /app/installations`: every installation, all pages.
    pub async fn installations(&self) -> Result<Vec<InstallationInfo>, GitHubError> {
        self.get_all(Auth::App, "/app/installations").await
    }

    /// `GET /orgs/{org}/installation`: the app's installation on an organization.
    pub async fn org_installation(&self, org: &str) -> Result<u64, GitHubError> {
        let installed: Installed = self
            .get(Auth::App, &format!("/orgs/{org}/installation"))
            .await?;
        Ok(installed.id)
    }

    /// `GET /orgs/{org}/members/{login}`: whether `login` is a member of
    /// `org`, publicly or not (the installation needs `members: read`).
    pub async fn is_member(
        &self,
        installation: u64,
        org: &str,
        login: &str,
    ) -> Result<bool, GitHubError> {
        let path = self.url.rest(&format!("/orgs/{org}/members/{login}"));
        match self
            .send(
                Auth::Installation(installation),
                Method::GET,
                &path,
                None,
                super::Kind::Read,
            )
            .await
        {
            Ok(answer) => Ok(answer.status == 204),
            Err(e) if matches!(e.status(), Some(302 | 404)) => Ok(false),
            Err(e) => Err(e),
        }
    }

    pub async fn user(&self, installation: u64, login: &str) -> Result<UserProfile, GitHubError> {
        self.get(Auth::Installation(installation), &format!("/users/{login}"))
            .await
    }

    /// `GET /users/{login}/orgs`: public memberships only.
    pub async fn user_orgs(
        &self,
        installation: u64,
        login: &str,
    ) -> Result<Vec<AccountRef>, GitHubError> {
        self.get_all(
            Auth::Installation(installation),
            &format!("/users/{login}/orgs"),
        )
        .await
    }

    /// The app's webhook deliveries, newest first, back to `since_ms` (GitHub keeps three days).
    pub async fn hook_deliveries_since(
        &self,
        since_ms: i64,
    ) -> Result<Vec<HookDelivery>, GitHubError> {
        let older = |d: &HookDelivery| d.delivered_ms().is_some_and(|t| t < since_ms);
        let mut all: Vec<HookDelivery> = self
            .get_pages_while(
                Auth::App,
                "/app/hook/deliveries",
                |page: &[HookDelivery]| !page.iter().any(older),
            )
            .await?;
        all.retain(|d| !older(d));
        Ok(all)
    }

    /// `POST /app/hook/deliveries/{id}/attempts`: asks GitHub to deliver it again.
    pub async fn redeliver(&self, delivery: u64) -> Result<(), GitHubError> {
        let route = format!("/app/hook/deliveries/{delivery}/attempts");
        self.write::<serde_json::Value>(Auth::App, Method::POST, &route, &json!({}))
            .await
            .map(|_| ())
    }
}

/// `POST /app-manifests/{code}/conversions`: completes a manifest registration.
/// The code exchange needs no app credentials; it is what creates them.
pub async fn convert_manifest(github: &GitHub, code: &str) -> Result<Conversion, GitHubError> {
    github
        .write(
            Auth::Anonymous,
            Method::POST,
            &format!("/app-manifests/{code}/conversions"),
            &json!({}),
        )
        .await
}
