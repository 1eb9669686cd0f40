//! Registering the GitHub App from app.yml, the way Probot does it: a page
//! with a button that posts the manifest to GitHub, GitHub's redirect back
//! with a code, the code exchanged for the app's credentials, written to
//! `.env`, and the running server configured with them at once.

mod dotenv;
mod home;
pub mod manifest;
mod page;
mod state;
mod status;

use crate::config::{AppFile, GitHubEnv, WebhookSecrets};
use crate::github::api::{AppInfo, convert_manifest};
use crate::github::{AppCredentials, GitHub, KeySource, RetryPolicy, SharedGitHub, SystemClock};
use crate::metrics::Metrics;
use crate::net::{host_name, is_local, is_local_host};
use axum::Router;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use page::{escape, layout};
use serde::Deserialize;
use state::{StateFault, States};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};

/// The webhook secrets the ingress checks against; the registration flow fills them in.
pub type SecretsSlot = Arc<RwLock<Option<Arc<WebhookSecrets>>>>;

pub struct Setup {
    pub app: AppFile,
    pub env: GitHubEnv,
    pub webhook_path: String,
    /// Where the credentials are written (`.env` in the working directory).
    pub env_file: PathBuf,
    pub github: SharedGitHub,
    pub secrets: SecretsSlot,
    pub metrics: Arc<Metrics>,
    /// Told about each completed registration (`orgradar register` waits on it).
    pub registered: Option<tokio::sync::mpsc::Sender<AppInfo>>,
    states: States,
}

impl Setup {
    pub fn new(
        app: AppFile,
        env: GitHubEnv,
        webhook_path: String,
        github: SharedGitHub,
        secrets: SecretsSlot,
        metrics: Arc<Metrics>,
    ) -> Self {
        Self {
            app,
            env,
            webhook_path,
            env_file: PathBuf::from(".env"),
            github,
            secrets,
            metrics,
            registered: None,
            states: States::default(),
        }
    }

    /// Whether the `Host` header names this machine or `PUBLIC_URL`'s host:
    /// a page on another site whose name was rebound to this machine's
    /// address sends its own name, and is refused.
    fn host_allowed(&self, headers: &HeaderMap) -> bool {
        let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
            return false;
        };
        let public = self.env.public_url.as_deref().map(|url| {
            let authority = url.split_once("://").map_or(url, |(_, rest)| rest);
            host_name(authority.split('/').next().unwrap_or_default())
        });
        is_local_host(host) || public.is_some_and(|p| !p.is_empty() && p == host_name(host))
    }

    /// Whether the request comes from a browser that may see the setup pages.
    fn nearby(&self, peer: &SocketAddr) -> bool {
        is_local(peer.ip()) || self.env.allow_remote_setup
    }
}

/// Where a browser on this machine opens the setup page of a server listening on `listening`.
pub fn home_url(listening: SocketAddr) -> String {
    let ip = listening.ip();
    if ip.is_unspecified() || ip.is_loopback() {
        format!("http://localhost:{}/", listening.port())
    } else {
        format!("http://{listening}/")
    }
}

/// What the operator does on the setup page: press the button, or first
/// enter the address GitHub reaches this server at.
pub fn next_step(env: &GitHubEnv) -> &'static str {
    if env.public_url.is_some() || env.webhook_proxy_url.is_some() {
        "press the button to register the app on GitHub"
    } else {
        "enter the https address GitHub reaches this server at (or see there how to use a relay while developing), then press the button to register the app on GitHub"
    }
}

/// `GET /` (and `POST /`, the address entered there) and `GET /setup/callback`.
pub fn router(setup: Arc<Setup>) -> Router {
    let github_web = setup.env.api_url.web.clone();
    Router::new()
        .route("/", get(home::home).post(home::entered))
        .route("/setup/callback", get(callback))
        .with_state(setup)
        .layer(axum::middleware::map_response(move |response: Response| {
            let github_web = github_web.clone();
            async move { page::guarded(response, &github_web) }
        }))
}

/// The answer to a request whose `Host` is not this machine's.
fn wrong_host() -> Response {
    refuse(
        StatusCode::MISDIRECTED_REQUEST,
        "Open this page by this machine's name",
        "The setup pages answer to localhost (or PUBLIC_URL's host) only. Open http://localhost:PORT/ in a browser on the machine orgradar runs on.",
    )
}

fn refuse(status: StatusCode, title: &str, text: &str) -> Response {
    (status, layout(title, &format!("<p>{}</p>", escape(text)))).into_response()
}

#[derive(Deserialize)]
struct Callback {
    code: Option<String>,
    state: Option<String>,
}

async fn callback(
    State(setup): State<Arc<Setup>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Query(query): Query<Callback>,
) -> Response {
    if !setup.nearby(&peer) {
        return refuse(
            StatusCode::FORBIDDEN,
            "Registration is offered on this machine only",
            "Complete the registration in a browser on the machine orgradar runs on, or set ALLOW_REMOTE_SETUP=true.",
        );
    }
    if !setup.host_allowed(&headers) {
        return wrong_host();
    }
    let taken = query
        .state
        .as_deref()
        .map_or(Err(StateFault::Unknown), |s| setup.states.take(s, &headers));
    let started = match taken {
        Ok(started) => started,
        Err(StateFault::Unknown) => {
            return refuse(
                StatusCode::BAD_REQUEST,
                "This registration was not started here",
                "The state GitHub sent back does not match a registration this server started in the last hour (or it was used already, or the app was registered since). Start again from the home page.",
            );
        }
        Err(StateFault::OtherBrowser) => {
            return refuse(
                StatusCode::FORBIDDEN,
                "This registration was started in another browser",
                "Complete the registration in the browser that pressed the button on the home page (it holds the registration's cookie). Start again from the home page.",
            );
        }
    };
    if setup.github.get().is_some() && !started.replace {
        return refuse(
            StatusCode::CONFLICT,
            "orgradar is registered already",
            "This server runs as a GitHub App already. To register a new app in its place, open /?replace=yes on this machine and start again from there.",
        );
    }
    let Some(code) = query.code.filter(|c| {
        !c.is_empty()
            && c.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    }) else {
        return refuse(
            StatusCode::BAD_REQUEST,
            "No code",
            "GitHub's redirect carried no usable `code`. Start again from the home page.",
        );
    };
    let anonymous = match GitHub::new(
        setup.env.api_url.clone(),
        None,
        Arc::new(SystemClock),
        Some(setup.metrics.clone()),
    ) {
        Ok(g) => g,
        Err(e) => {
            return refuse(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Cannot reach GitHub",
                &e.to_string(),
            );
        }
    };
    let conversion = match convert_manifest(&anonymous, &code).await {
        Ok(c) => c,
        Err(e) => {
            return refuse(
                StatusCode::BAD_GATEWAY,
                "GitHub did not complete the registration",
                &format!(
                    "{e}. A code works once and for one hour; start again from the home page."
                ),
            );
        }
    };
    let webhook_secret = conversion.webhook_secret.clone().unwrap_or_default();
    let app_id = conversion.id.to_string();
    let mut values = vec![
        ("APP_ID", app_id.as_str()),
        ("PRIVATE_KEY", conversion.pem.as_str()),
        ("WEBHOOK_SECRET", webhook_secret.as_str()),
        ("GITHUB_CLIENT_ID", conversion.client_id.as_str()),
        ("GITHUB_CLIENT_SECRET", conversion.client_secret.as_str()),
    ];
    if let Some(url) = &started.public_url {
        values.push(("PUBLIC_URL", url.as_str()));
    }
    let stamp = crate::time::now_ms().to_string();
    let backup = match dotenv::write(&setup.env_file, &values, &stamp) {
        Ok(b) => b,
        Err(e) => {
            return refuse(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Could not write .env",
                &format!(
                    "The app {} was created, but {} could not be written ({e}). Download a new private key and generate a webhook secret in the app's settings on GitHub.",
                    conversion.name,
                    setup.env_file.display()
                ),
            );
        }
    };
    let key = match KeySource::Env(conversion.pem.clone().into()).load() {
        Ok(key) => key,
        Err(e) => {
            return refuse(
                StatusCode::BAD_GATEWAY,
                "GitHub sent an unusable key",
                &e.to_string(),
            );
        }
    };
    match GitHub::new(
        setup.env.api_url.clone(),
        Some(AppCredentials {
            app_id: conversion.id,
            key,
        }),
        Arc::new(SystemClock),
        Some(setup.metrics.clone()),
    ) {
        Ok(github) => setup
            .github
            .set(Arc::new(github.with_policy(RetryPolicy::server()))),
        Err(e) => {
            tracing::error!(error = %e, "could not build the GitHub client after registration")
        }
    }
    if let Ok(mut secrets) = setup.secrets.write() {
        *secrets = WebhookSecrets::parse(&webhook_secret).map(Arc::new);
    }
    setup.states.expire_all();
    tracing::info!(app_id = conversion.id, name = %conversion.name, "registered the GitHub App; credentials written to .env");
    let info = AppInfo {
        id: conversion.id,
        slug: conversion.slug.clone(),
        name: conversion.name.clone(),
        html_url: conversion.html_url.clone(),
    };
    if let Some(registered) = &setup.registered {
        let _ = registered.send(info).await;
    }
    let kept = backup.map_or_else(String::new, |b| {
        format!(
            " The previous one is kept as <code>{}</code>.",
            escape(&b.display().to_string())
        )
    });
    let body = format!(
        r#"<p>The GitHub App <a href="{url}">{name}</a> (app id {id}) is registered, and this server now uses it.</p>
<p>Its credentials (APP_ID, PRIVATE_KEY, WEBHOOK_SECRET, GITHUB_CLIENT_ID, GITHUB_CLIENT_SECRET{public}) are in <code>{file}</code>, readable by you only.{kept} orgradar reads that file when it starts.{restart}</p>
<h2>Next steps</h2>
<ol>
<li><a href="{url}/installations/new">Install the app</a> on the organization whose repositories it should watch.</li>
<li>Deploying to Fly.io? Copy the same settings there: <pre>fly secrets import &lt; {file}</pre></li>
</ol>"#,
        url = escape(&conversion.html_url),
        name = escape(&conversion.name),
        id = conversion.id,
        file = escape(&setup.env_file.display().to_string()),
        public = if started.public_url.is_some() {
            ", PUBLIC_URL"
        } else {
            ""
        },
        restart = if started.public_url.is_some() {
            " Webhooks are taken at once; restart orgradar once so that the dashboard's sign-in uses PUBLIC_URL too."
        } else {
            ""
        },
    );
    layout("Registered", &body).into_response()
}
