//! Settings from the environment. Secrets live here and only here, never in app.yml.
//! Names follow Probot's where one exists.

use super::ConfigError;
use super::redact::redact_password;
use crate::github::{ApiUrl, KeySource};
use hmac::{Hmac, Mac};
use secrecy::SecretString;
use sha2::Sha256;
use std::fmt;
use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

/// Everything orgradar reads from the environment.
#[derive(Debug, Clone)]
pub struct Env {
    /// `WEBHOOK_SECRET`: none means the webhook endpoint answers 503.
    pub webhook_secrets: Option<WebhookSecrets>,
    /// `HOST` (default all interfaces) and `PORT` (default 3000).
    pub host: IpAddr,
    pub port: u16,
    /// `WEBHOOK_PATH` (default `/api/github/webhooks`, as in Probot).
    pub webhook_path: String,
    /// `DATABASE_URL` (default `sqlite://orgradar.db`).
    pub database: DatabaseUrl,
    /// `ORGRADAR_CONFIG` (default `./app.yml`).
    pub config_path: PathBuf,
    /// `LOG_LEVEL` (trace, debug, info, warn, error, fatal; default info).
    pub log_level: String,
    /// `LOG_FORMAT` (`pretty` or `json`).
    pub log_format: LogFormat,
    /// `SHUTDOWN_GRACE` in seconds (default 20): how long in-flight work may finish on SIGTERM.
    pub shutdown_grace: Duration,
    /// The GitHub App's identity and where GitHub is.
    pub github: GitHubEnv,
    /// `RECOVERY_INTERVAL` (default 15m; `off` to disable): how often missed deliveries are looked for.
    pub recovery_interval: Option<Duration>,
    /// `REUSE_PORT`: let several instances on one host listen on the same port
    /// (the kernel spreads connections among them; PostgreSQL store only).
    pub reuse_port: bool,
    /// `SLACK_BOT_TOKEN`: posts to `slack_channel` channels with chat.postMessage.
    pub slack_bot_token: Option<secrecy::SecretString>,
    /// `SLACK_SIGNING_SECRET`: verifies button clicks; without it notices carry no buttons.
    pub slack_signing_secrets: Option<super::SlackSigningSecrets>,
    /// `SLACK_API_URL` (default `https://slack.com/api`).
    pub slack_api_url: String,
    /// `GITHUB_CLIENT_ID` / `GITHUB_CLIENT_SECRET`: the app's OAuth
    /// credentials, for signing in to the dashboard.
    pub github_client_id: Option<String>,
    pub github_client_secret: Option<secrecy::SecretString>,
    /// `DASHBOARD_TOKEN`: a bearer token that opens the dashboard to machines.
    pub dashboard_token: Option<secrecy::SecretString>,
    /// Timeouts and bounds of the HTTP edge.
    pub http: super::HttpLimits,
    /// `METRICS_ADDR` / `METRICS_TOKEN`: who may read `/metrics`.
    pub metrics: super::MetricsAccess,
}

/// `APP_ID`, `PRIVATE_KEY`/`PRIVATE_KEY_PATH`, `GITHUB_API_URL` and the
/// settings of the registration flow.
#[derive(Debug, Clone)]
pub struct GitHubEnv {
    pub app_id: Option<u64>,
    pub private_key: Option<KeySource>,
    /// `GITHUB_API_URL` (default `https://api.github.com`; `https://HOST/api/v3` for GHES).
    pub api_url: ApiUrl,
    /// `PUBLIC_URL`: the address GitHub reaches this server at.
    pub public_url: Option<String>,
    /// `WEBHOOK_PROXY_URL`: a relay (e.g. smee.io) that forwards webhooks here during development.
    pub webhook_proxy_url: Option<String>,
    /// `GITHUB_ORG`: register the app under this organization instead of a personal account.
    pub org: Option<String>,
    /// `ALLOW_REMOTE_SETUP`: offer registration to browsers on other machines too.
    pub allow_remote_setup: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Pretty,
    Json,
}

/// Where the store lives.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Sqlite(PathBuf),
    /// `postgres://user:password@host:port/database`; the password is never printed.
    Postgres(String),
}

impl std::fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DatabaseUrl::Sqlite(path) => write!(f, "sqlite://{}", path.display()),
            DatabaseUrl::Postgres(url) => f.write_str(&redact_password(url)),
        }
    }
}

impl Env {
    /// Reads the process environment.
    pub fn from_process() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads settings through `get`, so tests can pass a map instead of the process environment.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |name: &str| get(name).filter(|v| !v.trim().is_empty());
        let webhook_secrets = get("WEBHOOK_SECRET").and_then(|v| WebhookSecrets::parse(&v));
        let host = match get("HOST") {
            None => IpAddr::from([0, 0, 0, 0]),
            Some(v) => v.trim().parse().map_err(|_| ConfigError::Env {
                name: "HOST",
                message: format!(
                    "`{v}` is not an IP address; use e.g. 0.0.0.0 (all interfaces) or 127.0.0.1"
                ),
            })?,
        };
        let port = match get("PORT") {
            None => 3000,
            Some(v) => v.trim().parse().map_err(|_| ConfigError::Env {
                name: "PORT",
                message: format!("`{v}` is not a port number (0 to 65535)"),
            })?,
        };
        let webhook_path = get("WEBHOOK_PATH").unwrap_or_else(|| "/api/github/webhooks".into());
        if !webhook_path.starts_with('/') || webhook_path.contains(['?', '#', ' ']) {
            return Err(ConfigError::Env {
                name: "WEBHOOK_PATH",
                message: format!(
                    "`{webhook_path}` must be a URL path starting with `/`, e.g. /api/github/webhooks"
                ),
            });
        }
        let database = DatabaseUrl::parse(
            &get("DATABASE_URL").unwrap_or_else(|| "sqlite://orgradar.db".into()),
        )?;
        let log_level = match get("LOG_LEVEL").map(|v| v.trim().to_ascii_lowercase()) {
            None => "info".to_string(),
            Some(v) if v == "fatal" => "error".to_string(),
            Some(v) if ["trace", "debug", "info", "warn", "error"].contains(&v.as_str()) => v,
            Some(v) => {
                return Err(ConfigError::Env {
                    name: "LOG_LEVEL",
                    message: format!(
                        "`{v}` is not a level; use trace, debug, info, warn, error or fatal"
                    ),
                });
            }
        };
        let log_format = match get("LOG_FORMAT")
            .map(|v| v.trim().to_ascii_lowercase())
            .as_deref()
        {
            None | Some("pretty") | Some("text") => LogFormat::Pretty,
            Some("json") => LogFormat::Json,
            Some(other) => {
                return Err(ConfigError::Env {
                    name: "LOG_FORMAT",
                    message: format!(
                        "`{other}` is not a log format; use json (for production) or pretty"
                    ),
                });
            }
        };
        let shutdown_grace = match get("SHUTDOWN_GRACE") {
            None => Duration::from_secs(20),
            Some(v) => Duration::from_secs(v.trim().parse().map_err(|_| ConfigError::Env {
                name: "SHUTDOWN_GRACE",
                message: format!("`{v}` is not a whole number of seconds"),
            })?),
        };
        let github = GitHubEnv {
            app_id: match get("APP_ID") {
                None => None,
                Some(v) => Some(v.trim().parse().map_err(|_| ConfigError::Env {
                    name: "APP_ID",
                    message: format!("`{v}` is not an app id: use the number shown as \"App ID\" in the GitHub App's settings"),
                })?),
            },
            private_key: get("PRIVATE_KEY")
                .map(|k| KeySource::Env(SecretString::from(k)))
                .or_else(|| get("PRIVATE_KEY_PATH").map(|p| KeySource::Path(PathBuf::from(p.trim())))),
            api_url: ApiUrl::parse(&get("GITHUB_API_URL").unwrap_or_else(|| "https://api.github.com".into()))
                .map_err(|e| ConfigError::Env {
                    name: "GITHUB_API_URL",
                    message: e.to_string(),
                })?,
            public_url: get("PUBLIC_URL").map(|u| u.trim().trim_end_matches('/').to_string()),
            webhook_proxy_url: match get("WEBHOOK_PROXY_URL").map(|u| u.trim().to_string()) {
                Some(u) if !u.starts_with("https://") && !u.starts_with("http://") => {
                    return Err(ConfigError::Env {
                        name: "WEBHOOK_PROXY_URL",
                        message: format!("`{u}` is not a relay channel's address; use the channel URL, e.g. https://smee.io/abc123"),
                    });
                }
                u => u,
            },
            org: get("GITHUB_ORG").map(|o| o.trim().to_string()),
            allow_remote_setup: get("ALLOW_REMOTE_SETUP")
                .is_some_and(|v| matches!(v.trim(), "1" | "true" | "yes")),
        };
        if github.app_id.is_some() && github.private_key.is_none() {
            return Err(ConfigError::Env {
                name: "PRIVATE_KEY",
                message: "APP_ID is set but the app's private key is not: set PRIVATE_KEY (the .pem's text) or PRIVATE_KEY_PATH (its path)".into(),
            });
        }
        let recovery_interval = match get("RECOVERY_INTERVAL").map(|v| v.trim().to_string()) {
            None => Some(Duration::from_secs(15 * 60)),
            Some(v) if v == "off" || v == "0" => None,
            Some(v) => Some(
                super::Duration::parse(&v)
                    .map_err(|message| ConfigError::Env {
                        name: "RECOVERY_INTERVAL",
                        message: format!("{message}, or `off`"),
                    })?
                    .0,
            ),
        };
        Ok(Self {
            http: super::HttpLimits::from_lookup(&get)?,
            metrics: super::MetricsAccess::from_lookup(&get)?,
            reuse_port: get("REUSE_PORT").is_some_and(|v| matches!(v.trim(), "1" | "true" | "yes")),
            slack_bot_token: get("SLACK_BOT_TOKEN")
                .map(|t| secrecy::SecretString::from(t.trim().to_string())),
            slack_signing_secrets: get("SLACK_SIGNING_SECRET")
                .and_then(super::SlackSigningSecrets::parse),
            github_client_id: get("GITHUB_CLIENT_ID").map(|v| v.trim().to_string()),
            github_client_secret: get("GITHUB_CLIENT_SECRET")
                .map(|v| secrecy::SecretString::from(v.trim().to_string())),
            dashboard_token: super::limits::bearer_token(
                "DASHBOARD_TOKEN",
                get("DASHBOARD_TOKEN"),
            )?,
            slack_api_url: get("SLACK_API_URL")
                .map(|u| u.trim().trim_end_matches('/').to_string())
                .unwrap_or_else(|| "https://slack.com/api".into()),
            recovery_interval,
            github,
            webhook_secrets,
            host,
            port,
            webhook_path,
            database,
            config_path: get("ORGRADAR_CONFIG")
                .map(PathBuf::from)
                .unwrap_or_else(|| "app.yml".into()),
            log_level,
            log_format,
            shutdown_grace,
        })
    }
}

impl DatabaseUrl {
    pub fn parse(url: &str) -> Result<Self, ConfigError> {
        let url = url.trim();
        if let Some(rest) = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        {
            let path = rest.split('?').next().unwrap_or_default();
            if path.is_empty() {
                return Err(ConfigError::Env {
                    name: "DATABASE_URL",
                    message: "sqlite:// needs a file path, e.g. sqlite://orgradar.db or sqlite:///data/orgradar.db".into(),
                });
            }
            return Ok(Self::Sqlite(PathBuf::from(path)));
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Self::Postgres(url.to_string()));
        }
        let scheme = url.split("://").next().unwrap_or_default();
        Err(ConfigError::Env {
            name: "DATABASE_URL",
            message: format!(
                "the `{scheme}` scheme is not supported; use sqlite://PATH (e.g. sqlite://orgradar.db) or postgres://USER:PASSWORD@HOST/DATABASE"
            ),
        })
    }
}

/// The webhook secrets, already keyed for HMAC-SHA256. Several may be set
/// (comma-separated) while a secret is being rotated. Never printed.
#[derive(Clone)]
pub struct WebhookSecrets {
    keyed: Vec<Hmac<Sha256>>,
}

impl WebhookSecrets {
    /// Splits a comma-separated list; `None` when it holds no secret at all.
    pub fn parse(list: &str) -> Option<Self> {
        let keyed: Vec<_> = list
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .filter_map(|s| Hmac::<Sha256>::new_from_slice(s.as_bytes()).ok())
            .collect();
        (!keyed.is_empty()).then_some(Self { keyed })
    }

    /// HMAC states keyed with each secret, ready to be cloned and fed a body.
    pub fn keyed(&self) -> &[Hmac<Sha256>] {
        &self.keyed
    }
}

impl fmt::Debug for WebhookSecrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "WebhookSecrets([{} redacted])", self.keyed.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> Result<Env, ConfigError> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Env::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_need_nothing_set() {
        let e = env(&[]).unwrap();
        assert!(e.webhook_secrets.is_none());
        assert_eq!(e.port, 3000);
        assert_eq!(e.webhook_path, "/api/github/webhooks");
        assert_eq!(e.database, DatabaseUrl::Sqlite("orgradar.db".into()));
        assert_eq!(e.log_format, LogFormat::Pretty);
    }

    #[test]
    fn secrets_are_split_and_never_printed() {
        let e = env(&[("WEBHOOK_SECRET", " old-secret , new-secret ,")]).unwrap();
        let s = e.webhook_secrets.unwrap();
        assert_eq!(s.keyed().len(), 2);
        let shown = format!("{s:?}");
        assert!(!shown.contains("secret-"), "{shown}");
        assert!(
            env(&[("WEBHOOK_SECRET", " , ")])
                .unwrap()
                .webhook_secrets
                .is_none()
        );
    }

    #[test]
    fn bad_values_name_the_variable() {
        for (name, value) in [
            ("PORT", "http"),
            ("HOST", "example"),
            ("LOG_LEVEL", "loud"),
            ("LOG_FORMAT", "xml"),
            ("WEBHOOK_PATH", "hooks"),
            ("DATABASE_URL", "mysql://x"),
            ("DATABASE_URL", "sqlite://"),
            ("WEBHOOK_PROXY_URL", "smee.io/abc"),
        ] {
            let err = env(&[(name, value)]).unwrap_err().to_string();
            assert!(
                err.starts_with(&format!("environment variable {name}: ")),
                "{err}"
            );
        }
    }

    #[test]
    fn postgres_urls_are_taken_and_their_password_never_shown() {
        let url =
            DatabaseUrl::parse("postgres://orgradar:s3cr3t@db.internal:5432/orgradar").unwrap();
        assert_eq!(
            format!("{url:?}"),
            "postgres://orgradar:***@db.internal:5432/orgradar"
        );
        assert_eq!(
            redact_password("postgres://postgres@127.0.0.1/test"),
            "postgres://postgres@127.0.0.1/test"
        );
    }

    #[test]
    fn sqlite_urls_take_relative_and_absolute_paths() {
        assert_eq!(
            DatabaseUrl::parse("sqlite:///data/o.db").unwrap(),
            DatabaseUrl::Sqlite("/data/o.db".into())
        );
        assert_eq!(
            DatabaseUrl::parse("sqlite:o.db?mode=rwc").unwrap(),
            DatabaseUrl::Sqlite("o.db".into())
        );
    }
}
