//! Registering the GitHub App from app.yml, the way Probot does it: a page
//! with a button that posts the manifest to GitHub, GitHub's redirect back
//! with a code, the code exchanged for the app's credentials, written to
//! `.env`, and the running server configured with them at once.

mod dotenv;
pub mod manifest;
mod page;

use crate::config::{AppFile, GitHubEnv, WebhookSecrets};
use crate::github::api::{AppInfo, convert_manifest};
use crate::github::{AppCredentials, GitHub, KeySource, RetryPolicy, SharedGitHub, SystemClock};
use crate::metrics::Metrics;
use axum::Router;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use page::{escape, layout};
use serde::Deserialize;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

/// The webhook secrets the ingress checks against; the registration flow fills them in.
pub type SecretsSlot = Arc<RwLock<Option<Arc<WebhookSecrets>>>>;

/// A registration link is good for this long.
const STATE_LIFETIME: Duration = Duration::from_secs(3600);

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
    states: Mutex<HashMap<String, Instant>>,
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
            states: Mutex::new(HashMap::new()),
        }
    }

    /// A fresh, unguessable `state` for one registration.
    fn new_state(&self) -> Result<String, getrandom::Error> {
        let mut bytes = [0u8; 24];
        getrandom::getrandom(&mut bytes)?;
        let state = hex::encode(bytes);
        if let Ok(mut states) = self.states.lock() {
            states.retain(|_, at| at.elapsed() < STATE_LIFETIME);
            states.insert(state.clone(), Instant::now());
        }
        Ok(state)
    }

    /// Whether `state` was handed out here and is still good; it is used up either way.
    fn take_state(&self, state: &str) -> bool {
        self.states
            .lock()
            .ok()
            .and_then(|mut states| states.remove(state))
            .is_some_and(|at| at.elapsed() < STATE_LIFETIME)
    }
}

/// `GET /` and `GET /setup/callback`.
pub fn router(setup: Arc<Setup>) -> Router {
    Router::new()
        .route("/", get(home))
        .route("/setup/callback", get(callback))
        .with_state(setup)
}

fn refuse(status: StatusCode, title: &str, text: &str) -> Response {
    (status, layout(title, &format!("<p>{}</p>", escape(text)))).into_response()
}

async fn home(
    State(setup): State<Arc<Setup>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Response {
    let nearby = peer.ip().is_loopback() || setup.env.allow_remote_setup;
    if let Some(github) = setup.github.get() {
        if !nearby {
            // Which organizations installed the app is nobody else's business.
            return layout("orgradar", "<p>orgradar is running.</p>").into_response();
        }
        return status_page(&github).await.into_response();
    }
    if !nearby {
        return refuse(
            StatusCode::FORBIDDEN,
            "Registration is offered on this machine only",
            "orgradar is not registered as a GitHub App yet. Open this page in a browser on the machine orgradar runs on (or run `orgradar register` there), or set ALLOW_REMOTE_SETUP=true to offer it here.",
        );
    }
    let base = match &setup.env.public_url {
        Some(url) => url.clone(),
        None => {
            let host = headers
                .get(header::HOST)
                .and_then(|h| h.to_str().ok())
                .unwrap_or("localhost:3000");
            format!("http://{host}")
        }
    };
    let manifest = match manifest::manifest(&setup.app, &setup.env, &setup.webhook_path, &base) {
        Ok(m) => m,
        Err(e) => {
            return refuse(
                StatusCode::OK,
                "Register orgradar on GitHub",
                &e.to_string(),
            );
        }
    };
    let Ok(state) = setup.new_state() else {
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
    let body = format!(
        r#"<p>orgradar is not registered as a GitHub App yet. The button below sends the manifest from <code>app.yml</code> to GitHub, which creates the app under {owner} and brings you back here.</p>
<form action="{action}" method="post">
<input type="hidden" name="manifest" value="{manifest}">
<button type="submit">Register {name} on GitHub</button>
</form>
<p>Webhooks will go to <code>{hook}</code>.</p>"#,
        action = escape(&action),
        manifest = escape(&manifest.to_string()),
        name = escape(&setup.app.name.value),
        hook = escape(
            manifest["hook_attributes"]["url"]
                .as_str()
                .unwrap_or_default()
        ),
    );
    layout("Register orgradar on GitHub", &body).into_response()
}

async fn status_page(github: &GitHub) -> Html<String> {
    let app = match github.app_info().await {
        Ok(app) => app,
        Err(e) => {
            return layout(
                "orgradar",
                &format!(
                    "<p class=\"note\">The app's credentials are set, but GitHub did not confirm them: {}</p>",
                    escape(&e.to_string())
                ),
            );
        }
    };
    let installations = match github.installations().await {
        Ok(list) if list.is_empty() => format!(
            "<p>Not installed anywhere yet: <a href=\"{}/installations/new\">install it on an organization</a>.</p>",
            escape(&app.html_url)
        ),
        Ok(list) => {
            let items: String = list
                .iter()
                .map(|i| {
                    let suspended = if i.suspended_at.is_some() {
                        " (suspended)"
                    } else {
                        ""
                    };
                    format!(
                        "<li>{} <small>installation {}</small>{suspended}</li>",
                        escape(&i.account.login),
                        i.id
                    )
                })
                .collect();
            format!("<p>Installed on:</p><ul>{items}</ul>")
        }
        Err(e) => format!(
            "<p class=\"note\">Could not list installations: {}</p>",
            escape(&e.to_string())
        ),
    };
    layout(
        &app.name,
        &format!(
            "<p>orgradar runs as the GitHub App <a href=\"{url}\">{name}</a> (app id {id}).</p>{installations}",
            url = escape(&app.html_url),
            name = escape(&app.name),
            id = app.id,
        ),
    )
}

#[derive(Deserialize)]
struct Callback {
    code: Option<String>,
    state: Option<String>,
}

async fn callback(State(setup): State<Arc<Setup>>, Query(query): Query<Callback>) -> Response {
    if !query.state.as_deref().is_some_and(|s| setup.take_state(s)) {
        return refuse(
            StatusCode::BAD_REQUEST,
            "This registration was not started here",
            "The state GitHub sent back does not match a registration this server started in the last hour (or it was used already). Start again from the home page.",
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
    let values = [
        ("APP_ID", app_id.as_str()),
        ("PRIVATE_KEY", conversion.pem.as_str()),
        ("WEBHOOK_SECRET", webhook_secret.as_str()),
        ("GITHUB_CLIENT_ID", conversion.client_id.as_str()),
        ("GITHUB_CLIENT_SECRET", conversion.client_secret.as_str()),
    ];
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
<p>Its credentials (APP_ID, PRIVATE_KEY, WEBHOOK_SECRET, GITHUB_CLIENT_ID, GITHUB_CLIENT_SECRET) are in <code>{file}</code>, readable by you only.{kept} orgradar reads that file when it starts.</p>
<h2>Next steps</h2>
<ol>
<li><a href="{url}/installations/new">Install the app</a> on the organization whose repositories it should watch.</li>
<li>Deploying to Fly.io? Copy the same settings there: <pre>fly secrets import &lt; {file}</pre></li>
</ol>"#,
        url = escape(&conversion.html_url),
        name = escape(&conversion.name),
        id = conversion.id,
        file = escape(&setup.env_file.display().to_string()),
    );
    layout("Registered", &body).into_response()
}
