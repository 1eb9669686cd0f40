//! A stateful fake of Slack on 127.0.0.1: incoming webhooks
//! (`POST /hooks/{name}`) and `POST /api/chat.postMessage` with a bot token.
//! It keeps what was posted, validates blocks as Slack does, and can be told
//! to answer the next requests with a rate limit or a server error. It also
//! clicks the buttons of what was posted, as Slack does (see `interactions`),
//! and serves the `response_url` of each click (`POST /actions/{n}`).

#![allow(dead_code)]

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex};

/// A misbehaviour for the next requests, whatever their endpoint.
#[derive(Debug, Clone)]
pub enum Failure {
    /// 429 with `Retry-After`.
    RateLimited { retry_after_secs: u64 },
    /// 500, nothing posted.
    ServerError,
}

#[derive(Default)]
pub(super) struct Inner {
    token: String,
    pub(super) posted: HashMap<String, Vec<Value>>,
    failures: VecDeque<Failure>,
    unknown_channels: HashSet<String>,
    removed_hooks: HashSet<String>,
    requests: usize,
    /// What each click's `response_url` was sent, by click.
    pub(super) replies: Vec<Vec<Value>>,
}

#[derive(Clone)]
pub struct FakeSlack {
    pub url: String,
    pub(super) state: Arc<Mutex<Inner>>,
}

pub(super) type Shared = Arc<Mutex<Inner>>;

impl FakeSlack {
    /// A fake whose chat.postMessage accepts `token`.
    pub async fn start(token: &str) -> Self {
        let state = Arc::new(Mutex::new(Inner {
            token: token.to_string(),
            ..Inner::default()
        }));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let app = Router::new()
            .route("/hooks/{*name}", post(webhook))
            .route("/api/chat.postMessage", post(post_message))
            .route("/actions/{n}", post(super::fake_slack_clicks::response_url))
            .with_state(state.clone());
        tokio::spawn(async move { axum::serve(listener, app).await });
        FakeSlack { url, state }
    }

    /// The value for SLACK_API_URL.
    pub fn api_base(&self) -> String {
        format!("{}/api", self.url)
    }

    /// The URL of the incoming webhook `name`.
    pub fn webhook_url(&self, name: &str) -> String {
        format!("{}/hooks/{name}", self.url)
    }

    /// Messages posted to webhook `name` or channel `name`, in order.
    pub fn posted(&self, name_or_channel: &str) -> Vec<Value> {
        let s = self.state.lock().unwrap();
        s.posted.get(name_or_channel).cloned().unwrap_or_default()
    }

    /// The next `n` requests fail with `failure`.
    pub fn fail_next(&self, n: usize, failure: Failure) {
        let mut s = self.state.lock().unwrap();
        s.failures.extend(std::iter::repeat_n(failure, n));
    }

    /// chat.postMessage to `channel` answers `channel_not_found`.
    pub fn unknown_channel(&self, channel: &str) {
        let mut s = self.state.lock().unwrap();
        s.unknown_channels.insert(channel.to_string());
    }

    /// Webhook `name` answers 404 `no_service`, as a deleted webhook does.
    pub fn remove_webhook(&self, name: &str) {
        let mut s = self.state.lock().unwrap();
        s.removed_hooks.insert(name.to_string());
    }

    /// Requests received, failed ones included.
    pub fn requests(&self) -> usize {
        self.state.lock().unwrap().requests
    }
}

/// Takes the next failure, if any, as the answer.
fn failure(s: &mut Inner, api: bool) -> Option<Response> {
    s.requests += 1;
    match s.failures.pop_front()? {
        Failure::RateLimited { retry_after_secs } => {
            let body = if api {
                json!({ "ok": false, "error": "ratelimited" }).to_string()
            } else {
                "rate_limited".to_string()
            };
            Some(
                (
                    StatusCode::TOO_MANY_REQUESTS,
                    [("retry-after", retry_after_secs.to_string())],
                    body,
                )
                    .into_response(),
            )
        }
        Failure::ServerError => {
            Some((StatusCode::INTERNAL_SERVER_ERROR, "internal_error").into_response())
        }
    }
}

/// Slack's own checks: at most 50 blocks, section texts at most 3,000
/// characters, header texts at most 150, and buttons within their limits.
pub(super) fn invalid_blocks(message: &Value) -> bool {
    if message["blocks"]
        .as_array()
        .is_some_and(|b| b.iter().any(super::fake_slack_clicks::invalid_actions))
    {
        return true;
    }
    let Some(blocks) = message.get("blocks") else {
        return message.get("text").and_then(Value::as_str).is_none();
    };
    let Some(blocks) = blocks.as_array() else {
        return true;
    };
    blocks.len() > 50
        || blocks.iter().any(|b| {
            let limit = if b["type"] == "header" { 150 } else { 3000 };
            let long = |t: &Value| t.as_str().is_some_and(|t| t.chars().count() > limit);
            long(&b["text"]["text"])
                || b["elements"]
                    .as_array()
                    .is_some_and(|e| e.iter().any(|e| long(&e["text"])))
        })
}

async fn webhook(
    State(state): State<Shared>,
    Path(name): Path<String>,
    body: axum::body::Bytes,
) -> Response {
    let mut s = state.lock().unwrap();
    if let Some(answer) = failure(&mut s, false) {
        return answer;
    }
    if s.removed_hooks.contains(&name) {
        return (StatusCode::NOT_FOUND, "no_service").into_response();
    }
    let Ok(message) = serde_json::from_slice::<Value>(&body) else {
        return (StatusCode::BAD_REQUEST, "invalid_payload").into_response();
    };
    if invalid_blocks(&message) {
        return (StatusCode::BAD_REQUEST, "invalid_blocks").into_response();
    }
    s.posted.entry(name).or_default().push(message);
    (StatusCode::OK, "ok").into_response()
}

async fn post_message(
    State(state): State<Shared>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let mut s = state.lock().unwrap();
    if let Some(answer) = failure(&mut s, true) {
        return answer;
    }
    let refuse = |error: &str| axum::Json(json!({ "ok": false, "error": error })).into_response();
    let bearer = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    match bearer {
        None => return refuse("not_authed"),
        Some(token) if token != s.token => return refuse("invalid_auth"),
        Some(_) => {}
    }
    let Ok(message) = serde_json::from_slice::<Value>(&body) else {
        return refuse("invalid_json");
    };
    let Some(channel) = message["channel"].as_str().map(str::to_string) else {
        return refuse("channel_not_found");
    };
    if s.unknown_channels.contains(&channel) {
        return refuse("channel_not_found");
    }
    if invalid_blocks(&message) {
        return refuse("invalid_blocks");
    }
    s.posted.entry(channel.clone()).or_default().push(message);
    axum::Json(json!({ "ok": true, "channel": channel, "ts": "1700000000.000100" })).into_response()
}
