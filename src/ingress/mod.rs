//! HTTP ingress: the webhook endpoint, health and metrics.

mod refusal;
mod relevance;
pub mod signature;
mod verified;
mod webhook;

pub use refusal::{MAX_BODY_BYTES, Refusal};
pub use relevance::Relevance;
pub use verified::VerifiedDelivery;

use crate::metrics::Metrics;
use crate::setup::SecretsSlot;
use crate::store::Store;
use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::{Method, StatusCode, Uri, header};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use std::sync::Arc;
use tokio::sync::Notify;

/// What the ingress handlers share.
pub struct Ingress {
    /// Empty until `WEBHOOK_SECRET` is set or the app is registered.
    pub secrets: SecretsSlot,
    pub store: Arc<dyn Store>,
    pub metrics: Arc<Metrics>,
    pub relevance: Relevance,
    /// Woken whenever a delivery is queued, so the worker need not poll.
    pub queued: Arc<Notify>,
}

/// The HTTP routes: the webhook at `webhook_path`, `/healthz`, `/ping` and `/metrics`.
pub fn router(ingress: Arc<Ingress>, webhook_path: &str) -> Router {
    let path = webhook_path.to_string();
    let wrong_method = move |method: Method| async move {
        let message =
            format!("{method} is not accepted here: GitHub delivers webhooks with POST {path}");
        error(StatusCode::METHOD_NOT_ALLOWED, message)
    };
    let path = webhook_path.to_string();
    let not_found = move |method: Method, uri: Uri| async move {
        let message = format!(
            "no such page: {method} {}; webhooks go to POST {path}",
            uri.path()
        );
        error(StatusCode::NOT_FOUND, message)
    };
    Router::new()
        .route(webhook_path, post(webhook::receive).fallback(wrong_method))
        .route("/healthz", get(healthz))
        .route("/ping", get(|| async { "PONG" }))
        .route("/metrics", get(metrics))
        .fallback(not_found)
        .with_state(ingress)
}

fn error(status: StatusCode, message: String) -> (StatusCode, Json<serde_json::Value>) {
    (status, Json(serde_json::json!({ "error": message })))
}

async fn healthz() -> impl IntoResponse {
    Json(serde_json::json!({ "status": "ok" }))
}

async fn metrics(State(ingress): State<Arc<Ingress>>) -> impl IntoResponse {
    match ingress.store.backlog().await {
        Ok(counts) => ingress.metrics.set_queue(&counts),
        Err(e) => tracing::warn!(error = %e, "could not count the queue for /metrics"),
    }
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        ingress.metrics.render(),
    )
}
