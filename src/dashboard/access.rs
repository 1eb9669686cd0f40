//! Who may see the dashboard: a session (kept on the server) of a member of
//! one of `dashboard.allow_orgs`, whose membership is confirmed again at
//! least hourly, or a machine with `DASHBOARD_TOKEN`. Everyone else is
//! refused: the dashboard holds personal data.

use super::names::AccountNames;
use super::oauth::OAuth;
use super::session::{COOKIE, SessionKey, cookie, session_hash};
use crate::config::DashboardSettings;
use crate::github::{GitHubError, SharedGitHub};
use crate::intent::Taxonomy;
use crate::score::Weights;
use crate::store::Store;
use crate::time::Millis;
use http::HeaderMap;
use http::header::{AUTHORIZATION, COOKIE as COOKIE_HEADER};
use secrecy::{ExposeSecret, SecretString};
use std::sync::Arc;
use subtle::ConstantTimeEq;

/// Everything the dashboard's routes need.
pub struct Dashboard {
    pub store: Arc<dyn Store>,
    pub github: SharedGitHub,
    pub settings: DashboardSettings,
    /// Sign-in with GitHub; `None` without `GITHUB_CLIENT_ID`/`GITHUB_CLIENT_SECRET`.
    pub oauth: Option<OAuth>,
    pub key: Option<SessionKey>,
    pub token: Option<SecretString>,
    /// `PUBLIC_URL`, for the address GitHub sends people back to.
    pub public_url: Option<String>,
    /// The intent topics and the lead score's weights, from app.yml.
    pub intent: Arc<Taxonomy>,
    pub scoring: Weights,
    /// Open to whoever reaches the listener, without signing in: only for
    /// `orgradar demo`, which listens on loopback alone and holds made-up data.
    pub open: bool,
    /// The target accounts' names by id, for sightings stored without them.
    pub names: AccountNames,
}

/// How long a session's membership check holds before it is made again.
const RECHECK_MS: Millis = 60 * 60 * 1000;

/// Why someone may not come in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Denied {
    /// For the sign-in page: what is wrong and what to do.
    pub message: String,
    /// GitHub could not say (the answer may differ in a minute).
    pub temporary: bool,
}

impl Denied {
    fn definite(message: String) -> Self {
        Self {
            message,
            temporary: false,
        }
    }
}

/// The session id in a request's cookie.
pub fn session_id(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(COOKIE_HEADER)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|h| cookie(h, COOKIE))
        .filter(|id| !id.is_empty())
}

/// Who is looking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Viewer {
    /// Signed in with GitHub.
    Person(String),
    /// `Authorization: Bearer $DASHBOARD_TOKEN`.
    Machine,
    /// Anyone, on the demo's loopback listener.
    Demo,
}

impl Viewer {
    pub fn name(&self) -> Option<String> {
        match self {
            Viewer::Person(login) => Some(login.clone()),
            Viewer::Machine | Viewer::Demo => None,
        }
    }
}

impl Dashboard {
    /// The dashboard as the configuration and the environment set it up.
    pub fn new(
        store: Arc<dyn Store>,
        github: SharedGitHub,
        config: &crate::config::Config,
        env: &crate::config::Env,
    ) -> Self {
        let oauth = match (&env.github_client_id, &env.github_client_secret) {
            (Some(id), Some(secret)) => {
                Some(OAuth::new(id.clone(), secret.clone(), &env.github.api_url))
            }
            _ => None,
        };
        // The key that vouches for sign-in messages is derived from the
        // client secret, or (for a token-only setup) from the token; both
        // are the same on every instance.
        let key = env
            .github_client_secret
            .as_ref()
            .or(env.dashboard_token.as_ref())
            .and_then(SessionKey::derive);
        Self {
            store,
            github,
            settings: config.app.dashboard.clone(),
            oauth,
            key,
            token: env.dashboard_token.clone(),
            public_url: env.github.public_url.clone(),
            intent: config.rules.intent.clone(),
            scoring: config.rules.scoring.clone(),
            open: false,
            names: AccountNames::of(&config.accounts),
        }
    }

    /// The dashboard of `orgradar demo`: open without signing in, with no
    /// GitHub, OAuth or token behind it. Serve it on loopback only.
    pub fn demo(store: Arc<dyn Store>, config: &crate::config::Config) -> Self {
        Self {
            store,
            github: SharedGitHub::new(None),
            settings: config.app.dashboard.clone(),
            oauth: None,
            key: None,
            token: None,
            public_url: None,
            intent: config.rules.intent.clone(),
            scoring: config.rules.scoring.clone(),
            open: true,
            names: AccountNames::of(&config.accounts),
        }
    }

    /// The viewer of a request, if it may see the dashboard. A session whose
    /// membership was last confirmed over an hour ago is checked again; one
    /// whose person left the allowed organizations is ended.
    pub async fn viewer(&self, headers: &HeaderMap, now: Millis) -> Option<Viewer> {
        if self.open {
            return Some(Viewer::Demo);
        }
        if let (Some(token), Some(given)) = (
            &self.token,
            headers
                .get(AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer ")),
        ) && bool::from(
            token
                .expose_secret()
                .as_bytes()
                .ct_eq(given.trim().as_bytes()),
        ) {
            return Some(Viewer::Machine);
        }
        let hash = session_hash(session_id(headers)?);
        let session = match self.store.session(&hash, now).await {
            Ok(session) => session?,
            Err(e) => {
                tracing::warn!(error = %e, "could not read a dashboard session");
                return None;
            }
        };
        if now - session.checked_at >= RECHECK_MS {
            match self.admit(&session.login).await {
                Ok(()) => {
                    if let Err(e) = self.store.session_checked(&hash, now).await {
                        tracing::warn!(error = %e, "could not record a session's membership check");
                    }
                }
                // GitHub could not say: the session stands until it can.
                Err(denied) if denied.temporary => {}
                Err(_) => {
                    tracing::info!(login = %session.login, "ended a dashboard session: no longer a member of an allowed organization");
                    if let Err(e) = self.store.end_session(&hash).await {
                        tracing::warn!(error = %e, "could not end a dashboard session");
                    }
                    return None;
                }
            }
        }
        Some(Viewer::Person(session.login))
    }

    /// Whether `login` belongs to one of the allowed organizations; `Err`
    /// says why they may not come in, for the sign-in page.
    pub async fn admit(&self, login: &str) -> Result<(), Denied> {
        let orgs = &self.settings.allow_orgs;
        if orgs.is_empty() {
            return Err(Denied::definite(
                "nobody may sign in yet: list the organizations whose members may, under dashboard: allow_orgs: in app.yml"
                    .into(),
            ));
        }
        let Some(github) = self.github.get() else {
            return Err(Denied {
                message: "the GitHub App is not configured yet; register it first".into(),
                temporary: true,
            });
        };
        let mut problems = Vec::new();
        for org in orgs {
            let installation = match github.org_installation(org).await {
                Ok(id) => id,
                Err(e) if e.status() == Some(404) => {
                    problems.push(format!(
                        "orgradar is not installed on {org}, so it cannot tell who belongs to it; install it there"
                    ));
                    continue;
                }
                Err(e) => return Err(unavailable(e)),
            };
            match github.is_member(installation, org, login).await {
                Ok(true) => return Ok(()),
                Ok(false) => {}
                Err(e) => return Err(unavailable(e)),
            }
        }
        problems.insert(
            0,
            format!(
                "{login} is not a member of {}; the dashboard is open to their members only",
                orgs.join(" or ")
            ),
        );
        Err(Denied::definite(problems.join(". ")))
    }
}

fn unavailable(e: GitHubError) -> Denied {
    Denied {
        message: format!(
            "GitHub could not say who belongs to the allowed organizations ({e}); try again in a minute"
        ),
        temporary: true,
    }
}
