//! The one GitHub client: authenticates as the app (a JWT) or as an
//! installation (a cached token), reads the rate-limit headers of every
//! answer, waits out rate limits, and retries only what is safe to retry.
//! octocrab carries the requests (rustls, timeouts); paths are always sent
//! relative to the configured server, so tokens never leave it.

use super::budget::Budget;
use super::clock::Clock;
use super::error::GitHubError;
use super::key::AppKey;
use super::ratelimit::{RateLimit, wait_for};
use super::tokens::{Token, Tokens};
use super::url::ApiUrl;
use crate::metrics::Metrics;
use http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use http_body_util::BodyExt;
use octocrab::Octocrab;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

/// Who a request is made as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    /// The app itself (JWT): app-level routes such as `/app/installations`.
    App,
    /// An installation of the app (installation token).
    Installation(u64),
    /// No credentials (e.g. the manifest code exchange).
    Anonymous,
}

/// Whether repeating a request is harmless.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Read,
    /// Repeated only where GitHub's answer shows it did not happen.
    Write,
}

/// An answer with a 2xx status.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: bytes::Bytes,
}

/// Limits on waiting and retrying.
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    /// Attempts of one request at most, whatever the reasons.
    pub max_attempts: u32,
    /// Reads answered 5xx or not at all are tried again this often.
    pub server_error_retries: u32,
    /// A rate limit longer than this is returned as [`GitHubError::RateLimited`]
    /// instead of waited out in place: the worker then puts the delivery back
    /// in the store until the reset, rather than holding a slot for it.
    pub max_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 8,
            server_error_retries: 3,
            max_wait: Duration::from_secs(3600),
        }
    }
}

impl RetryPolicy {
    /// The server's: a rate limit of more than a few seconds is not waited
    /// out in a worker slot; the delivery waits in the store until the reset.
    pub fn server() -> Self {
        Self {
            max_wait: Duration::from_secs(5),
            ..Self::default()
        }
    }
}

/// The app's identity: its id and private key.
#[derive(Debug, Clone)]
pub struct AppCredentials {
    pub app_id: u64,
    pub key: AppKey,
}

pub struct GitHub {
    http: Octocrab,
    pub url: ApiUrl,
    app: Option<AppCredentials>,
    clock: Arc<dyn Clock>,
    pub(crate) tokens: Tokens,
    metrics: Option<Arc<Metrics>>,
    policy: RetryPolicy,
    budget: Arc<Budget>,
}

#[derive(Deserialize)]
struct Minted {
    token: String,
    expires_at: String,
}

#[derive(Deserialize)]
struct Message {
    #[serde(default)]
    message: String,
}

impl GitHub {
    /// A client for the server at `url`; without `app`, only anonymous calls work.
    pub fn new(
        url: ApiUrl,
        app: Option<AppCredentials>,
        clock: Arc<dyn Clock>,
        metrics: Option<Arc<Metrics>>,
    ) -> Result<Self, GitHubError> {
        let http = Octocrab::builder()
            .base_uri(url.origin.as_str())
            .and_then(|b| {
                b.set_connect_timeout(Some(Duration::from_secs(10)))
                    .set_read_timeout(Some(Duration::from_secs(30)))
                    .set_write_timeout(Some(Duration::from_secs(30)))
                    .build()
            })
            .map_err(|e| GitHubError::Transport {
                method: "-".into(),
                path: url.to_string(),
                reason: format!("cannot build the HTTP client: {e}"),
            })?;
        Ok(Self {
            http,
            url,
            app,
            clock,
            tokens: Tokens::default(),
            metrics,
            policy: RetryPolicy::default(),
            budget: Arc::new(Budget::default()),
        })
    }

    pub fn with_policy(mut self, policy: RetryPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// Shares `budget` (with its reserve) with this client's answers.
    pub fn with_budget(mut self, budget: Arc<Budget>) -> Self {
        self.budget = budget;
        self
    }

    /// What is left of each installation's API budget, as GitHub last said.
    pub fn budget(&self) -> &Budget {
        &self.budget
    }

    pub fn app_id(&self) -> Option<u64> {
        self.app.as_ref().map(|a| a.app_id)
    }

    /// An RS256 JWT for the app: issued 60 s in the past (clock drift), valid 9 minutes.
    pub fn app_jwt(&self) -> Result<String, GitHubError> {
        let app = self.app.as_ref().ok_or(GitHubError::NotConfigured)?;
        let now = self.now_secs();
        let claims = serde_json::json!({
            "iat": now.saturating_sub(60),
            "exp": now + 9 * 60,
            "iss": app.app_id.to_string(),
        });
        let header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
        jsonwebtoken::encode(&header, &claims, &app.key.0).map_err(|e| {
            GitHubError::Key(super::key::KeyError::NotRsa {
                variable: "PRIVATE_KEY".into(),
                reason: e.to_string(),
            })
        })
    }

    fn now_secs(&self) -> u64 {
        self.clock
            .now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
    }

    /// The installation's token: the cached one while it has more than five
    /// minutes left, a new one otherwise (or when `renew` is set).
    async fn installation_token(
        &self,
        installation: u64,
        renew: bool,
    ) -> Result<SecretString, GitHubError> {
        let slot = self.tokens.slot(installation);
        if !slot.is_active() {
            return Err(GitHubError::InstallationInactive(installation));
        }
        let mut cached = slot.token.lock().await;
        if !renew && let Some(token) = cached.as_ref().filter(|t| t.fresh_at(self.clock.now())) {
            return Ok(token.value.clone());
        }
        let path = self
            .url
            .rest(&format!("/app/installations/{installation}/access_tokens"));
        let answer = Box::pin(self.send(Auth::App, Method::POST, &path, None, Kind::Read)).await?;
        let minted: Minted = decode("POST", &path, &answer.body)?;
        let expires_at: jiff::Timestamp =
            minted
                .expires_at
                .parse()
                .map_err(|e: jiff::Error| GitHubError::Decode {
                    method: "POST".into(),
                    path: path.clone(),
                    reason: format!("expires_at: {e}"),
                })?;
        let expires_at = UNIX_EPOCH + Duration::from_secs(expires_at.as_second().max(0) as u64);
        let token = Token {
            value: SecretString::from(minted.token),
            expires_at,
        };
        let value = token.value.clone();
        *cached = Some(token);
        tracing::debug!(installation, "minted an installation token");
        Ok(value)
    }

    /// Sends one request, with the retries its kind allows. `path` is the
    /// path and query on the configured server (see [`ApiUrl::rest`]).
    pub async fn send(
        &self,
        auth: Auth,
        method: Method,
        path: &str,
        body: Option<&serde_json::Value>,
        kind: Kind,
    ) -> Result<Answer, GitHubError> {
        let label = match auth {
            Auth::Installation(id) => id.to_string(),
            Auth::App => "app".to_string(),
            Auth::Anonymous => "anonymous".to_string(),
        };
        let (mut renewed, mut renew_now) = (false, false);
        let (mut secondary, mut server_errors) = (0u32, 0u32);
        let mut attempt = 0;
        loop {
            attempt += 1;
            let credential = match auth {
                Auth::App => Some(format!("Bearer {}", self.app_jwt()?)),
                Auth::Installation(id) => {
                    let token = self.installation_token(id, renew_now).await?;
                    renew_now = false;
                    Some(format!("token {}", token.expose_secret()))
                }
                Auth::Anonymous => None,
            };
            let request = build(&method, path, credential, body)?;
            let sent = self.http.execute(request).await;
            let response = match sent {
                Ok(response) => response,
                Err(e) => {
                    let reason = e.to_string();
                    if kind == Kind::Read && server_errors < self.policy.server_error_retries {
                        server_errors += 1;
                        self.clock
                            .sleep(Duration::from_secs(1 << server_errors))
                            .await;
                        continue;
                    }
                    return Err(match kind {
                        Kind::Write => GitHubError::WriteUncertain {
                            method: method.to_string(),
                            path: path.into(),
                            status: None,
                        },
                        Kind::Read => GitHubError::Transport {
                            method: method.to_string(),
                            path: path.into(),
                            reason,
                        },
                    });
                }
            };
            let (parts, body_stream) = response.into_parts();
            let bytes = body_stream
                .collect()
                .await
                .map(|c| c.to_bytes())
                .unwrap_or_default();
            let limit = RateLimit::from_headers(&parts.headers);
            if let (Some(metrics), Some(remaining)) = (&self.metrics, limit.remaining) {
                metrics.github_remaining(&label, remaining);
            }
            self.observe_budget(auth, &parts.headers, &limit);
            let status = parts.status;
            if status.is_success() {
                return Ok(Answer {
                    status: status.as_u16(),
                    headers: parts.headers,
                    body: bytes,
                });
            }
            let message = serde_json::from_slice::<Message>(&bytes)
                .map(|m| m.message)
                .unwrap_or_default();
            let failed = |status: StatusCode| GitHubError::Status {
                method: method.to_string(),
                path: path.into(),
                status: status.as_u16(),
                message: message.clone(),
            };
            if attempt >= self.policy.max_attempts {
                return Err(failed(status));
            }
            // 401: the token may have been revoked early; renew it once.
            if status == StatusCode::UNAUTHORIZED
                && matches!(auth, Auth::Installation(_))
                && !renewed
            {
                renewed = true;
                renew_now = true;
                continue;
            }
            if let Some(limited) = limit.classify(status, &message) {
                let wait = wait_for(limited, self.clock.now(), secondary);
                if matches!(
                    limited,
                    super::ratelimit::Limited::Secondary { retry_after: None }
                ) {
                    secondary += 1;
                }
                if wait > self.policy.max_wait {
                    return Err(GitHubError::RateLimited {
                        method: method.to_string(),
                        path: path.into(),
                        wait_secs: wait.as_secs(),
                    });
                }
                tracing::warn!(%method, path, wait_secs = wait.as_secs(), "rate limited by GitHub; waiting");
                // GitHub refused before doing anything: a write may be repeated too.
                self.clock.sleep(wait).await;
                continue;
            }
            if status.is_server_error() {
                if kind == Kind::Write {
                    return Err(GitHubError::WriteUncertain {
                        method: method.to_string(),
                        path: path.into(),
                        status: Some(status.as_u16()),
                    });
                }
                if server_errors < self.policy.server_error_retries {
                    server_errors += 1;
                    self.clock
                        .sleep(Duration::from_secs(1 << server_errors))
                        .await;
                    continue;
                }
            }
            return Err(failed(status));
        }
    }

    /// Notes an installation's remaining budget from an answer's headers.
    fn observe_budget(&self, auth: Auth, headers: &HeaderMap, limit: &RateLimit) {
        let (Auth::Installation(installation), Some(remaining), Some(reset)) =
            (auth, limit.remaining, limit.reset)
        else {
            return;
        };
        let resource = super::ratelimit::resource(headers);
        let total = limit.limit.unwrap_or(5_000);
        self.budget.observe(
            installation,
            resource,
            total,
            remaining,
            UNIX_EPOCH + Duration::from_secs(reset),
        );
        if let Some(metrics) = &self.metrics
            && let Some(lowest) = self.budget.lowest(resource)
        {
            metrics.budget_remaining(resource, lowest);
        }
    }

    /// GET and decode.
    pub async fn get<T: DeserializeOwned>(
        &self,
        auth: Auth,
        route: &str,
    ) -> Result<T, GitHubError> {
        let path = self.url.rest(route);
        let answer = self
            .send(auth, Method::GET, &path, None, Kind::Read)
            .await?;
        decode("GET", &path, &answer.body)
    }

    /// A write (POST, PATCH, PUT, DELETE) and its decoded answer.
    pub async fn write<T: DeserializeOwned>(
        &self,
        auth: Auth,
        method: Method,
        route: &str,
        body: &serde_json::Value,
    ) -> Result<T, GitHubError> {
        let path = self.url.rest(route);
        let answer = self
            .send(auth, method.clone(), &path, Some(body), Kind::Write)
            .await?;
        decode(method.as_str(), &path, &answer.body)
    }

    /// Every item of a paginated list, following `Link: rel="next"` by path
    /// on this server (so the token goes with every page, on any host).
    pub async fn get_all<T: DeserializeOwned>(
        &self,
        auth: Auth,
        route: &str,
    ) -> Result<Vec<T>, GitHubError> {
        self.get_pages_while(auth, route, |_| true).await
    }

    /// Like [`Self::get_all`], but stops after a page for which `more` is false.
    pub async fn get_pages_while<T: DeserializeOwned>(
        &self,
        auth: Auth,
        route: &str,
        mut more: impl FnMut(&[T]) -> bool,
    ) -> Result<Vec<T>, GitHubError> {
        let sep = if route.contains('?') { '&' } else { '?' };
        let mut path = Some(self.url.rest(&format!("{route}{sep}per_page=100")));
        let mut items = Vec::new();
        let mut pages = 0;
        while let Some(current) = path.take() {
            pages += 1;
            let answer = self
                .send(auth, Method::GET, &current, None, Kind::Read)
                .await?;
            let mut page: Vec<T> = decode("GET", &current, &answer.body)?;
            let go_on = more(&page);
            items.append(&mut page);
            path = next_link(&answer.headers)
                .and_then(|url| path_of(&url))
                .filter(|_| go_on && pages < 1000);
        }
        Ok(items)
    }

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

    /// `installation` was deleted or suspended: drop its token and refuse to act for it.
    pub fn forget_installation(&self, installation: u64) {
        self.tokens.deactivate(installation);
    }

    /// `installation` was created or unsuspended.
    pub fn allow_installation(&self, installation: u64) {
        self.tokens.activate(installation);
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
fn graphql_wait(limit: &RateLimit, now: std::time::SystemTime, repeats: u32) -> Duration {
    let reset = limit
        .reset
        .map(|r| UNIX_EPOCH + Duration::from_secs(r))
        .filter(|r| *r > now);
    match reset {
        Some(reset) => wait_for(
            super::ratelimit::Limited::Primary { reset_at: reset },
            now,
            0,
        ),
        None => wait_for(
            super::ratelimit::Limited::Secondary { retry_after: None },
            now,
            repeats,
        ),
    }
}

fn build(
    method: &Method,
    path: &str,
    credential: Option<String>,
    body: Option<&serde_json::Value>,
) -> Result<http::Request<Vec<u8>>, GitHubError> {
    let invalid = |reason: String| GitHubError::Transport {
        method: method.to_string(),
        path: path.into(),
        reason,
    };
    let mut request = http::Request::builder()
        .method(method.clone())
        .uri(path)
        .header(header::ACCEPT, "application/vnd.github+json")
        .header("x-github-api-version", "2022-11-28")
        .header(
            header::USER_AGENT,
            concat!("orgradar/", env!("CARGO_PKG_VERSION")),
        );
    if let Some(credential) = credential {
        let mut value = HeaderValue::from_str(&credential).map_err(|e| invalid(e.to_string()))?;
        value.set_sensitive(true);
        request = request.header(header::AUTHORIZATION, value);
    }
    let bytes = match body {
        Some(body) => {
            request = request.header(header::CONTENT_TYPE, "application/json");
            serde_json::to_vec(body).map_err(|e| invalid(e.to_string()))?
        }
        None => Vec::new(),
    };
    request.body(bytes).map_err(|e| invalid(e.to_string()))
}

fn decode<T: DeserializeOwned>(method: &str, path: &str, body: &[u8]) -> Result<T, GitHubError> {
    serde_json::from_slice(body).map_err(|e| GitHubError::Decode {
        method: method.into(),
        path: path.into(),
        reason: e.to_string(),
    })
}

/// The path and query of a URL GitHub gave. It is requested on the configured
/// server, whatever host the URL names, so credentials go nowhere else.
fn path_of(url: &str) -> Option<String> {
    if url.starts_with('/') {
        return Some(url.to_string());
    }
    let uri: http::Uri = url.parse().ok()?;
    uri.path_and_query().map(|p| p.to_string())
}

/// The `rel="next"` URL of a `Link` header.
fn next_link(headers: &HeaderMap) -> Option<String> {
    let link = headers.get(header::LINK)?.to_str().ok()?;
    link.split(',').find_map(|part| {
        let (url, params) = part.split_once(';')?;
        params
            .split(';')
            .any(|p| p.trim() == "rel=\"next\"")
            .then(|| {
                url.trim()
                    .trim_start_matches('<')
                    .trim_end_matches('>')
                    .to_string()
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_next_page_among_the_links() {
        let mut h = HeaderMap::new();
        h.insert(
            header::LINK,
            HeaderValue::from_static(
                "<https://ghe.example.com/api/v3/app/installations?page=1>; rel=\"prev\", <https://ghe.example.com/api/v3/app/installations?page=3>; rel=\"next\"",
            ),
        );
        assert_eq!(
            next_link(&h).as_deref(),
            Some("https://ghe.example.com/api/v3/app/installations?page=3")
        );
        assert_eq!(next_link(&HeaderMap::new()), None);
    }
}
