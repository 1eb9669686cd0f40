//! A stateful fake of the GitHub API on 127.0.0.1: it checks app JWTs against
//! the test key pair, issues installation tokens with an expiry the test sets,
//! serves the profile, organization, label, issue and comment endpoints
//! orgradar uses, keeps what was written, and can be told to answer 401, a
//! primary or secondary rate limit, or 502 (before or after doing a write).

#![allow(dead_code)]

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use orgradar::github::{Clock, ManualClock};
use serde_json::{Value, json};
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub const APP_ID: u64 = 4242;
pub const PRIVATE_KEY: &str = include_str!("../../fixtures/test-app-key.pem");
const PUBLIC_KEY: &str = include_str!("../../fixtures/test-app-key.pub.pem");

/// A one-time misbehaviour for the next request whose path contains `path`.
#[derive(Debug, Clone)]
pub enum Failure {
    /// 401 Bad credentials.
    Unauthorized,
    /// 403 with `x-ratelimit-remaining: 0` and a reset `reset_in` from the fake's now.
    PrimaryLimit { reset_in: Duration },
    /// 403 "secondary rate limit", with or without `retry-after`.
    SecondaryLimit { retry_after: Option<u64> },
    /// GraphQL's rate-limit answer: HTTP 200 with an error of type `kind`
    /// (`RATE_LIMITED`, or `RATE_LIMIT` with `code`), a reset `reset_in` from
    /// now, and `remaining` in its header (GitHub does not always say 0).
    GraphQlLimit {
        kind: &'static str,
        code: Option<&'static str>,
        reset_in: Duration,
        remaining: u32,
    },
    /// 429 with `retry-after` (seconds).
    TooManyRequests { retry_after: u64 },
    /// 502 without doing anything.
    BadGateway,
    /// Do the write, then answer 502 as if the answer got lost.
    BadGatewayAfterWrite,
    /// Do the write, then hold the answer back this long (a process can be
    /// killed while it waits).
    SlowAfterWrite(Duration),
}

#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub authorization: Option<String>,
    pub status: u16,
}

struct Token {
    installation: u64,
    expires_at: SystemTime,
}

pub struct State_ {
    clock: Option<Arc<ManualClock>>,
    pub token_ttl: Duration,
    tokens: HashMap<String, Token>,
    minted: u64,
    pub requests: Vec<Recorded>,
    failures: VecDeque<(Method, String, Failure)>,
    pub users: HashMap<String, Value>,
    pub orgs: HashMap<String, Vec<Value>>,
    pub installations: Vec<Value>,
    pub repo_installations: HashMap<String, u64>,
    /// Repositories that are private (all others are public).
    pub private_repos: std::collections::HashSet<String>,
    pub labels: HashMap<String, Vec<Value>>,
    pub issue_labels: HashMap<(String, u64), Vec<String>>,
    /// Every label removed from an issue, in order (once per removal).
    pub removed_labels: Vec<String>,
    pub issues: HashMap<String, Vec<Value>>,
    pub comments: HashMap<(String, u64), Vec<Value>>,
    pub manifests: HashMap<String, Value>,
    /// Commit author emails of pull requests: (repo, number) -> emails.
    pub pull_commits: HashMap<(String, u64), Vec<String>>,
    /// Private members of organizations: org -> logins (public ones are in `orgs`).
    pub private_members: HashMap<String, Vec<String>>,
    /// The app's webhook delivery log, newest first.
    pub hook_deliveries: Vec<Value>,
    /// Ids of hook deliveries the app asked to redeliver.
    pub redelivered: Vec<u64>,
    /// The app's OAuth client: (client id, client secret).
    pub oauth_client: Option<(String, String)>,
    /// Who is signed in to GitHub in "the browser": the authorize page
    /// sends them straight back with a code.
    pub browser_user: Option<String>,
    /// OAuth codes and user tokens -> login.
    pub oauth_codes: HashMap<String, String>,
    pub user_tokens: HashMap<String, String>,
    /// Installations on organizations: org -> installation id.
    pub org_installations: HashMap<String, u64>,
    next_id: u64,
    per_page_cap: usize,
    /// Each installation's hourly budget: REST requests and GraphQL points.
    pub rest_limit: u64,
    pub points_limit: u64,
    /// What each installation spent in its current hour: (hour's start, requests, points).
    pub spent: HashMap<u64, (SystemTime, u64, u64)>,
    /// GraphQL queries answered and the points they cost, over the fake's life.
    pub graphql_queries: u64,
    pub graphql_points: u64,
    /// REST requests made with an installation token.
    pub rest_requests: u64,
    /// The lowest budget any installation had left after an answer: (requests, points).
    pub lowest_left: (u64, u64),
    /// Logins answered by GraphQL user queries, in order.
    pub looked_up: Vec<String>,
    /// Answers take a random time in this range (milliseconds), as GitHub's do.
    pub latency: Option<(u64, u64)>,
}

#[derive(Clone)]
pub struct FakeGitHub {
    pub url: String,
    /// The value for GITHUB_API_URL.
    pub api_url: String,
    state: Arc<Mutex<State_>>,
}

type Shared = (Arc<Mutex<State_>>, String, String);

impl FakeGitHub {
    /// github.com's shape: REST and GraphQL at the root.
    pub async fn start() -> Self {
        Self::start_at("", "/graphql").await
    }

    /// GitHub Enterprise Server's shape: REST under /api/v3, GraphQL at /api/graphql.
    pub async fn start_enterprise() -> Self {
        Self::start_at("/api/v3", "/api/graphql").await
    }

    async fn start_at(prefix: &str, graphql: &str) -> Self {
        let state = Arc::new(Mutex::new(State_ {
            clock: None,
            token_ttl: Duration::from_secs(3600),
            tokens: HashMap::new(),
            minted: 0,
            requests: Vec::new(),
            failures: VecDeque::new(),
            users: HashMap::new(),
            orgs: HashMap::new(),
            installations: Vec::new(),
            repo_installations: HashMap::new(),
            private_repos: Default::default(),
            labels: HashMap::new(),
            issue_labels: HashMap::new(),
            removed_labels: Vec::new(),
            issues: HashMap::new(),
            comments: HashMap::new(),
            manifests: HashMap::new(),
            pull_commits: HashMap::new(),
            private_members: HashMap::new(),
            hook_deliveries: Vec::new(),
            redelivered: Vec::new(),
            oauth_client: None,
            browser_user: None,
            oauth_codes: HashMap::new(),
            user_tokens: HashMap::new(),
            org_installations: HashMap::new(),
            next_id: 1000,
            per_page_cap: 100,
            rest_limit: 5_000,
            points_limit: 5_000,
            spent: HashMap::new(),
            graphql_queries: 0,
            graphql_points: 0,
            rest_requests: 0,
            lowest_left: (u64::MAX, u64::MAX),
            looked_up: Vec::new(),
            latency: None,
        }));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let shared: Shared = (state.clone(), prefix.to_string(), graphql.to_string());
        let app = Router::new().fallback(handle).with_state(shared);
        tokio::spawn(async move { axum::serve(listener, app).await });
        FakeGitHub {
            api_url: format!("{url}{prefix}"),
            url,
            state,
        }
    }

    pub fn with<R>(&self, f: impl FnOnce(&mut State_) -> R) -> R {
        f(&mut self.state.lock().unwrap())
    }

    /// Share the test's clock (for token expiry, JWT checks and rate-limit resets).
    pub fn use_clock(&self, clock: Arc<ManualClock>) {
        self.with(|s| s.clock = Some(clock));
    }

    pub fn fail_next(&self, method: Method, path_contains: &str, failure: Failure) {
        self.with(|s| {
            s.failures
                .push_back((method, path_contains.to_string(), failure))
        });
    }

    /// Drops the failures not answered yet.
    pub fn clear_failures(&self) {
        self.with(|s| s.failures.clear());
    }

    /// Installation tokens minted so far.
    pub fn tokens_minted(&self) -> u64 {
        self.with(|s| s.minted)
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.with(|s| s.requests.clone())
    }

    /// Requests (other than token minting) whose path contains `path`.
    pub fn count(&self, method: &str, path: &str) -> usize {
        self.requests()
            .iter()
            .filter(|r| {
                r.method == method && r.path.contains(path) && !r.path.contains("/access_tokens")
            })
            .count()
    }

    pub fn add_installation(&self, id: u64, account: &str) {
        self.with(|s| {
            s.installations.push(json!({
                "id": id, "account": { "login": account, "type": "Organization" }, "suspended_at": null
            }))
        });
    }

    pub fn add_user(&self, login: &str, profile: Value, orgs: &[&str]) {
        self.with(|s| {
            let mut p = profile;
            p["login"] = json!(login);
            s.users.insert(login.to_lowercase(), p);
            s.orgs.insert(
                login.to_lowercase(),
                orgs.iter().map(|o| json!({ "login": o })).collect(),
            );
        });
    }

    /// Registers a manifest `code` that converts into the test app.
    pub fn add_manifest_code(&self, code: &str) {
        self.with(|s| {
            s.manifests.insert(
                code.to_string(),
                json!({
                    "id": APP_ID, "slug": "orgradar-test", "name": "orgradar-test",
                    "html_url": "https://github.com/apps/orgradar-test",
                    "pem": PRIVATE_KEY, "webhook_secret": "whsec-from-github",
                    "client_id": "Iv1.test", "client_secret": "client-secret-from-github"
                }),
            );
        });
    }
}

fn now(s: &State_) -> SystemTime {
    s.clock.as_ref().map_or_else(SystemTime::now, |c| c.now())
}

fn secs(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

fn answer(status: StatusCode, body: Value) -> Response {
    (status, axum::Json(body)).into_response()
}

/// A path segment as GitHub reads it: `%20` and the like decoded.
fn percent_decode(segment: &str) -> String {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn message(status: StatusCode, text: &str) -> Response {
    answer(
        status,
        json!({ "message": text, "documentation_url": "https://docs.github.com/rest" }),
    )
}

enum Caller {
    App,
    Installation(u64),
    /// A user token from the OAuth sign-in.
    User(String),
    Nobody,
}

fn authenticate(s: &State_, headers: &HeaderMap) -> Result<Caller, Box<Response>> {
    let Some(value) = headers.get("authorization").and_then(|v| v.to_str().ok()) else {
        return Ok(Caller::Nobody);
    };
    if let Some(login) = value
        .strip_prefix("Bearer ")
        .and_then(|t| s.user_tokens.get(t))
    {
        return Ok(Caller::User(login.clone()));
    }
    if let Some(jwt) = value.strip_prefix("Bearer ") {
        let key = jsonwebtoken::DecodingKey::from_rsa_pem(PUBLIC_KEY.as_bytes()).unwrap();
        let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
        validation.validate_exp = false;
        validation.required_spec_claims.clear();
        let claims = jsonwebtoken::decode::<Value>(jwt, &key, &validation)
            .map_err(|_| {
                message(
                    StatusCode::UNAUTHORIZED,
                    "A JSON web token could not be decoded",
                )
            })?
            .claims;
        let (iat, exp) = (
            claims["iat"].as_u64().unwrap_or(0),
            claims["exp"].as_u64().unwrap_or(0),
        );
        let now = secs(now(s));
        let iss_ok = claims["iss"].as_str() == Some(&APP_ID.to_string())
            || claims["iss"].as_u64() == Some(APP_ID);
        if !iss_ok || iat > now || exp <= now || exp - iat > 600 {
            return Err(Box::new(message(
                StatusCode::UNAUTHORIZED,
                "'Expiration time' claim ('exp') is too far in the future or the token is expired",
            )));
        }
        return Ok(Caller::App);
    }
    if let Some(token) = value.strip_prefix("token ") {
        return match s.tokens.get(token) {
            Some(t) if t.expires_at > now(s) => Ok(Caller::Installation(t.installation)),
            _ => Err(Box::new(message(
                StatusCode::UNAUTHORIZED,
                "Bad credentials",
            ))),
        };
    }
    Err(Box::new(message(
        StatusCode::UNAUTHORIZED,
        "Bad credentials",
    )))
}

fn with_rate_headers(mut response: Response, s: &State_) -> Response {
    let h = response.headers_mut();
    if !h.contains_key("x-ratelimit-remaining") {
        h.insert(
            "x-ratelimit-remaining",
            HeaderValue::from(4999u32 - (s.requests.len() as u32).min(4999)),
        );
        h.insert("x-ratelimit-reset", HeaderValue::from(secs(now(s)) + 3600));
    }
    response
}

async fn handle(State((state, prefix, graphql)): State<Shared>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body: Bytes = axum::body::to_bytes(body, 10 << 20)
        .await
        .unwrap_or_default();
    let json: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let body_text = String::from_utf8_lossy(&body).to_string();
    let path_and_query = parts
        .uri
        .path_and_query()
        .map(|p| p.to_string())
        .unwrap_or_default();
    let path = parts.uri.path().to_string();
    let query = parts.uri.query().unwrap_or("").to_string();
    let (response, hold) = {
        let mut s = state.lock().unwrap();
        let authorization = parts
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);

        let installation = installation_of(&s, &parts.headers);
        let is_graphql = path == graphql && parts.method == Method::POST;
        let cost = if is_graphql {
            super::github_cost::graphql_cost(json["query"].as_str().unwrap_or_default())
        } else {
            1
        };
        let exhausted = installation.and_then(|id| charge(&mut s, id, is_graphql, cost));

        let failure = s
            .failures
            .iter()
            .position(|(m, p, _)| *m == parts.method && path.contains(p.as_str()))
            .and_then(|i| s.failures.remove(i))
            .map(|(_, _, f)| f);
        let mut after_write_502 = false;
        let mut hold = None;
        let early = match failure {
            Some(Failure::SlowAfterWrite(d)) => {
                hold = Some(d);
                None
            }
            Some(Failure::Unauthorized) => {
                Some(message(StatusCode::UNAUTHORIZED, "Bad credentials"))
            }
            Some(Failure::PrimaryLimit { reset_in }) => {
                let mut r = message(
                    StatusCode::FORBIDDEN,
                    "API rate limit exceeded for installation.",
                );
                r.headers_mut()
                    .insert("x-ratelimit-remaining", HeaderValue::from(0u32));
                r.headers_mut().insert(
                    "x-ratelimit-reset",
                    HeaderValue::from(secs(now(&s) + reset_in)),
                );
                Some(r)
            }
            Some(Failure::SecondaryLimit { retry_after }) => {
                let mut r = message(
                    StatusCode::FORBIDDEN,
                    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
                );
                r.headers_mut()
                    .insert("x-ratelimit-remaining", HeaderValue::from(4000u32));
                if let Some(secs) = retry_after {
                    r.headers_mut()
                        .insert("retry-after", HeaderValue::from(secs));
                }
                Some(r)
            }
            Some(Failure::GraphQlLimit {
                kind,
                code,
                reset_in,
                remaining,
            }) => {
                let mut error = json!({ "type": kind, "message": "API rate limit exceeded for installation ID 7." });
                if let Some(code) = code {
                    error["code"] = json!(code);
                }
                let mut r = answer(StatusCode::OK, json!({ "errors": [error] }));
                r.headers_mut()
                    .insert("x-ratelimit-remaining", HeaderValue::from(remaining));
                r.headers_mut().insert(
                    "x-ratelimit-reset",
                    HeaderValue::from(secs(now(&s) + reset_in)),
                );
                Some(r)
            }
            Some(Failure::TooManyRequests { retry_after }) => {
                let mut r = message(
                    StatusCode::TOO_MANY_REQUESTS,
                    "You have exceeded a secondary rate limit.",
                );
                r.headers_mut()
                    .insert("retry-after", HeaderValue::from(retry_after));
                Some(r)
            }
            Some(Failure::BadGateway) => Some(message(StatusCode::BAD_GATEWAY, "Server Error")),
            Some(Failure::BadGatewayAfterWrite) => {
                after_write_502 = true;
                None
            }
            None => None,
        };
        let response = match exhausted.or(early) {
            Some(r) => r,
            None => {
                let r = route(
                    &mut s,
                    &parts.method,
                    &parts.headers,
                    &path,
                    &query,
                    &json,
                    &body_text,
                    &prefix,
                    &graphql,
                    &path_and_query,
                );
                if after_write_502 {
                    message(StatusCode::BAD_GATEWAY, "Server Error")
                } else {
                    r
                }
            }
        };
        let response = match installation {
            Some(id) => with_budget_headers(response, &mut s, id, is_graphql),
            None => with_rate_headers(response, &s),
        };
        s.requests.push(Recorded {
            method: parts.method.to_string(),
            path: path_and_query,
            authorization,
            status: response.status().as_u16(),
        });
        (response, hold)
    };
    if let Some(d) = hold {
        tokio::time::sleep(d).await;
    }
    let latency = state.lock().unwrap().latency;
    if let Some((low, high)) = latency {
        let ms = low + fastrand::u64(0..=high.saturating_sub(low));
        tokio::time::sleep(Duration::from_millis(ms)).await;
    }
    response
}

/// The installation a request's token belongs to.
fn installation_of(s: &State_, headers: &HeaderMap) -> Option<u64> {
    let value = headers.get("authorization")?.to_str().ok()?;
    let token = value.strip_prefix("token ")?;
    s.tokens.get(token).map(|t| t.installation)
}

/// The installation's budget for the current hour: (hour's end, requests left, points left).
fn left(s: &mut State_, installation: u64) -> (SystemTime, u64, u64) {
    let now = now(s);
    let entry = s.spent.entry(installation).or_insert((now, 0, 0));
    if now >= entry.0 + Duration::from_secs(3600) {
        *entry = (now, 0, 0);
    }
    let (start, requests, points) = *entry;
    (
        start + Duration::from_secs(3600),
        s.rest_limit.saturating_sub(requests),
        s.points_limit.saturating_sub(points),
    )
}

/// Charges a request to the installation's budget, or answers as GitHub
/// does when that budget is spent: REST 403 with nothing remaining, GraphQL
/// 200 with a `RATE_LIMITED` error.
fn charge(s: &mut State_, installation: u64, graphql: bool, cost: u64) -> Option<Response> {
    let (reset, requests_left, points_left) = left(s, installation);
    let refuse = if graphql {
        points_left < cost
    } else {
        requests_left == 0
    };
    if refuse {
        let mut r = if graphql {
            answer(
                StatusCode::OK,
                json!({ "errors": [{ "type": "RATE_LIMITED", "message": format!("API rate limit exceeded for installation ID {installation}.") }] }),
            )
        } else {
            message(
                StatusCode::FORBIDDEN,
                "API rate limit exceeded for installation.",
            )
        };
        r.headers_mut()
            .insert("x-ratelimit-remaining", HeaderValue::from(0u32));
        r.headers_mut()
            .insert("x-ratelimit-reset", HeaderValue::from(secs(reset)));
        return Some(r);
    }
    let entry = s.spent.get_mut(&installation)?;
    if graphql {
        entry.2 += cost;
        s.graphql_queries += 1;
        s.graphql_points += cost;
    } else {
        entry.1 += 1;
        s.rest_requests += 1;
    }
    None
}

fn with_budget_headers(
    mut response: Response,
    s: &mut State_,
    installation: u64,
    graphql: bool,
) -> Response {
    let (reset, requests_left, points_left) = left(s, installation);
    s.lowest_left = (
        s.lowest_left.0.min(requests_left),
        s.lowest_left.1.min(points_left),
    );
    let (limit, remaining, resource) = if graphql {
        (s.points_limit, points_left, "graphql")
    } else {
        (s.rest_limit, requests_left, "core")
    };
    let h = response.headers_mut();
    if !h.contains_key("x-ratelimit-remaining") {
        h.insert("x-ratelimit-remaining", HeaderValue::from(remaining));
        h.insert("x-ratelimit-reset", HeaderValue::from(secs(reset)));
    }
    h.insert("x-ratelimit-limit", HeaderValue::from(limit));
    h.insert("x-ratelimit-resource", HeaderValue::from_static(resource));
    response
}

#[allow(clippy::too_many_arguments)]
fn route(
    s: &mut State_,
    method: &Method,
    headers: &HeaderMap,
    full_path: &str,
    query: &str,
    json: &Value,
    body_text: &str,
    prefix: &str,
    graphql: &str,
    path_and_query: &str,
) -> Response {
    let caller = match authenticate(s, headers) {
        Ok(c) => c,
        Err(r) => return *r,
    };
    if full_path == graphql && *method == Method::POST {
        return match caller {
            Caller::Installation(id) => graphql_answer(s, json, id),
            _ => message(StatusCode::UNAUTHORIZED, "Bad credentials"),
        };
    }
    let Some(path) = full_path
        .strip_prefix(prefix)
        .filter(|p| p.starts_with('/'))
    else {
        return message(StatusCode::NOT_FOUND, "Not Found");
    };
    let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let need_app = |c: &Caller| matches!(c, Caller::App);
    let need_installation = |c: &Caller| matches!(c, Caller::Installation(_));
    // An installation token reaches only the repositories of its installation.
    if let (Caller::Installation(id), ["repos", owner, repo, ..]) = (&caller, parts.as_slice())
        && let Some(owner_id) = s.repo_installations.get(&format!("{owner}/{repo}"))
        && owner_id != id
    {
        return message(
            StatusCode::FORBIDDEN,
            "Resource not accessible by integration",
        );
    }
    match (method.as_str(), parts.as_slice()) {
        ("GET", ["login", "oauth", "authorize"]) => {
            let param = |name: &str| {
                form_urlencoded::parse(query.as_bytes())
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| v.into_owned())
                    .unwrap_or_default()
            };
            let known = s.oauth_client.as_ref().map(|c| c.0.clone()) == Some(param("client_id"));
            let Some(user) = s.browser_user.clone().filter(|_| known) else {
                return message(StatusCode::NOT_FOUND, "Not Found");
            };
            s.next_id += 1;
            let code = format!("code{}", s.next_id);
            s.oauth_codes.insert(code.clone(), user);
            let back = format!(
                "{}?code={code}&state={}",
                param("redirect_uri"),
                param("state")
            );
            let mut r = StatusCode::FOUND.into_response();
            r.headers_mut()
                .insert("location", HeaderValue::from_str(&back).unwrap());
            r
        }
        ("POST", ["login", "oauth", "access_token"]) => {
            let form: HashMap<String, String> = form_urlencoded::parse(body_text.as_bytes())
                .into_owned()
                .collect();
            let client_ok = s.oauth_client.as_ref().is_some_and(|(id, secret)| {
                form.get("client_id") == Some(id) && form.get("client_secret") == Some(secret)
            });
            match form.get("code").and_then(|c| s.oauth_codes.remove(c)) {
                Some(login) if client_ok => {
                    s.next_id += 1;
                    let token = format!("ghu_fake{}", s.next_id);
                    s.user_tokens.insert(token.clone(), login);
                    answer(
                        StatusCode::OK,
                        json!({ "access_token": token, "token_type": "bearer", "scope": "" }),
                    )
                }
                // GitHub answers 200 with an error object.
                _ => answer(
                    StatusCode::OK,
                    json!({
                        "error": "bad_verification_code",
                        "error_description": "The code passed is incorrect or expired."
                    }),
                ),
            }
        }
        ("GET", ["user"]) => match &caller {
            Caller::User(login) => answer(StatusCode::OK, json!({ "login": login, "id": 1 })),
            _ => message(StatusCode::UNAUTHORIZED, "Requires authentication"),
        },
        ("GET", ["orgs", org, "installation"]) if need_app(&caller) => {
            match s.org_installations.get(*org) {
                Some(id) => answer(StatusCode::OK, json!({ "id": id })),
                None => message(StatusCode::NOT_FOUND, "Not Found"),
            }
        }
        ("GET", ["orgs", org, "members", login]) if need_installation(&caller) => {
            let login = login.to_lowercase();
            let public = s
                .orgs
                .get(&login)
                .is_some_and(|os| os.iter().any(|o| o["login"] == *org));
            let private = s
                .private_members
                .get(*org)
                .is_some_and(|m| m.iter().any(|l| l.eq_ignore_ascii_case(&login)));
            if public || private {
                StatusCode::NO_CONTENT.into_response()
            } else {
                message(StatusCode::NOT_FOUND, "Not Found")
            }
        }
        ("GET", ["repos", owner, repo]) if need_installation(&caller) => {
            let full_name = format!("{owner}/{repo}");
            let private = s.private_repos.contains(&full_name);
            answer(
                StatusCode::OK,
                json!({ "full_name": full_name, "private": private }),
            )
        }
        ("POST", ["app-manifests", code, "conversions"]) => match s.manifests.remove(*code) {
            Some(conversion) => answer(StatusCode::CREATED, conversion),
            None => message(StatusCode::NOT_FOUND, "Not Found"),
        },
        ("GET", ["app"]) if need_app(&caller) => answer(
            StatusCode::OK,
            json!({
                "id": APP_ID, "slug": "orgradar-test", "name": "orgradar-test",
                "html_url": "https://github.com/apps/orgradar-test"
            }),
        ),
        ("GET", ["app", "installations"]) if need_app(&caller) => {
            let all = s.installations.clone();
            paginate(s, all, query, prefix, path_and_query)
        }
        ("POST", ["app", "installations", id, "access_tokens"]) if need_app(&caller) => {
            let installation: u64 = id.parse().unwrap_or(0);
            s.minted += 1;
            let token = format!("ghs_fake{}_{}", installation, s.minted);
            let expires_at = now(s) + s.token_ttl;
            s.tokens.insert(
                token.clone(),
                Token {
                    installation,
                    expires_at,
                },
            );
            let expires = rfc3339_seconds(expires_at);
            answer(
                StatusCode::CREATED,
                json!({ "token": token, "expires_at": expires }),
            )
        }
        ("GET", ["app", "hook", "deliveries"]) if need_app(&caller) => {
            let all = s.hook_deliveries.clone();
            paginate(s, all, query, prefix, path_and_query)
        }
        ("POST", ["app", "hook", "deliveries", id, "attempts"]) if need_app(&caller) => {
            s.redelivered.push(id.parse().unwrap_or(0));
            answer(StatusCode::ACCEPTED, json!({}))
        }
        ("GET", ["repos", owner, repo, "pulls", number, "commits"])
            if need_installation(&caller) =>
        {
            let key = (format!("{owner}/{repo}"), number.parse().unwrap_or(0));
            let commits: Vec<Value> = s.pull_commits.get(&key).into_iter().flatten().enumerate().map(|(i, email)| json!({
                "sha": format!("{i:040}"),
                "commit": { "author": { "name": "someone", "email": email }, "message": "change" },
                "author": null
            })).collect();
            paginate(s, commits, query, prefix, path_and_query)
        }
        ("GET", ["repos", owner, repo, "installation"]) if need_app(&caller) => {
            match s.repo_installations.get(&format!("{owner}/{repo}")) {
                Some(id) => answer(StatusCode::OK, json!({ "id": id })),
                None => message(StatusCode::NOT_FOUND, "Not Found"),
            }
        }
        ("GET", ["users", login]) if need_installation(&caller) => {
            match s.users.get(&login.to_lowercase()) {
                Some(user) => answer(StatusCode::OK, user.clone()),
                None => message(StatusCode::NOT_FOUND, "Not Found"),
            }
        }
        ("GET", ["users", login, "orgs"]) if need_installation(&caller) => {
            let orgs = s
                .orgs
                .get(&login.to_lowercase())
                .cloned()
                .unwrap_or_default();
            paginate(s, orgs, query, prefix, path_and_query)
        }
        ("POST", ["repos", owner, repo, "labels"]) if need_installation(&caller) => {
            let repo = format!("{owner}/{repo}");
            let labels = s.labels.entry(repo).or_default();
            let name = json["name"].as_str().unwrap_or_default().to_string();
            if labels.iter().any(|l| {
                l["name"]
                    .as_str()
                    .is_some_and(|n| n.eq_ignore_ascii_case(&name))
            }) {
                return answer(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    json!({
                        "message": "Validation Failed", "errors": [{ "resource": "Label", "code": "already_exists", "field": "name" }]
                    }),
                );
            }
            labels.push(json.clone());
            answer(StatusCode::CREATED, json.clone())
        }
        ("GET", ["repos", owner, repo, "labels", name]) if need_installation(&caller) => {
            let found = s.labels.get(&format!("{owner}/{repo}")).and_then(|ls| {
                ls.iter()
                    .find(|l| {
                        l["name"]
                            .as_str()
                            .is_some_and(|n| n.eq_ignore_ascii_case(name))
                    })
                    .cloned()
            });
            match found {
                Some(l) => answer(StatusCode::OK, l),
                None => message(StatusCode::NOT_FOUND, "Not Found"),
            }
        }
        ("POST", ["repos", owner, repo, "issues", number, "labels"])
            if need_installation(&caller) =>
        {
            let key = (format!("{owner}/{repo}"), number.parse().unwrap_or(0));
            let on_issue = s.issue_labels.entry(key).or_default();
            for label in json["labels"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
            {
                if !on_issue.iter().any(|l| l == label) {
                    on_issue.push(label.to_string());
                }
            }
            let list: Vec<Value> = on_issue.iter().map(|l| json!({ "name": l })).collect();
            answer(StatusCode::OK, Value::Array(list))
        }
        ("DELETE", ["repos", owner, repo, "issues", number, "labels", name])
            if need_installation(&caller) =>
        {
            let key = (format!("{owner}/{repo}"), number.parse().unwrap_or(0));
            let name = percent_decode(name);
            let on_issue = s.issue_labels.entry(key).or_default();
            let Some(at) = on_issue.iter().position(|l| l.eq_ignore_ascii_case(&name)) else {
                return message(StatusCode::NOT_FOUND, "Label does not exist");
            };
            on_issue.remove(at);
            s.removed_labels.push(name);
            let list: Vec<Value> = on_issue.iter().map(|l| json!({ "name": l })).collect();
            answer(StatusCode::OK, Value::Array(list))
        }
        ("GET", ["repos", owner, repo, "issues", number, "labels"])
            if need_installation(&caller) =>
        {
            let key = (format!("{owner}/{repo}"), number.parse().unwrap_or(0));
            let list: Vec<Value> = s
                .issue_labels
                .get(&key)
                .into_iter()
                .flatten()
                .map(|l| json!({ "name": l }))
                .collect();
            paginate(s, list, query, prefix, path_and_query)
        }
        ("POST", ["repos", owner, repo, "issues"]) if need_installation(&caller) => {
            let repo = format!("{owner}/{repo}");
            let issues = s.issues.entry(repo.clone()).or_default();
            let number = issues.len() as u64 + 1;
            let issue = json!({
                "number": number, "title": json["title"], "body": json["body"],
                "labels": json["labels"].as_array().into_iter().flatten().map(|l| json!({ "name": l })).collect::<Vec<_>>(),
                "html_url": format!("https://github.com/{repo}/issues/{number}")
            });
            issues.push(issue.clone());
            answer(StatusCode::CREATED, issue)
        }
        ("GET", ["repos", owner, repo, "issues"]) if need_installation(&caller) => {
            let label = query
                .split('&')
                .find_map(|kv| kv.strip_prefix("labels="))
                .map(|l| l.to_string());
            let list: Vec<Value> = s
                .issues
                .get(&format!("{owner}/{repo}"))
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .rev()
                .filter(|i| {
                    label.as_ref().is_none_or(|l| {
                        i["labels"]
                            .as_array()
                            .into_iter()
                            .flatten()
                            .any(|x| x["name"] == l.as_str())
                    })
                })
                .collect();
            paginate(s, list, query, prefix, path_and_query)
        }
        ("POST", ["repos", owner, repo, "issues", number, "comments"])
            if need_installation(&caller) =>
        {
            s.next_id += 1;
            let id = s.next_id;
            let key = (format!("{owner}/{repo}"), number.parse().unwrap_or(0));
            let comment = json!({
                "id": id, "body": json["body"],
                "html_url": format!("https://github.com/{}/issues/{}#issuecomment-{id}", key.0, key.1)
            });
            s.comments.entry(key).or_default().push(comment.clone());
            answer(StatusCode::CREATED, comment)
        }
        ("GET", ["repos", owner, repo, "issues", number, "comments"])
            if need_installation(&caller) =>
        {
            let key = (format!("{owner}/{repo}"), number.parse().unwrap_or(0));
            let list = s.comments.get(&key).cloned().unwrap_or_default();
            paginate(s, list, query, prefix, path_and_query)
        }
        _ => match caller {
            Caller::Nobody => message(StatusCode::UNAUTHORIZED, "Requires authentication"),
            _ => message(StatusCode::NOT_FOUND, "Not Found"),
        },
    }
}

/// GitHub-style pages with absolute `Link` URLs (on the fake's own address).
fn paginate(
    s: &State_,
    all: Vec<Value>,
    query: &str,
    _prefix: &str,
    path_and_query: &str,
) -> Response {
    let param = |name: &str| {
        query
            .split('&')
            .find_map(|kv| kv.strip_prefix(&format!("{name}=")))
            .and_then(|v| v.parse::<usize>().ok())
    };
    let per_page = param("per_page").unwrap_or(30).min(s.per_page_cap).max(1);
    let page = param("page").unwrap_or(1).max(1);
    let items: Vec<Value> = all
        .iter()
        .skip((page - 1) * per_page)
        .take(per_page)
        .cloned()
        .collect();
    let mut response = answer(StatusCode::OK, Value::Array(items));
    if page * per_page < all.len() {
        let base = path_and_query.split('?').next().unwrap_or_default();
        let link = format!(
            "<https://api.github.invalid{base}?per_page={per_page}&page={}>; rel=\"next\"",
            page + 1
        );
        response
            .headers_mut()
            .insert("link", HeaderValue::from_str(&link).unwrap());
    }
    response
}

/// The GraphQL user queries: one `user(login:)` field, or many aliased ones
/// (`u0: user(login: $l0)`), each with the profile, public organizations and
/// membership in `$org`; and `rateLimit` when asked. An unknown login is
/// `null` with a `NOT_FOUND` error naming its alias; the others are answered.
fn graphql_answer(s: &mut State_, json: &Value, installation: u64) -> Response {
    let query = json["query"].as_str().unwrap_or_default();
    let vars = &json["variables"];
    let org = vars["org"].as_str().unwrap_or_default().to_lowercase();
    let mut fields: Vec<(String, String)> = Vec::new();
    let mut rest = query;
    while let Some(at) = rest.find("user(login: $") {
        let before = rest[..at].trim_end();
        let alias = before
            .strip_suffix(':')
            .map(|b| {
                b.rsplit(|c: char| c.is_whitespace() || c == '{')
                    .next()
                    .unwrap_or("user")
                    .to_string()
            })
            .unwrap_or_else(|| "user".to_string());
        let after = &rest[at + "user(login: $".len()..];
        let var: String = after
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        fields.push((
            alias,
            vars[&var].as_str().unwrap_or_default().to_lowercase(),
        ));
        rest = after;
    }
    let mut data = serde_json::Map::new();
    let mut errors = Vec::new();
    for (alias, login) in fields {
        s.looked_up.push(login.clone());
        let Some(user) = s.users.get(&login) else {
            data.insert(alias.clone(), Value::Null);
            errors.push(json!({ "type": "NOT_FOUND", "path": [alias], "message": format!("Could not resolve to a User with the login of '{login}'.") }));
            continue;
        };
        let orgs: Vec<Value> = s
            .orgs
            .get(&login)
            .into_iter()
            .flatten()
            .map(|o| json!({ "login": o["login"] }))
            .collect();
        let member = s
            .orgs
            .get(&login)
            .into_iter()
            .flatten()
            .any(|o| o["login"].as_str().map(str::to_lowercase) == Some(org.clone()))
            || s.private_members
                .get(&org)
                .is_some_and(|m| m.iter().any(|l| l.to_lowercase() == login));
        data.insert(alias, json!({
            "login": user["login"], "databaseId": user["id"], "name": user["name"], "company": user["company"],
            "websiteUrl": user["blog"], "email": user["email"], "bio": user["bio"], "__typename": "User",
            "organizations": { "nodes": orgs },
            "organization": if member { json!({ "login": org }) } else { Value::Null }
        }));
    }
    if query.contains("rateLimit") {
        let cost = super::github_cost::graphql_cost(query);
        let (reset, _, points_left) = left(s, installation);
        let reset = jiff::Timestamp::from_second(secs(reset) as i64).unwrap();
        data.insert(
            "rateLimit".into(),
            json!({
                "cost": cost, "remaining": points_left, "limit": s.points_limit,
                "resetAt": reset.to_string(), "nodeCount": 0
            }),
        );
    }
    let mut body = json!({ "data": data });
    if !errors.is_empty() {
        body["errors"] = Value::Array(errors);
    }
    answer(StatusCode::OK, body)
}

/// Lowers the page size so pagination is exercised with few items.
impl FakeGitHub {
    /// Logs a delivery attempt (newest first), `ago` before now.
    pub fn log_delivery(
        &self,
        id: u64,
        guid: &str,
        status_code: u16,
        redelivery: bool,
        ago: Duration,
    ) {
        self.with(|s| {
            let at = rfc3339_seconds(now(s) - ago);
            s.hook_deliveries.push(json!({
                "id": id, "guid": guid, "delivered_at": at, "redelivery": redelivery,
                "status": if status_code == 0 { "timeout".to_string() } else { format!("{status_code}") },
                "status_code": status_code, "event": "issues", "action": "opened",
                "installation_id": 7, "repository_id": 42
            }));
            s.hook_deliveries.sort_by_key(|d| std::cmp::Reverse(d["delivered_at"].as_str().unwrap_or("").to_string()));
        });
    }

    pub fn redelivered(&self) -> Vec<u64> {
        self.with(|s| s.redelivered.clone())
    }

    pub fn set_page_cap(&self, cap: usize) {
        self.with(|s| s.per_page_cap = cap);
    }

    pub fn set_token_ttl(&self, ttl: Duration) {
        self.with(|s| s.token_ttl = ttl);
    }

    pub fn revoke_tokens(&self) {
        self.with(|s| s.tokens.clear());
    }
}

/// `at` as GitHub writes times: RFC 3339 in UTC, whole seconds.
fn rfc3339_seconds(at: std::time::SystemTime) -> String {
    jiff::Timestamp::try_from(at)
        .and_then(|t| jiff::Timestamp::from_second(t.as_second()))
        .map(|t| t.to_string())
        .unwrap_or_default()
}
