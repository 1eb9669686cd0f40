//! `POST /api/slack/interactions`: a click on a notice's Confirm / Not … /
//! Ignore … button. The raw body's signature is verified, the answer is
//! stored with its follow-up job in one transaction, and Slack gets its 200
//! at once (it allows 3 seconds); the worker does the rest. Never calls
//! GitHub or Slack.

pub mod interaction;
pub mod signature;

use super::Ingress;
use crate::config::SlackSigningSecrets;
use crate::store::People;
use crate::time::now_ms;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use interaction::Interaction;
use signature::{Replays, SlackFault};
use std::sync::Arc;

/// The path Slack's Interactivity Request URL points at.
pub const PATH: &str = "/api/slack/interactions";

/// Bytes of an interaction request read at most: the payload carries the
/// message the button was on, which is at most 50 blocks of 3,000 characters.
const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

/// What the interactions endpoint keeps: the signing secrets and the
/// signatures seen lately.
#[derive(Default)]
pub struct SlackInteractions {
    /// `SLACK_SIGNING_SECRET`; without it the endpoint answers 503.
    pub secrets: Option<SlackSigningSecrets>,
    replays: Replays,
}

impl SlackInteractions {
    pub fn new(secrets: Option<SlackSigningSecrets>) -> Self {
        SlackInteractions {
            secrets,
            replays: Replays::default(),
        }
    }
}

fn answer(status: StatusCode, message: impl Into<String>) -> Response {
    (status, message.into()).into_response()
}

fn refuse(fault: SlackFault) -> Response {
    tracing::info!(
        reason = fault.reason(),
        "refused a Slack interaction request"
    );
    answer(StatusCode::UNAUTHORIZED, fault.to_string())
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

pub async fn receive(
    State(ingress): State<Arc<Ingress>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    // 503 rather than 404: the endpoint exists and says how to turn it on,
    // as the webhook endpoint does without WEBHOOK_SECRET; Slack shows the
    // clicker that the app did not answer, and the operator's log says why.
    let Some(secrets) = ingress.slack.secrets.as_ref() else {
        return answer(
            StatusCode::SERVICE_UNAVAILABLE,
            "Slack interactivity is not configured: set SLACK_SIGNING_SECRET to the Slack app's Basic Information → Signing Secret and restart orgradar",
        );
    };
    let (timestamp, signature) = (
        header(&headers, "x-slack-request-timestamp"),
        header(&headers, "x-slack-signature"),
    );
    if timestamp.is_none() || signature.is_none() {
        return refuse(SlackFault::Unsigned);
    }
    let within = ingress.budget.body_timeout();
    let received = tokio::time::timeout(within, axum::body::to_bytes(body, MAX_BODY_BYTES)).await;
    let body: Bytes = match received {
        Ok(Ok(body)) => body,
        Ok(Err(_)) => {
            return answer(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!(
                    "the request body could not be read whole, or is over {MAX_BODY_BYTES} bytes; Slack's interaction payloads are smaller"
                ),
            );
        }
        Err(_) => {
            return answer(
                StatusCode::REQUEST_TIMEOUT,
                format!(
                    "the request body did not arrive within {} s (HTTP_BODY_TIMEOUT)",
                    within.as_secs()
                ),
            );
        }
    };
    let now_secs = now_ms() / 1000;
    let digest = match signature::verify(secrets, timestamp, signature, &body, now_secs) {
        Ok(digest) => digest,
        Err(fault) => return refuse(fault),
    };
    if let Err(fault) = ingress.slack.replays.first_time(digest, now_secs) {
        return refuse(fault);
    }
    let interaction = match read(&body) {
        Ok(interaction) => interaction,
        Err(message) => return answer(StatusCode::BAD_REQUEST, message),
    };
    take(&ingress, interaction).await
}

/// The `payload` field of the form body, as JSON.
fn read(body: &[u8]) -> Result<Interaction, String> {
    let payload = form_urlencoded::parse(body)
        .find(|(k, _)| k == "payload")
        .map(|(_, v)| v.into_owned())
        .ok_or_else(|| {
            "the body has no `payload` field: Slack sends interactions as application/x-www-form-urlencoded with the JSON in `payload`".to_string()
        })?;
    serde_json::from_str(&payload).map_err(|e| {
        format!("the `payload` field is not an interaction payload (JSON with a `type`): {e}")
    })
}

async fn take(ingress: &Ingress, interaction: Interaction) -> Response {
    if interaction.kind != "block_actions" {
        tracing::info!(kind = %interaction.kind, "ignored a Slack interaction that is not a button click");
        return StatusCode::OK.into_response();
    }
    let clicks = match interaction.clicks() {
        Ok(clicks) => clicks,
        Err(e) => {
            return answer(
                StatusCode::BAD_REQUEST,
                format!("the click cannot be read: {e}"),
            );
        }
    };
    if clicks.is_empty() {
        let actions: Vec<&str> = interaction
            .actions
            .iter()
            .map(|a| a.action_id.as_str())
            .collect();
        tracing::info!(
            ?actions,
            "ignored Slack actions that are not orgradar's buttons"
        );
        return StatusCode::OK.into_response();
    }
    let people: &dyn People = ingress.store.as_ref();
    let reply = interaction.reply();
    let mut queued = false;
    for click in &clicks {
        let stored = match people.sighting(&click.value.delivery_id).await {
            Ok(stored) => stored,
            Err(e) => return store_failed(&click.id, &e),
        };
        let correction = click.correction(stored.as_ref(), now_ms());
        match crate::feedback::submit(people, &correction, reply.clone()).await {
            Ok(true) => {
                queued = true;
                tracing::info!(correction = %correction.id, login = %correction.login,
                    verdict = %correction.verdict, by = %correction.by, "answer from Slack recorded");
            }
            Ok(false) => {
                tracing::info!(correction = %correction.id, "answer from Slack received before; not recorded again");
            }
            Err(e) => return store_failed(&click.id, &e),
        }
    }
    if queued {
        ingress.queued.notify_one();
    }
    StatusCode::OK.into_response()
}

fn store_failed(id: &str, e: &crate::store::StoreError) -> Response {
    tracing::error!(correction = %id, error = %e, "could not store an answer from Slack");
    answer(
        StatusCode::SERVICE_UNAVAILABLE,
        "orgradar could not store the answer (its database is unavailable); nothing was recorded: click again in a moment",
    )
}
