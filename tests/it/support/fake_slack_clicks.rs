//! The fake Slack's interactivity: a person clicks a button of a message
//! orgradar posted, and the fake posts the `block_actions` payload to
//! orgradar's Request URL as Slack does (form-encoded, signed with the
//! app's signing secret); then it serves the click's `response_url`, which
//! takes at most 5 posts and records each, so that a test can read what the
//! message became.

#![allow(dead_code)]

use super::fake_slack::{FakeSlack, Shared};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;
use std::collections::HashSet;

/// Posts a `response_url` takes (Slack's limit).
pub const MAX_REPLIES: usize = 5;

/// Who clicks.
#[derive(Debug, Clone)]
pub struct SlackUser {
    pub id: String,
    pub username: String,
    pub name: String,
    pub team_id: String,
}

impl SlackUser {
    /// `username` of team `T0ORGRADAR`, with the user id `U` + `username` in capitals.
    pub fn new(username: &str) -> Self {
        SlackUser {
            id: format!("U{}", username.to_uppercase()),
            username: username.to_string(),
            name: username.to_string(),
            team_id: "T0ORGRADAR".to_string(),
        }
    }
}

/// A click, ready to be sent: the form body Slack posts.
#[derive(Debug, Clone)]
pub struct Interaction {
    /// `payload=…`, form-encoded.
    pub body: String,
    /// The JSON payload.
    pub payload: Value,
    /// The click's number: its `response_url` is `/actions/{reply}`; see
    /// [`FakeSlack::replies`].
    pub reply: usize,
}

/// orgradar's answer to an interaction request.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub body: String,
}

/// A click sent, and its answer.
#[derive(Debug, Clone)]
pub struct Clicked {
    pub status: u16,
    pub body: String,
    /// The click's number, for [`FakeSlack::replies`].
    pub reply: usize,
}

/// `X-Slack-Signature` for `body` at `timestamp` with `secret`.
pub fn slack_signature(secret: &str, timestamp: i64, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("v0:{timestamp}:{body}").as_bytes());
    format!("v0={}", hex::encode(mac.finalize().into_bytes()))
}

/// The Unix time now, in seconds.
pub fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// The headers Slack sends with `body` signed with `secret` at `timestamp`.
pub fn signed(secret: &str, timestamp: i64, body: &str) -> Vec<(String, String)> {
    vec![
        ("x-slack-request-timestamp".into(), timestamp.to_string()),
        (
            "x-slack-signature".into(),
            slack_signature(secret, timestamp, body),
        ),
    ]
}

/// Posts `body` to orgradar's `url` with `headers` (and Slack's content type).
pub async fn send(url: &str, body: &str, headers: &[(String, String)]) -> Answer {
    let request = headers
        .iter()
        .fold(super::client().post(url), |r, (k, v)| r.header(k, v))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("user-agent", "Slackbot 1.0 (+https://api.slack.com/robots)")
        .body(body.to_string());
    let response = request.send().await.unwrap();
    Answer {
        status: response.status().as_u16(),
        body: response.text().await.unwrap(),
    }
}

impl FakeSlack {
    /// The request Slack would send when `user` clicks the button
    /// `action_id` of message `index` posted to `channel` (a channel, or a
    /// webhook's name). Panics when that message has no such button, as a
    /// person could not click it.
    pub fn interaction(
        &self,
        channel: &str,
        index: usize,
        action_id: &str,
        user: &SlackUser,
    ) -> Interaction {
        let message = self
            .posted(channel)
            .get(index)
            .cloned()
            .unwrap_or_else(|| panic!("no message {index} was posted to {channel}"));
        let (block, button) = message["blocks"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|b| b["type"] == "actions")
            .find_map(|b| {
                b["elements"]
                    .as_array()?
                    .iter()
                    .find(|e| e["type"] == "button" && e["action_id"] == action_id)
                    .map(|e| (b.clone(), e.clone()))
            })
            .unwrap_or_else(|| {
                panic!("message {index} in {channel} has no button `{action_id}`: {message:#}")
            });
        let reply = {
            let mut s = self.state.lock().unwrap();
            s.replies.push(Vec::new());
            s.replies.len() - 1
        };
        let ts = format!("1700000000.{index:06}");
        let action_ts = format!("{}.{:06}", 1_700_000_100 + reply, reply);
        let payload = json!({
            "type": "block_actions",
            "user": {
                "id": user.id, "username": user.username,
                "name": user.name, "team_id": user.team_id
            },
            "api_app_id": "A0ORGRADAR",
            "token": "legacy-verification-token",
            "container": {
                "type": "message", "message_ts": ts,
                "channel_id": channel, "is_ephemeral": false
            },
            "trigger_id": format!("{reply}.1.abcdef"),
            "team": { "id": user.team_id, "domain": "acme" },
            "enterprise": null,
            "is_enterprise_install": false,
            "channel": { "id": channel, "name": channel.trim_start_matches('#') },
            "message": {
                "type": "message", "subtype": "bot_message", "text": message["text"],
                "ts": ts, "bot_id": "B0ORGRADAR", "blocks": message["blocks"]
            },
            "state": { "values": {} },
            "response_url": format!("{}/actions/{reply}", self.url),
            "actions": [{
                "action_id": action_id,
                "block_id": block["block_id"],
                "text": button["text"],
                "value": button["value"],
                "style": button["style"],
                "type": "button",
                "action_ts": action_ts
            }]
        });
        let body = form_urlencoded::Serializer::new(String::new())
            .append_pair("payload", &payload.to_string())
            .finish();
        Interaction {
            body,
            payload,
            reply,
        }
    }

    /// `user` clicks `action_id` on message `index` of `channel`: the
    /// interaction is posted to orgradar's `url`, signed with `secret` now.
    pub async fn click(
        &self,
        url: &str,
        secret: &str,
        channel: &str,
        index: usize,
        action_id: &str,
        user: &SlackUser,
    ) -> Clicked {
        let interaction = self.interaction(channel, index, action_id, user);
        let headers = signed(secret, now_secs(), &interaction.body);
        let answer = send(url, &interaction.body, &headers).await;
        Clicked {
            status: answer.status,
            body: answer.body,
            reply: interaction.reply,
        }
    }

    /// What click `reply`'s `response_url` was sent, in order.
    pub fn replies(&self, reply: usize) -> Vec<Value> {
        let s = self.state.lock().unwrap();
        s.replies.get(reply).cloned().unwrap_or_default()
    }

    /// The message click `reply` was on, as the last post to its
    /// `response_url` made it (`None` while nothing was posted there).
    pub fn replaced(&self, reply: usize) -> Option<Value> {
        self.replies(reply).last().cloned()
    }
}

/// Slack's checks of an `actions` block: at most 25 elements; a button's
/// text plain, at most 75 characters; its value at most 2,000; action ids
/// at most 255 characters and unique.
pub(super) fn invalid_actions(block: &Value) -> bool {
    if block["type"] != "actions" {
        return false;
    }
    let Some(elements) = block["elements"].as_array() else {
        return true;
    };
    let mut ids = HashSet::new();
    elements.is_empty()
        || elements.len() > 25
        || elements.iter().any(|e| {
            let text = &e["text"];
            let id = e["action_id"].as_str().unwrap_or_default();
            text["type"] != "plain_text"
                || text["text"]
                    .as_str()
                    .is_none_or(|t| t.is_empty() || t.chars().count() > 75)
                || e["value"]
                    .as_str()
                    .is_some_and(|v| v.chars().count() > 2000)
                || id.is_empty()
                || id.chars().count() > 255
                || !ids.insert(id.to_string())
                || e.get("style")
                    .is_some_and(|s| s != "primary" && s != "danger")
        })
}

/// A click's `response_url`: a JSON body replaces the message; at most 5
/// posts, then `used_url`.
pub(super) async fn response_url(
    State(state): State<Shared>,
    Path(n): Path<usize>,
    body: axum::body::Bytes,
) -> Response {
    let mut s = state.lock().unwrap();
    let Some(replies) = s.replies.get_mut(n) else {
        return (StatusCode::NOT_FOUND, "no_such_url").into_response();
    };
    if replies.len() >= MAX_REPLIES {
        return (StatusCode::NOT_FOUND, "used_url").into_response();
    }
    let Ok(message) = serde_json::from_slice::<Value>(&body) else {
        return (StatusCode::BAD_REQUEST, "invalid_payload").into_response();
    };
    if super::fake_slack::invalid_blocks(&message) {
        return (StatusCode::BAD_REQUEST, "invalid_blocks").into_response();
    }
    replies.push(message);
    axum::Json(json!({ "ok": true })).into_response()
}
