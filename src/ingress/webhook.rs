//! `POST /api/github/webhooks`: decide whether a verified delivery matters,
//! commit it to the store, answer. Never calls GitHub or Slack.

use super::Ingress;
use super::refusal::Refusal;
use super::verified::VerifiedDelivery;
use crate::event::{Handled, Payload};
use crate::store::{Ingested, NewDelivery};
use crate::time::now_ms;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::de::IgnoredAny;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// How a verified delivery was acknowledged.
#[derive(Debug)]
pub enum Ack {
    Queued(String),
    Duplicate(String),
    Ignored { event: String },
    Pong,
}

/// The body of an acknowledgement, written straight from borrowed fields.
#[derive(Serialize)]
struct AckBody<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    delivery: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<&'a str>,
    status: &'static str,
}

impl IntoResponse for Ack {
    fn into_response(self) -> Response {
        let ignored;
        let (code, body) = match &self {
            Ack::Queued(id) => (
                StatusCode::ACCEPTED,
                AckBody {
                    delivery: Some(id),
                    message: None,
                    status: "queued",
                },
            ),
            Ack::Duplicate(id) => (
                StatusCode::OK,
                AckBody {
                    delivery: Some(id),
                    message: Some(
                        "this delivery id was received before; it is not processed again",
                    ),
                    status: "duplicate",
                },
            ),
            Ack::Ignored { event } => {
                ignored = format!("orgradar does not act on this `{event}` delivery");
                (
                    StatusCode::OK,
                    AckBody {
                        delivery: None,
                        message: Some(&ignored),
                        status: "ignored",
                    },
                )
            }
            Ack::Pong => (
                StatusCode::OK,
                AckBody {
                    delivery: None,
                    message: None,
                    status: "pong",
                },
            ),
        };
        (code, Json(body)).into_response()
    }
}

#[derive(Deserialize)]
struct ActionOnly {
    #[serde(default)]
    action: Option<String>,
}

fn not_json(e: serde_json::Error) -> Refusal {
    Refusal::NotJson(e.to_string())
}

pub async fn receive(
    State(ingress): State<Arc<Ingress>>,
    delivery: Result<VerifiedDelivery, Refusal>,
) -> Result<Ack, Refusal> {
    let result = match delivery {
        Ok(delivery) => accept(&ingress, delivery).await,
        Err(refusal) => Err(refusal),
    };
    if let Err(refusal) = &result {
        ingress.metrics.refused(refusal.reason());
        tracing::debug!(reason = refusal.reason(), "refused a webhook request");
    }
    result
}

async fn accept(ingress: &Ingress, d: VerifiedDelivery) -> Result<Ack, Refusal> {
    let received_at = now_ms();
    if !Handled::some_action_of(&d.event) {
        serde_json::from_slice::<IgnoredAny>(&d.json).map_err(not_json)?;
        ingress.metrics.received(&d.event, "ignored");
        return Ok(if d.event == "ping" {
            Ack::Pong
        } else {
            Ack::Ignored { event: d.event }
        });
    }
    let new = match serde_json::from_slice::<Payload>(&d.json) {
        Ok(payload) => {
            if Handled::of(&d.event, payload.action.as_deref()).is_none() {
                ingress.metrics.received(&d.event, "ignored");
                return Ok(Ack::Ignored { event: d.event });
            }
            NewDelivery {
                installation_id: payload
                    .installation
                    .as_ref()
                    .map(|i| i64::try_from(i.id))
                    .transpose()
                    .map_err(|_| Refusal::OutOfRange("installation.id"))?,
                repository: payload.repository.as_ref().map(|r| r.full_name.clone()),
                action: payload.action.clone(),
                payload: serde_json::to_string(&payload).map_err(not_json)?,
                id: d.id,
                event: d.event,
                received_at,
            }
        }
        Err(e) if e.is_data() => {
            // Valid JSON of a shape this version does not expect: keep it
            // whole, so nothing is lost; the worker reports what is missing.
            let action = serde_json::from_slice::<ActionOnly>(&d.json)
                .ok()
                .and_then(|a| a.action);
            if Handled::of(&d.event, action.as_deref()).is_none() {
                ingress.metrics.received(&d.event, "ignored");
                return Ok(Ack::Ignored { event: d.event });
            }
            tracing::warn!(delivery = %d.id, event = %d.event, error = %e,
                "payload has an unexpected shape; stored whole");
            NewDelivery {
                installation_id: None,
                repository: None,
                action,
                payload: String::from_utf8_lossy(&d.json).into_owned(),
                id: d.id,
                event: d.event,
                received_at,
            }
        }
        Err(e) => return Err(not_json(e)),
    };
    let (id, event) = (new.id.clone(), new.event.clone());
    // With a free worker slot, the delivery is stored leased to this
    // instance's worker and given to it by the store once committed.
    let slot = ingress.handoff.as_ref().and_then(|h| h.reserve());
    let direct = slot.is_some();
    let stored = match slot {
        Some(slot) => {
            let lease = slot.lease(received_at);
            let take = Box::new(move |claimed| slot.deliver(claimed));
            ingress.store.ingest_claimed(new, &lease, take).await
        }
        None => ingress.store.ingest(new).await,
    };
    match stored {
        Ok(Ingested::Queued) => {
            ingress.metrics.received(&event, "queued");
            if !direct {
                ingress.queued.notify_one();
            }
            tracing::debug!(delivery = %id, %event, "queued");
            Ok(Ack::Queued(id))
        }
        Ok(Ingested::Duplicate) => {
            ingress.metrics.received(&event, "duplicate");
            tracing::info!(delivery = %id, %event, "duplicate delivery acknowledged");
            Ok(Ack::Duplicate(id))
        }
        Err(e) => {
            tracing::error!(delivery = %id, %event, error = %e, "could not store a delivery");
            Err(Refusal::StoreUnavailable)
        }
    }
}
