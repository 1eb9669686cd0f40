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
use super::request::{Answer, Auth, Kind, RetryPolicy};
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
    pub(super) clock: Arc<dyn Clock>,
    pub(crate) tokens: Tokens,
    metrics: Option<Arc<Metrics>>,
    pub(super) policy: RetryPolicy,
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

    /// `installation` was deleted or suspended: drop its token and refuse to act for it.
    pub fn forget_installation(&self, installation: u64) {
        self.tokens.deactivate(installation);
    }

    /// `installation` was created or unsuspended.
    pub fn allow_installation(&self, installation: u64) {
        self.tokens.activate(installation);
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

pub(super) fn decode<T: DeserializeOwned>(
    method: &str,
    path: &str,
    body: &[u8],
) -> Result<T, GitHubError> {
    serde_json::from_slice(body).map_err(|e| GitHubError::Decode {
        method: method.into(),
        path: path.into(),
        reason: e.to_string(),
    })
}
