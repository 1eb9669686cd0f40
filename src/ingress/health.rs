//! `/healthz` (the process answers), `/readyz` (the store takes writes and
//! the worker pool runs) and `/metrics` (Prometheus text, for whoever
//! `METRICS_ADDR` or `METRICS_TOKEN` lets in).

use super::Ingress;
use crate::config::MetricsAccess;
use crate::store::Status;
use axum::Json;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use secrecy::ExposeSecret;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use subtle::ConstantTimeEq;

/// How long `/readyz` waits for the store to take a write.
const STORE_CHECK: Duration = Duration::from_secs(3);

/// Whether the worker pool of this process runs; `None` when it has none
/// (`serve --no-worker`).
#[derive(Debug, Clone, Default)]
pub struct WorkerAlive(Option<Arc<AtomicBool>>);

/// Marks the worker pool stopped when dropped, so a pool that ends or
/// panics is seen by `/readyz`.
pub struct WorkerRunning(Arc<AtomicBool>);

impl WorkerAlive {
    /// A flag for a pool that starts now, and the guard its task holds.
    pub fn started() -> (Self, WorkerRunning) {
        let flag = Arc::new(AtomicBool::new(true));
        (Self(Some(flag.clone())), WorkerRunning(flag))
    }

    fn running(&self) -> Option<bool> {
        self.0.as_ref().map(|f| f.load(Ordering::Acquire))
    }
}

impl Drop for WorkerRunning {
    fn drop(&mut self) {
        self.0.store(false, Ordering::Release);
    }
}

pub async fn healthz() -> impl IntoResponse {
    Json(serde_json::json!({ "status": "ok" }))
}

pub async fn readyz(State(ingress): State<Arc<Ingress>>) -> Response {
    // The answer is public: the store's own error goes to the log only.
    let store = match tokio::time::timeout(STORE_CHECK, ingress.store.ready()).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => {
            tracing::error!(error = %e, "the store does not take writes");
            Err("the store does not take writes".to_string())
        }
        Err(_) => Err(format!(
            "the store did not take a write within {} s",
            STORE_CHECK.as_secs()
        )),
    };
    let worker = match ingress.worker.running() {
        Some(false) => Err("the worker pool has stopped".to_string()),
        _ => Ok(()),
    };
    let problems: Vec<String> = [store.err(), worker.err()].into_iter().flatten().collect();
    if problems.is_empty() {
        return Json(serde_json::json!({ "status": "ready" })).into_response();
    }
    tracing::error!(problems = %problems.join("; "), "not ready");
    (
        StatusCode::SERVICE_UNAVAILABLE,
        Json(serde_json::json!({
            "status": "not ready",
            "error": format!("{}; orgradar's log says why; restart it if this lasts", problems.join("; ")),
        })),
    )
        .into_response()
}

/// Who may read `/metrics` on the public listener: nobody when it has its
/// own address, holders of `METRICS_TOKEN` when one is set, and otherwise
/// only this machine.
fn metrics_allowed(
    access: &MetricsAccess,
    peer: &SocketAddr,
    headers: &HeaderMap,
) -> Result<(), &'static str> {
    if access.addr.is_some() {
        return Err("/metrics is served on METRICS_ADDR, not here");
    }
    if let Some(token) = &access.token {
        let given = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or_default();
        return if bool::from(
            token
                .expose_secret()
                .as_bytes()
                .ct_eq(given.trim().as_bytes()),
        ) {
            Ok(())
        } else {
            Err("/metrics needs Authorization: Bearer $METRICS_TOKEN")
        };
    }
    if crate::net::is_local(peer.ip()) {
        Ok(())
    } else {
        Err(
            "/metrics is offered to this machine only; set METRICS_TOKEN (and send it as a bearer token) or METRICS_ADDR to read it from elsewhere",
        )
    }
}

/// `/metrics` on the public listener, for those [`metrics_allowed`] lets in.
pub async fn public_metrics(
    State(ingress): State<Arc<Ingress>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Response {
    match metrics_allowed(&ingress.metrics_access, &peer, &headers) {
        Ok(()) => metrics(State(ingress)).await,
        Err(why) => {
            let status = if ingress.metrics_access.addr.is_some() {
                StatusCode::NOT_FOUND
            } else {
                StatusCode::UNAUTHORIZED
            };
            super::error(status, why.to_string()).into_response()
        }
    }
}

/// The Prometheus text (on `METRICS_ADDR`, to everyone who reaches it).
pub async fn metrics(State(ingress): State<Arc<Ingress>>) -> Response {
    match ingress.store.backlog().await {
        Ok(counts) => {
            // Done deliveries are not a queue.
            let all: Vec<&'static str> = Status::ALL
                .into_iter()
                .filter(|s| *s != Status::Done)
                .map(Status::as_str)
                .collect();
            let counts: Vec<(&str, u64)> = counts.iter().map(|(s, n)| (s.as_str(), *n)).collect();
            ingress.metrics.set_queue(&all, &counts)
        }
        Err(e) => tracing::warn!(error = %e, "could not count the queue for /metrics"),
    }
    crate::feedback::metrics::count(&*ingress.store, &ingress.metrics).await;
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        ingress.metrics.render(),
    )
        .into_response()
}
