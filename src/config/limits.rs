//! The limits of the HTTP edge, from the environment: how long a client may
//! take, how many connections and webhook bodies are held at once, and where
//! `/metrics` is served.

use super::ConfigError;
use secrecy::SecretString;
use std::net::SocketAddr;
use std::time::Duration;

/// GitHub's own cap on a webhook payload; orgradar refuses larger bodies.
pub const MAX_WEBHOOK_BODY_BYTES: usize = 25 * 1024 * 1024;

/// Timeouts and bounds of the HTTP server and the webhook endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpLimits {
    /// `HTTP_HEADER_TIMEOUT` (default 10s): a request's headers must arrive
    /// within this time of the connection opening or the previous answer.
    pub header_timeout: Duration,
    /// `HTTP_BODY_TIMEOUT` (default 30s): a webhook body must arrive within this time.
    pub body_timeout: Duration,
    /// `HTTP_IDLE_TIMEOUT` (default 60s): a connection on which nothing is
    /// read or written for this long is closed.
    pub idle_timeout: Duration,
    /// `HTTP_MAX_CONNECTIONS` (default 4096): connections held open at once;
    /// further ones wait in the listen queue.
    pub max_connections: usize,
    /// `WEBHOOK_CONCURRENCY` (default 512): webhook requests handled at once;
    /// beyond that the answer is 503 with `Retry-After`.
    pub webhook_concurrency: usize,
    /// `WEBHOOK_BODY_BUDGET` (default 64 MiB, in MiB): bytes of webhook bodies
    /// held in memory at once across the process; beyond that, 503.
    pub webhook_body_budget: usize,
}

impl Default for HttpLimits {
    fn default() -> Self {
        Self {
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(30),
            idle_timeout: Duration::from_secs(60),
            max_connections: 4096,
            webhook_concurrency: 512,
            webhook_body_budget: 64 * 1024 * 1024,
        }
    }
}

/// Who may read `/metrics`.
#[derive(Debug, Clone, Default)]
pub struct MetricsAccess {
    /// `METRICS_ADDR`: serve `/metrics` on this address only (e.g. a private
    /// network interface), and not on the public listener.
    pub addr: Option<SocketAddr>,
    /// `METRICS_TOKEN`: on the public listener, `/metrics` needs
    /// `Authorization: Bearer` with this token.
    pub token: Option<SecretString>,
}

fn duration(
    name: &'static str,
    value: Option<String>,
    default: Duration,
) -> Result<Duration, ConfigError> {
    let Some(v) = value else {
        return Ok(default);
    };
    let parsed = match v.trim().parse::<u64>() {
        Ok(secs) => Duration::from_secs(secs),
        Err(_) => {
            super::Duration::parse(&v)
                .map_err(|message| ConfigError::Env {
                    name,
                    message: format!("{message} (a bare number is seconds)"),
                })?
                .0
        }
    };
    if parsed.is_zero() {
        return Err(ConfigError::Env {
            name,
            message: "must be longer than zero; leave it unset for the default".into(),
        });
    }
    Ok(parsed)
}

fn count(name: &'static str, value: Option<String>, default: usize) -> Result<usize, ConfigError> {
    let Some(v) = value else {
        return Ok(default);
    };
    match v.trim().parse::<usize>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(ConfigError::Env {
            name,
            message: format!("`{v}` is not a whole number above zero"),
        }),
    }
}

impl HttpLimits {
    pub fn from_lookup(get: &impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let d = Self::default();
        let budget_mib = count(
            "WEBHOOK_BODY_BUDGET",
            get("WEBHOOK_BODY_BUDGET").map(|v| v.trim().trim_end_matches("MiB").trim().to_string()),
            d.webhook_body_budget / (1024 * 1024),
        )?;
        let webhook_body_budget =
            budget_mib
                .checked_mul(1024 * 1024)
                .ok_or_else(|| ConfigError::Env {
                    name: "WEBHOOK_BODY_BUDGET",
                    message: format!("{budget_mib} MiB is more than this machine can address"),
                })?;
        if webhook_body_budget < MAX_WEBHOOK_BODY_BYTES {
            return Err(ConfigError::Env {
                name: "WEBHOOK_BODY_BUDGET",
                message: format!(
                    "{budget_mib} MiB is less than one delivery may be (25 MiB, GitHub's cap); use 25 or more"
                ),
            });
        }
        Ok(Self {
            header_timeout: duration(
                "HTTP_HEADER_TIMEOUT",
                get("HTTP_HEADER_TIMEOUT"),
                d.header_timeout,
            )?,
            body_timeout: duration(
                "HTTP_BODY_TIMEOUT",
                get("HTTP_BODY_TIMEOUT"),
                d.body_timeout,
            )?,
            idle_timeout: duration(
                "HTTP_IDLE_TIMEOUT",
                get("HTTP_IDLE_TIMEOUT"),
                d.idle_timeout,
            )?,
            max_connections: count(
                "HTTP_MAX_CONNECTIONS",
                get("HTTP_MAX_CONNECTIONS"),
                d.max_connections,
            )?,
            webhook_concurrency: count(
                "WEBHOOK_CONCURRENCY",
                get("WEBHOOK_CONCURRENCY"),
                d.webhook_concurrency,
            )?,
            webhook_body_budget,
        })
    }
}

/// A bearer token from variable `name`: 20 characters or more, since it opens data.
pub fn bearer_token(
    name: &'static str,
    value: Option<String>,
) -> Result<Option<SecretString>, ConfigError> {
    match value.map(|v| v.trim().to_string()) {
        Some(t) if t.chars().count() < 20 => Err(ConfigError::Env {
            name,
            message: format!(
                "is {} characters long, too easy to guess for what it opens; use a random one of 20 or more, e.g. `openssl rand -hex 32`",
                t.chars().count()
            ),
        }),
        t => Ok(t.map(SecretString::from)),
    }
}

impl MetricsAccess {
    pub fn from_lookup(get: &impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let addr = match get("METRICS_ADDR") {
            None => None,
            Some(v) => Some(v.trim().parse().map_err(|_| ConfigError::Env {
                name: "METRICS_ADDR",
                message: format!(
                    "`{v}` is not an address and port; use e.g. 127.0.0.1:9090 or [::1]:9090"
                ),
            })?),
        };
        let token = bearer_token("METRICS_TOKEN", get("METRICS_TOKEN"))?;
        Ok(Self { addr, token })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn limits(pairs: &[(&str, &str)]) -> Result<HttpLimits, ConfigError> {
        let map: HashMap<&str, &str> = pairs.iter().copied().collect();
        HttpLimits::from_lookup(&|k| map.get(k).map(|v| v.to_string()))
    }

    #[test]
    fn defaults_and_overrides() {
        assert_eq!(limits(&[]).unwrap(), HttpLimits::default());
        let l = limits(&[
            ("HTTP_HEADER_TIMEOUT", "5"),
            ("HTTP_IDLE_TIMEOUT", "2m"),
            ("WEBHOOK_BODY_BUDGET", "128MiB"),
            ("WEBHOOK_CONCURRENCY", "8"),
        ])
        .unwrap();
        assert_eq!(l.header_timeout, Duration::from_secs(5));
        assert_eq!(l.idle_timeout, Duration::from_secs(120));
        assert_eq!(l.webhook_body_budget, 128 * 1024 * 1024);
        assert_eq!(l.webhook_concurrency, 8);
    }

    #[test]
    fn bad_limits_name_the_variable_and_the_fix() {
        for (name, value) in [
            ("HTTP_HEADER_TIMEOUT", "soon"),
            ("HTTP_BODY_TIMEOUT", "0"),
            ("HTTP_MAX_CONNECTIONS", "-1"),
            ("WEBHOOK_CONCURRENCY", "0"),
            ("WEBHOOK_BODY_BUDGET", "10"),
        ] {
            let err = limits(&[(name, value)]).unwrap_err().to_string();
            assert!(err.contains(name), "{err}");
        }
    }

    #[test]
    fn metrics_token_must_be_long_and_address_parsable() {
        let get = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert!(MetricsAccess::from_lookup(&get(&[("METRICS_TOKEN", "short")])).is_err());
        assert!(MetricsAccess::from_lookup(&get(&[("METRICS_ADDR", "nowhere")])).is_err());
        let ok = MetricsAccess::from_lookup(&get(&[("METRICS_ADDR", "127.0.0.1:9090")])).unwrap();
        assert_eq!(ok.addr, Some("127.0.0.1:9090".parse().unwrap()));
    }
}
