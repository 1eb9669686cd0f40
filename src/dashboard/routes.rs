//! The dashboard's routes: the pages and their CSV, and signing in and out.

use super::access::{Dashboard, Viewer};
use super::model::Filter;
use super::pages::{View, group_page, overview_page, sign_in_page};
use super::session::{COOKIE, STATE_COOKIE, cookie};
use crate::sighting::EventKind;
use crate::time::{Millis, now_ms};
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use std::sync::Arc;

const DAY_MS: i64 = 24 * 3600 * 1000;

pub fn router(dashboard: Arc<Dashboard>) -> Router {
    Router::new()
        .route("/dashboard", get(overview))
        .route("/dashboard/export.csv", get(overview_csv))
        .route("/dashboard/accounts/{key}", get(group))
        .route("/dashboard/accounts/{key}/export.csv", get(group_csv))
        .route("/dashboard/signin", get(signin))
        .route("/dashboard/login", get(login))
        .route("/dashboard/callback", get(callback))
        .route("/dashboard/logout", post(logout))
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
    fn days(&self) -> u32 {
        self.days
            .filter(|d| super::pages::view::PERIODS.contains(d))
            .unwrap_or(30)
    }

    fn filter(&self, now: Millis) -> Filter {
        let some = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        Filter {
            from: now - i64::from(self.days()) * DAY_MS,
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
fn private(mut response: Response) -> Response {
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

fn html(status: StatusCode, body: String) -> Response {
    private(
        (
            status,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            body,
        )
            .into_response(),
    )
}

fn csv(name: &str, body: String) -> Response {
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

fn redirect(to: &str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, to.to_string())]).into_response()
}

/// A person is sent to sign in; a machine is told how to get in.
fn refuse(uri: &Uri, page: bool) -> Response {
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

fn store_failed(e: crate::store::StoreError) -> Response {
    tracing::warn!(error = %e, "a dashboard query failed");
    html(
        StatusCode::SERVICE_UNAVAILABLE,
        "<!doctype html><title>orgradar</title><p>The database did not answer; try again in a moment.</p>".into(),
    )
}

fn view(viewer: &Viewer, query: &ViewQuery, now: Millis) -> View {
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
    let now = now_ms();
    let Some(viewer) = d.viewer(&headers, now) else {
        return refuse(&uri, true);
    };
    match d.store.overview(&query.filter(now)).await {
        Ok(o) => html(
            StatusCode::OK,
            overview_page(&o, &view(&viewer, &query, now)),
        ),
        Err(e) => store_failed(e),
    }
}

async fn overview_csv(
    State(d): State<Arc<Dashboard>>,
    headers: HeaderMap,
    uri: Uri,
    Query(query): Query<ViewQuery>,
) -> Response {
    let now = now_ms();
    if d.viewer(&headers, now).is_none() {
        return refuse(&uri, false);
    }
    match d.store.overview(&query.filter(now)).await {
        Ok(o) => csv("orgradar-accounts.csv", super::csv::overview_csv(&o)),
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
    let now = now_ms();
    let Some(viewer) = d.viewer(&headers, now) else {
        return refuse(&uri, true);
    };
    match d.store.group(&key, &query.filter(now)).await {
        Ok(Some(p)) => html(StatusCode::OK, group_page(&p, &view(&viewer, &query, now))),
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
    let now = now_ms();
    if d.viewer(&headers, now).is_none() {
        return refuse(&uri, false);
    }
    match d.store.group(&key, &query.filter(now)).await {
        Ok(Some(p)) => csv("orgradar-sightings.csv", super::csv::group_csv(&p)),
        Ok(None) => (
            StatusCode::NOT_FOUND,
            "no sightings of this account in the period\n",
        )
            .into_response(),
        Err(e) => store_failed(e),
    }
}

#[derive(Debug, Default, Deserialize)]
struct SignIn {
    next: Option<String>,
    error: Option<String>,
}

/// Only places inside the dashboard are followed after signing in.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with("/dashboard") && !n.contains("//") && !n.contains('\\') => {
            n.to_string()
        }
        _ => "/dashboard".to_string(),
    }
}

fn setup_hint(d: &Dashboard) -> Option<&'static str> {
    (d.oauth.is_none() && d.token.is_none()).then_some(
        "The dashboard is not set up: registering the app writes GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET (restart orgradar after registering), or set DASHBOARD_TOKEN for machines.",
    )
}

async fn signin(State(d): State<Arc<Dashboard>>, Query(q): Query<SignIn>) -> Response {
    let next = safe_next(q.next.as_deref());
    let encoded: String = form_urlencoded::byte_serialize(next.as_bytes()).collect();
    let login = format!("/dashboard/login?next={encoded}");
    let message = q.error.as_deref().or(setup_hint(&d));
    let status = if q.error.is_some() {
        StatusCode::FORBIDDEN
    } else {
        StatusCode::OK
    };
    html(
        status,
        sign_in_page(
            message,
            d.oauth.as_ref().map(|_| login.as_str()),
            d.token.is_some(),
        ),
    )
}

/// Where GitHub sends the browser back to.
fn callback_url(d: &Dashboard, headers: &HeaderMap) -> String {
    let base = d.public_url.clone().unwrap_or_else(|| {
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("localhost");
        format!("http://{host}")
    });
    format!("{}/dashboard/callback", base.trim_end_matches('/'))
}

fn cookie_attributes(d: &Dashboard, max_age_secs: i64) -> String {
    let secure = if d
        .public_url
        .as_deref()
        .is_some_and(|u| u.starts_with("https://"))
    {
        "; Secure"
    } else {
        ""
    };
    format!("Path=/dashboard; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}")
}

async fn login(
    State(d): State<Arc<Dashboard>>,
    headers: HeaderMap,
    Query(q): Query<SignIn>,
) -> Response {
    let Some(oauth) = &d.oauth else {
        return redirect("/dashboard/signin");
    };
    let mut bytes = [0u8; 16];
    if getrandom::getrandom(&mut bytes).is_err() {
        return html(
            StatusCode::SERVICE_UNAVAILABLE,
            "<!doctype html><p>No randomness available; try again.</p>".into(),
        );
    }
    let state = hex::encode(bytes);
    let next = safe_next(q.next.as_deref());
    let value: String =
        form_urlencoded::byte_serialize(format!("{state} {next}").as_bytes()).collect();
    let set = format!("{STATE_COOKIE}={value}; {}", cookie_attributes(&d, 600));
    let to = oauth.authorize_url(&state, &callback_url(&d, &headers));
    (
        StatusCode::SEE_OTHER,
        [(header::LOCATION, to), (header::SET_COOKIE, set)],
    )
        .into_response()
}

#[derive(Debug, Deserialize)]
struct Callback {
    code: Option<String>,
    state: Option<String>,
}

async fn callback(
    State(d): State<Arc<Dashboard>>,
    headers: HeaderMap,
    Query(q): Query<Callback>,
) -> Response {
    let refused = |why: &str| {
        let why: String = form_urlencoded::byte_serialize(why.as_bytes()).collect();
        redirect(&format!("/dashboard/signin?error={why}"))
    };
    let (Some(oauth), Some(key)) = (&d.oauth, &d.key) else {
        return redirect("/dashboard/signin");
    };
    let pending = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|h| cookie(h, STATE_COOKIE))
        .map(|v| {
            form_urlencoded::parse(format!("v={v}").as_bytes())
                .map(|(_, v)| v.into_owned())
                .collect::<String>()
        })
        .unwrap_or_default();
    let (expected, next) = pending.split_once(' ').unwrap_or(("", "/dashboard"));
    let (Some(code), Some(state)) = (q.code.as_deref(), q.state.as_deref()) else {
        return refused("GitHub did not complete the sign-in; try again");
    };
    if expected.is_empty() || expected != state {
        return refused("the sign-in expired or was started elsewhere; try again");
    }
    let login = match oauth.login_of(code, &callback_url(&d, &headers)).await {
        Ok(login) => login,
        Err(e) => return refused(&e),
    };
    if let Err(why) = d.admit(&login).await {
        tracing::info!(login = %login, "refused a dashboard sign-in");
        return refused(&why);
    }
    let lifetime = d.settings.session.as_millis_i64();
    let session = key.issue(&login, now_ms() + lifetime);
    tracing::info!(login = %login, "signed in to the dashboard");
    let headers = [
        (header::LOCATION, safe_next(Some(next))),
        (
            header::SET_COOKIE,
            format!(
                "{COOKIE}={session}; {}",
                cookie_attributes(&d, lifetime / 1000)
            ),
        ),
    ];
    let mut response = (StatusCode::SEE_OTHER, headers).into_response();
    if let Ok(clear) =
        HeaderValue::from_str(&format!("{STATE_COOKIE}=; {}", cookie_attributes(&d, 0)))
    {
        response.headers_mut().append(header::SET_COOKIE, clear);
    }
    response
}

async fn logout(State(d): State<Arc<Dashboard>>) -> Response {
    let clear = format!("{COOKIE}=; {}", cookie_attributes(&d, 0));
    (
        StatusCode::SEE_OTHER,
        [
            (header::LOCATION, "/dashboard/signin".to_string()),
            (header::SET_COOKIE, clear),
        ],
    )
        .into_response()
}
