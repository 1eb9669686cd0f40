//! HTTP ingress: the webhook endpoint, Slack's button clicks, health,
//! readiness and metrics.

mod budget;
mod health;
mod refusal;
pub mod signature;
pub mod slack;
mod verified;
mod webhook;

pub use budget::WebhookBudget;
pub use health::{WorkerAlive, WorkerRunning};
pub use refusal::{MAX_BODY_BYTES, Refusal};
pub use slack::SlackInteractions;
pub use verified::VerifiedDelivery;

use crate::config::MetricsAccess;

use crate::metrics::Metrics;
use crate::setup::SecretsSlot;
use crate::store::Store;
use crate::worker::Handoff;
use axum::Json;
use axum::Router;
use axum::http::{Method, StatusCode, Uri};
use axum::routing::{get, post};
use std::sync::Arc;
use tokio::sync::Notify;

/// What the ingress handlers share.
pub struct Ingress {
    /// Empty until `WEBHOOK_SECRET` is set or the app is registered.
    pub secrets: SecretsSlot,
    pub store: Arc<dyn Store>,
    pub metrics: Arc<Metrics>,
    /// Woken whenever a delivery is queued, so the worker need not poll.
    pub queued: Arc<Notify>,
    /// This process's worker, when it runs and the store leases at ingest
    /// (SQLite): a delivery that arrives while the worker has a free slot is
    /// stored leased to it and handed over directly.
    pub handoff: Option<Arc<Handoff>>,
    /// How many webhook requests and body bytes may be in flight.
    pub budget: WebhookBudget,
    /// Whether this process's worker pool runs, for `/readyz`.
    pub worker: WorkerAlive,
    /// Who may read `/metrics`.
    pub metrics_access: MetricsAccess,
    /// Clicks on the buttons of Slack notices.
    pub slack: SlackInteractions,
}

/// The HTTP routes: the webhook at `webhook_path`, `/healthz`, `/readyz`, `/ping` and `/metrics`.
pub fn router(ingress: Arc<Ingress>, webhook_path: &str) -> Router {
    let path = webhook_path.to_string();
    let wrong_method = move |method: Method| async move {
        let message =
            format!("{method} is not accepted here: GitHub delivers webhooks with POST {path}");
        error(StatusCode::METHOD_NOT_ALLOWED, message)
    };
    let path = webhook_path.to_string();
    let not_found = move |method: Method, uri: Uri| async move {
        // A path is echoed only in part: a request can make it as long as it likes.
        let asked: String = uri.path().chars().take(100).collect();
        let message = format!("no such page: {method} {asked}; webhooks go to POST {path}");
        error(StatusCode::NOT_FOUND, message)
    };
    Router::new()
        .route(webhook_path, post(webhook::receive).fallback(wrong_method))
        .route(slack::PATH, post(slack::receive))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/ping", get(|| async { "PONG" }))
        .route("/metrics", get(health::public_metrics))
        .fallback(not_found)
        .with_state(ingress)
}

fn error(status: StatusCode, message: String) -> (StatusCode, Json<serde_json::Value>) {
    (status, Json(serde_json::json!({ "error": message })))
}

/// `/metrics` alone, for the listener on `METRICS_ADDR`.
pub fn metrics_router(ingress: Arc<Ingress>) -> Router {
    Router::new()
        .route("/metrics", get(health::metrics))
        .with_state(ingress)
}
