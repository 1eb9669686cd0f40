//! Signing in to the dashboard with GitHub, and out again.

use super::access::Dashboard;
use super::access::session_id;
use super::pages::sign_in_page;
use super::respond::{html, redirect};
use super::session::{COOKIE, STATE_COOKIE, cookie, new_session_id, session_hash};
use crate::store::DashboardSession;
use crate::time::now_ms;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use std::sync::Arc;

#[derive(Debug, Default, Deserialize)]
pub(super) struct SignIn {
    next: Option<String>,
    error: Option<String>,
    /// The server's proof that it wrote `error` (see [`super::session::SessionKey::vouch`]).
    proof: Option<String>,
}

/// Shown instead of a refusal message the server cannot vouch for.
const UNVOUCHED: &str = "The sign-in did not complete; try again.";

/// Only places inside the dashboard are followed after signing in (or
/// after an answer): a path of this site, never another site's address.
pub(super) fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with("/dashboard")
                && !n.contains("//")
                && !n.contains('\\')
                && !n.chars().any(char::is_control) =>
        {
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

pub(super) async fn page(State(d): State<Arc<Dashboard>>, Query(q): Query<SignIn>) -> Response {
    let next = safe_next(q.next.as_deref());
    let encoded: String = form_urlencoded::byte_serialize(next.as_bytes()).collect();
    let login = format!("/dashboard/login?next={encoded}");
    // Only text this server wrote is shown: a link cannot put words on the page.
    let error = q.error.as_deref().map(|error| {
        let vouched = d.key.as_ref().is_some_and(|key| {
            q.proof
                .as_deref()
                .is_some_and(|proof| key.vouches(error, proof))
        });
        if vouched { error } else { UNVOUCHED }
    });
    let message = error.or(setup_hint(&d));
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

pub(super) async fn login(
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
pub(super) struct Callback {
    code: Option<String>,
    state: Option<String>,
}

pub(super) async fn callback(
    State(d): State<Arc<Dashboard>>,
    headers: HeaderMap,
    Query(q): Query<Callback>,
) -> Response {
    let (Some(oauth), Some(key)) = (&d.oauth, &d.key) else {
        return redirect("/dashboard/signin");
    };
    let refused = |why: &str| {
        let query: String = form_urlencoded::Serializer::new(String::new())
            .append_pair("error", why)
            .append_pair("proof", &key.vouch(why))
            .finish();
        redirect(&format!("/dashboard/signin?{query}"))
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
    if let Err(denied) = d.admit(&login).await {
        tracing::info!(login = %login, "refused a dashboard sign-in");
        return refused(&denied.message);
    }
    let lifetime = d.settings.session.as_millis_i64();
    let Some(session) = new_session_id() else {
        return refused("the server had no randomness for a session; try again");
    };
    let now = now_ms();
    let stored = DashboardSession {
        id_hash: session_hash(&session),
        login: login.clone(),
        created_at: now,
        expires_at: now + lifetime,
        checked_at: now,
    };
    if let Err(e) = d.store.open_session(&stored, now).await {
        tracing::warn!(error = %e, "could not store a dashboard session");
        return refused("the database did not answer; try again in a moment");
    }
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

pub(super) async fn logout(State(d): State<Arc<Dashboard>>, headers: HeaderMap) -> Response {
    if let Some(id) = session_id(&headers)
        && let Err(e) = d.store.end_session(&session_hash(id)).await
    {
        tracing::warn!(error = %e, "could not end a dashboard session");
    }
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
