//! GitHub's GraphQL API: a query's data and the errors of its parts, and
//! GitHub's rate-limit answer (HTTP 200 with an error) waited out like a
//! REST limit.

use super::client::{GitHub, decode};
use super::error::GitHubError;
use super::ratelimit::{Limited, RateLimit, wait_for};
use super::request::{Auth, Kind};
use http::Method;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

impl GitHub {
    /// A GraphQL query; GitHub Enterprise Server's endpoint is `/api/graphql`.
    /// Any error in the answer fails the whole query; see [`Self::graphql_reply`]
    /// for queries whose parts may fail on their own.
    pub async fn graphql<T: DeserializeOwned>(
        &self,
        auth: Auth,
        query: &str,
        variables: serde_json::Value,
    ) -> Result<T, GitHubError> {
        let path = self.url.graphql_path.clone();
        let reply: GraphQlReply<T> = self.graphql_reply(auth, query, variables).await?;
        match (reply.data, reply.errors.first()) {
            (Some(data), None) => Ok(data),
            (_, Some(error)) => Err(GitHubError::Decode {
                method: "POST".into(),
                path,
                reason: format!("GraphQL error: {}", error.message),
            }),
            (None, None) => Err(GitHubError::Decode {
                method: "POST".into(),
                path,
                reason: "no data".into(),
            }),
        }
    }

    /// A GraphQL query's data and errors as GitHub sent them. GitHub's
    /// rate-limit answer (HTTP 200 with an error of type `RATE_LIMITED`, or
    /// `RATE_LIMIT` with code `graphql_rate_limit`) is a wait, never a failure
    /// of the query: it is waited out like a REST limit, or returned as
    /// [`GitHubError::RateLimited`] when the wait is longer than the policy allows.
    pub async fn graphql_reply<T: DeserializeOwned>(
        &self,
        auth: Auth,
        query: &str,
        variables: serde_json::Value,
    ) -> Result<GraphQlReply<T>, GitHubError> {
        let path = self.url.graphql_path.clone();
        let body = serde_json::json!({ "query": query, "variables": variables });
        let mut repeats = 0u32;
        loop {
            let answer = self
                .send(auth, Method::POST, &path, Some(&body), Kind::Read)
                .await?;
            let reply: GraphQlReply<T> = decode("POST", &path, &answer.body)?;
            if !reply.errors.iter().any(GraphQlError::is_rate_limit) {
                return Ok(reply);
            }
            let limit = RateLimit::from_headers(&answer.headers);
            let wait = graphql_wait(&limit, self.clock.now(), repeats);
            repeats += 1;
            if wait > self.policy.max_wait || repeats >= self.policy.max_attempts {
                return Err(GitHubError::RateLimited {
                    method: "POST".into(),
                    path,
                    wait_secs: wait.as_secs().max(1),
                });
            }
            tracing::warn!(
                path,
                wait_secs = wait.as_secs(),
                "GraphQL rate limit reached; waiting"
            );
            self.clock.sleep(wait).await;
        }
    }
}

/// A GraphQL answer: the data, and the errors of the parts that failed.
#[derive(Debug, Deserialize)]
pub struct GraphQlReply<T> {
    pub data: Option<T>,
    #[serde(default = "Vec::new")]
    pub errors: Vec<GraphQlError>,
}

/// One entry of a GraphQL answer's `errors`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct GraphQlError {
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub message: String,
    /// Where in the query it failed: the alias first.
    #[serde(default)]
    pub path: Vec<serde_json::Value>,
}

impl GraphQlError {
    /// GitHub's "wait": `RATE_LIMITED`, or `RATE_LIMIT` / code `graphql_rate_limit`.
    pub fn is_rate_limit(&self) -> bool {
        matches!(self.kind.as_deref(), Some("RATE_LIMITED" | "RATE_LIMIT"))
            || self.code.as_deref() == Some("graphql_rate_limit")
    }

    /// The node asked for does not exist (an unknown login, for example).
    pub fn is_not_found(&self) -> bool {
        self.kind.as_deref() == Some("NOT_FOUND")
    }

    /// The alias (the first element of `path`) the error belongs to.
    pub fn alias(&self) -> Option<&str> {
        self.path.first().and_then(|p| p.as_str())
    }
}

/// How long to wait after GraphQL's rate-limit answer: until
/// `x-ratelimit-reset` when GitHub sent one in the future, otherwise a minute,
/// doubling on repeats (the answer does not always say 0 remaining).
fn graphql_wait(limit: &RateLimit, now: SystemTime, repeats: u32) -> Duration {
    let reset = limit
        .reset
        .map(|r| UNIX_EPOCH + Duration::from_secs(r))
        .filter(|r| *r > now);
    match reset {
        Some(reset) => wait_for(Limited::Primary { reset_at: reset }, now, 0),
        None => wait_for(Limited::Secondary { retry_after: None }, now, repeats),
    }
}
