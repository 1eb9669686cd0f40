//! The home page before registration: the address GitHub reaches this
//! server at (from the environment, or entered here), then the button that
//! posts the manifest to GitHub.

use super::manifest::{self, Addresses};
use super::page::{escape, layout};
use super::state::{self, Started};
use super::status::status_page;
use super::{Setup, refuse, wrong_host};
use axum::Form;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use std::net::SocketAddr;
use std::sync::Arc;

#[derive(Deserialize)]
pub(super) struct Home {
    /// `yes`: register a new app in place of the current one.
    replace: Option<String>,
}

/// The address form's fields.
#[derive(Deserialize)]
pub(super) struct Entered {
    public_url: String,
    replace: Option<String>,
}

/// `GET /`.
pub(super) async fn home(
    State(setup): State<Arc<Setup>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Query(query): Query<Home>,
) -> Response {
    let replace = query.replace.as_deref() == Some("yes");
    match admit(&setup, &peer, &headers, replace).await {
        Err(response) => response,
        Ok(()) => register_page(&setup, &headers, replace, None),
    }
}

/// `POST /`: the address entered on the home page.
pub(super) async fn entered(
    State(setup): State<Arc<Setup>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<Entered>,
) -> Response {
    let replace = form.replace.as_deref() == Some("yes");
    if let Err(response) = admit(&setup, &peer, &headers, replace).await {
        return response;
    }
    if !same_origin(&headers) {
        return refuse(
            StatusCode::FORBIDDEN,
            "This form was sent from another site",
            "Enter the address on this server's own home page, in a browser on the machine orgradar runs on.",
        );
    }
    match manifest::public_url(&form.public_url) {
        Ok(url) => register_page(&setup, &headers, replace, Some(url)),
        Err(e) => (
            StatusCode::BAD_REQUEST,
            address_page(&form.public_url, Some(&e.to_string()), replace),
        )
            .into_response(),
    }
}

/// Who may see the registration: a browser on this machine, by this
/// machine's name; once registered, the home page shows the app instead.
async fn admit(
    setup: &Setup,
    peer: &SocketAddr,
    headers: &HeaderMap,
    replace: bool,
) -> Result<(), Response> {
    let nearby = setup.nearby(peer);
    let registered = setup.github.get();
    if !nearby && registered.is_some() {
        // Which organizations installed the app is nobody else's business.
        return Err(layout("orgradar", "<p>orgradar is running.</p>").into_response());
    }
    if !setup.host_allowed(headers) {
        return Err(wrong_host());
    }
    if let Some(github) = &registered
        && !replace
    {
        return Err(status_page(github, true).await.into_response());
    }
    if !nearby {
        return Err(refuse(
            StatusCode::FORBIDDEN,
            "Registration is offered on this machine only",
            "orgradar is not registered as a GitHub App yet. Open this page in a browser on the machine orgradar runs on (or run `orgradar register` there), or set ALLOW_REMOTE_SETUP=true to offer it here.",
        ));
    }
    Ok(())
}

/// Whether a form post comes from this server's own page: browsers name
/// the page's origin; a page on another site cannot pass for it.
fn same_origin(headers: &HeaderMap) -> bool {
    let text = |name| headers.get(name).and_then(|v| v.to_str().ok());
    if text("sec-fetch-site").is_some_and(|site| site != "same-origin" && site != "none") {
        return false;
    }
    let host = text(header::HOST.as_str()).unwrap_or_default();
    text(header::ORIGIN.as_str()).is_none_or(|origin| {
        origin == format!("http://{host}") || origin == format!("https://{host}")
    })
}

/// The registration page: the button, or the address form while GitHub has
/// nowhere to send webhooks.
fn register_page(
    setup: &Setup,
    headers: &HeaderMap,
    replace: bool,
    entered: Option<String>,
) -> Response {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost:3000");
    let browser = format!("http://{host}");
    let Ok(addresses) = Addresses::new(
        &setup.env,
        &setup.webhook_path,
        &browser,
        entered.as_deref(),
    ) else {
        return address_page("", None, replace).into_response();
    };
    let manifest = manifest::manifest(&setup.app, &setup.env, &addresses);
    let registered = setup.github.get().is_some();
    let started = Started {
        replace: registered,
        public_url: entered.clone(),
    };
    let Ok(state) = setup.states.issue(started) else {
        return refuse(
            StatusCode::INTERNAL_SERVER_ERROR,
            "No randomness",
            "the operating system gave no random bytes for the registration state; try again",
        );
    };
    let action = manifest::new_app_url(&setup.env, &state);
    let owner = match &setup.env.org {
        Some(org) => format!("the organization <strong>{}</strong>", escape(org)),
        None => "your personal account (set GITHUB_ORG to register it under an organization)"
            .to_string(),
    };
    let replacing = if registered {
        "<p class=\"note\">orgradar is registered already. Registering again creates a new app on GitHub, and this server then uses the new one: webhooks of the current app stop being accepted.</p>"
    } else {
        ""
    };
    let unreachable = if setup.env.webhook_proxy_url.is_none()
        && crate::net::is_local_host(host_of(&addresses.webhook))
    {
        "<p class=\"note\">GitHub cannot reach this machine's own address: webhooks will not arrive here. For development, use a relay channel (WEBHOOK_PROXY_URL, see below the address form).</p>"
    } else {
        ""
    };
    let saved = match &entered {
        Some(url) => format!(
            "<p>Once registered, <code>{}</code> is saved as <code>PUBLIC_URL</code> in <code>.env</code> with the app's credentials. <a href=\"/\">Use another address</a>.</p>",
            escape(url)
        ),
        None => String::new(),
    };
    let body = format!(
        r#"{replacing}<p>orgradar is not registered as a GitHub App yet. The button below sends the manifest from <code>app.yml</code> to GitHub, which creates the app under {owner} and brings you back here.</p>
<form action="{action}" method="post">
<input type="hidden" name="manifest" value="{manifest}">
<button type="submit">Register {name} on GitHub</button>
</form>
<p>Webhooks will go to <code>{hook}</code>.</p>{unreachable}{saved}"#,
        action = escape(&action),
        manifest = escape(&manifest.to_string()),
        name = escape(&setup.app.name.value),
        hook = escape(&addresses.webhook),
    );
    let secure = addresses.redirect.starts_with("https://");
    (
        [(header::SET_COOKIE, state::cookie(&state, secure))],
        layout("Register orgradar on GitHub", &body),
    )
        .into_response()
}

/// `host:port` of a URL.
fn host_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    rest.split('/').next().unwrap_or_default()
}

/// The form that asks where GitHub reaches this server, with what was wrong
/// with the last answer.
fn address_page(value: &str, problem: Option<&str>, replace: bool) -> axum::response::Html<String> {
    let problem = problem.map_or_else(String::new, |p| {
        format!("<p class=\"note\">{}</p>", escape(p))
    });
    let replace = if replace {
        r#"<input type="hidden" name="replace" value="yes">"#
    } else {
        ""
    };
    let body = format!(
        r#"<p>orgradar is not registered as a GitHub App yet. First, GitHub needs an address to send webhooks to.</p>
{problem}<form action="/" method="post">
<p><label for="public_url">The https address GitHub reaches this server at</label><br>
<input id="public_url" name="public_url" type="text" size="40" required placeholder="https://orgradar.example.com" value="{value}"></p>
{replace}<button type="submit">Continue</button>
</form>
<p>It is saved as <code>PUBLIC_URL</code> in <code>.env</code> with the app's credentials once the app is registered. (Setting <code>PUBLIC_URL</code> in the environment before starting orgradar skips this step.)</p>
<h2>Developing on a machine GitHub cannot reach?</h2>
<p>Use a webhook relay: open a channel at <a href="https://smee.io/new">smee.io/new</a>, add its address to <code>.env</code> as <code>WEBHOOK_PROXY_URL=https://smee.io/...</code> and restart <code>orgradar serve</code>. This page then registers the app with the channel as its webhook address, and orgradar takes the channel's deliveries to itself.</p>"#,
        value = escape(value),
    );
    layout("Register orgradar on GitHub", &body)
}
