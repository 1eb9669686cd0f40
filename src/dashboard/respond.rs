//! What every dashboard page shares: who is asking (signed in, or told how
//! to get in), the view's query, and the answers (HTML, CSV, redirects), all
//! private: never cached, framed or referred onwards.

use super::access::{Dashboard, Viewer};
use super::model::Filter;
use super::pages::View;
use crate::sighting::EventKind;
use crate::time::{Millis, now_ms};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use std::sync::Arc;

/// The view's query: `?days=30&repository=..&tier=..&event=..`.
#[derive(Debug, Default, Deserialize)]
pub struct ViewQuery {
    days: Option<u32>,
    repository: Option<String>,
    tier: Option<String>,
    event: Option<String>,
}

impl ViewQuery {
    pub(super) fn days(&self) -> u32 {
        self.days
            .filter(|d| super::pages::view::PERIODS.contains(d))
            .unwrap_or(30)
    }

    pub(super) fn filter(&self, now: Millis) -> Filter {
        let some = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        Filter {
            from: now - i64::from(self.days()) * super::model::DAY,
            to: now + 1,
            repository: some(&self.repository),
            tier: some(&self.tier),
            event: some(&self.event).and_then(|e| {
                EventKind::parse(&e).or_else(|| EventKind::SEEN.into_iter().find(|k| k.noun() == e))
            }),
        }
    }
}

/// Pages with personal data: never cached, framed or referred onwards.
pub(super) fn private(mut response: Response) -> Response {
    let h = response.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'"),
    );
    response
}

pub(super) fn html(status: StatusCode, body: String) -> Response {
    private(
        (
            status,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            body,
        )
            .into_response(),
    )
}

pub(super) fn csv(name: &str, body: String) -> Response {
    let disposition = format!("attachment; filename=\"{name}\"");
    private(
        (
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (header::CONTENT_DISPOSITION, disposition),
            ],
            body,
        )
            .into_response(),
    )
}

pub(super) fn redirect(to: &str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, to.to_string())]).into_response()
}

/// A person is sent to sign in (and back to `next` after); a machine is
/// told how to get in; a wrong token is refused as such.
pub(super) fn refuse(d: &Dashboard, headers: &HeaderMap, next: &str, page: bool) -> Response {
    // A bearer token that does not open the dashboard is refused as such
    // (another scheme, e.g. a proxy's Basic, is left to the sign-in).
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.get(..7)
                .is_some_and(|p| p.eq_ignore_ascii_case("bearer "))
        });
    if bearer {
        let message = if d.token.is_some() {
            "the bearer token is not this orgradar's DASHBOARD_TOKEN; send the value DASHBOARD_TOKEN is set to\n"
        } else {
            "this orgradar takes no bearer token: DASHBOARD_TOKEN is not set; set it (20 characters or more) and restart, or sign in at /dashboard/signin\n"
        };
        return private(
            (
                StatusCode::UNAUTHORIZED,
                [
                    (header::WWW_AUTHENTICATE, "Bearer error=\"invalid_token\""),
                    (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
                ],
                message,
            )
                .into_response(),
        );
    }
    if page {
        let next: String = form_urlencoded::byte_serialize(next.as_bytes()).collect();
        return redirect(&format!("/dashboard/signin?next={next}"));
    }
    private(
        (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
            "sign in at /dashboard/signin, or send Authorization: Bearer $DASHBOARD_TOKEN\n",
        )
            .into_response(),
    )
}

pub(super) fn store_failed(e: crate::store::StoreError) -> Response {
    tracing::warn!(error = %e, "a dashboard query failed");
    html(
        StatusCode::SERVICE_UNAVAILABLE,
        "<!doctype html><title>orgradar</title><p>The database did not answer; try again in a moment.</p>".into(),
    )
}

/// A request from someone who may read the dashboard, with the time it is
/// answered at. Refused otherwise: a page (`PAGE`) sends a person to sign
/// in, an export tells a machine how to get in, a wrong token gets 401.
pub(super) struct Reader<const PAGE: bool> {
    pub viewer: Viewer,
    pub now: Millis,
}

/// A page's reader.
pub(super) type PageReader = Reader<true>;
/// An export's (CSV) reader.
pub(super) type ExportReader = Reader<false>;

impl<const PAGE: bool> FromRequestParts<Arc<Dashboard>> for Reader<PAGE> {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        d: &Arc<Dashboard>,
    ) -> Result<Self, Self::Rejection> {
        let now = now_ms();
        match d.viewer(&parts.headers, now).await {
            Some(viewer) => Ok(Reader { viewer, now }),
            None => Err(refuse(d, &parts.headers, &parts.uri.to_string(), PAGE)),
        }
    }
}

pub(super) fn view(viewer: &Viewer, query: &ViewQuery, now: Millis) -> View {
    View {
        days: query.days(),
        signed_in_as: viewer.name(),
        now,
    }
}
