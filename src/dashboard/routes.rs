//! The dashboard's routes: the pages and their CSV (signing in and out is
//! in [`super::signin`]).

use super::access::{Dashboard, Viewer};
use super::model::Filter;
use super::pages::{Setup, View, group_page, overview_page};
use super::signin;
use crate::sighting::EventKind;
use crate::time::{Millis, now_ms};
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use std::sync::Arc;

pub fn router(dashboard: Arc<Dashboard>) -> Router {
    Router::new()
        .route("/dashboard", get(overview))
        .route("/dashboard/export.csv", get(overview_csv))
        .route("/dashboard/product", get(super::product_routes::page))
        .route("/dashboard/product.csv", get(super::product_routes::csv))
        .route("/dashboard/accounts/{key}", get(group))
        .route("/dashboard/accounts/{key}/export.csv", get(group_csv))
        .route("/dashboard/signin", get(signin::page))
        .route("/dashboard/login", get(signin::login))
        .route("/dashboard/callback", get(signin::callback))
        .route("/dashboard/logout", post(signin::logout))
        .with_state(dashboard)
}

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
                EventKind::parse(&e).or_else(|| EventKind::ALL.into_iter().find(|k| k.noun() == e))
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

/// A person is sent to sign in; a machine is told how to get in; a wrong
/// token is refused as such.
fn refuse(d: &Dashboard, headers: &HeaderMap, uri: &Uri, page: bool) -> Response {
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
        let next: String = form_urlencoded::byte_serialize(uri.to_string().as_bytes()).collect();
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

/// The viewer of a request and the time it is answered at, or the refusal:
/// a page sends a person to sign in, a CSV tells a machine how to get in.
pub(super) async fn signed_in(
    d: &Dashboard,
    headers: &HeaderMap,
    uri: &Uri,
    page: bool,
) -> Result<(Viewer, Millis), Box<Response>> {
    let now = now_ms();
    d.viewer(headers, now)
        .await
        .map(|viewer| (viewer, now))
        .ok_or_else(|| Box::new(refuse(d, headers, uri, page)))
}

pub(super) fn view(viewer: &Viewer, query: &ViewQuery, now: Millis) -> View {
    View {
        days: query.days(),
        signed_in_as: viewer.name(),
        now,
    }
}

async fn overview(
    State(d): State<Arc<Dashboard>>,
    headers: HeaderMap,
    uri: Uri,
    Query(query): Query<ViewQuery>,
) -> Response {
    let (viewer, now) = match signed_in(&d, &headers, &uri, true).await {
        Ok(v) => v,
        Err(refused) => return *refused,
    };
    let mut o = match d.store.overview(&query.filter(now)).await {
        Ok(o) => o,
        Err(e) => return store_failed(e),
    };
    d.names.name_groups(&mut o.groups);
    let setup = if o.groups.is_empty() {
        match setup(&d).await {
            Ok(setup) => setup,
            Err(e) => return store_failed(e),
        }
    } else {
        Setup::SeenBefore
    };
    html(
        StatusCode::OK,
        overview_page(&o, &view(&viewer, &query, now), setup),
    )
}

/// How far orgradar has come: app credentials, a delivery, a sighting.
async fn setup(d: &Dashboard) -> Result<Setup, crate::store::StoreError> {
    if d.github.get().is_none() {
        return Ok(Setup::NoCredentials);
    }
    let any = crate::store::ListFilter {
        status: None,
        limit: 1,
    };
    if d.store.list(&any).await?.is_empty() {
        return Ok(Setup::NoDeliveries);
    }
    if d.store.new_groups(0).await?.is_empty() {
        return Ok(Setup::NothingSeen);
    }
    Ok(Setup::SeenBefore)
}

async fn overview_csv(
    State(d): State<Arc<Dashboard>>,
    headers: HeaderMap,
    uri: Uri,
    Query(query): Query<ViewQuery>,
) -> Response {
    let now = match signed_in(&d, &headers, &uri, false).await {
        Ok((_, now)) => now,
        Err(refused) => return *refused,
    };
    match d.store.overview(&query.filter(now)).await {
        Ok(mut o) => {
            d.names.name_groups(&mut o.groups);
            csv("orgradar-accounts.csv", super::csv::overview_csv(&o))
        }
        Err(e) => store_failed(e),
    }
}

async fn group(
    State(d): State<Arc<Dashboard>>,
    headers: HeaderMap,
    uri: Uri,
    Path(key): Path<String>,
    Query(query): Query<ViewQuery>,
) -> Response {
    let (viewer, now) = match signed_in(&d, &headers, &uri, true).await {
        Ok(v) => v,
        Err(refused) => return *refused,
    };
    match d.store.group(&key, &query.filter(now)).await {
        Ok(Some(mut p)) => {
            d.names.name_groups(std::slice::from_mut(&mut p.row));
            d.names.name_sightings(&mut p.sightings);
            html(StatusCode::OK, group_page(&p, &view(&viewer, &query, now)))
        }
        Ok(None) => html(
            StatusCode::NOT_FOUND,
            "<!doctype html><title>orgradar</title><p>No sightings of this account in the chosen period. <a href=\"/dashboard\">Back to the overview</a></p>".into(),
        ),
        Err(e) => store_failed(e),
    }
}

async fn group_csv(
    State(d): State<Arc<Dashboard>>,
    headers: HeaderMap,
    uri: Uri,
    Path(key): Path<String>,
    Query(query): Query<ViewQuery>,
) -> Response {
    let now = match signed_in(&d, &headers, &uri, false).await {
        Ok((_, now)) => now,
        Err(refused) => return *refused,
    };
    match d.store.group(&key, &query.filter(now)).await {
        Ok(Some(mut p)) => {
            d.names.name_groups(std::slice::from_mut(&mut p.row));
            d.names.name_sightings(&mut p.sightings);
            csv("orgradar-sightings.csv", super::csv::group_csv(&p))
        }
        Ok(None) => (
            StatusCode::NOT_FOUND,
            "no sightings of this account in the period\n",
        )
            .into_response(),
        Err(e) => store_failed(e),
    }
}
