//! The environment variables `orgradar serve` reads, for its `--help`: one
//! line each, what it is and its default. [`super::Env`] reads them.

/// (name, default, what it is).
pub const VARIABLES: &[(&str, &str, &str)] = &[
    (
        "WEBHOOK_SECRET",
        "none: the webhook endpoint answers 503",
        "the GitHub App's webhook secret; several, comma-separated, while rotating",
    ),
    ("HOST", "0.0.0.0", "the address to listen on"),
    ("PORT", "3000", "the port to listen on"),
    (
        "WEBHOOK_PATH",
        "/api/github/webhooks",
        "the webhook endpoint's path",
    ),
    (
        "DATABASE_URL",
        "sqlite://orgradar.db",
        "the store: sqlite://PATH, or postgres://USER:PASSWORD@HOST/DB",
    ),
    ("ORGRADAR_CONFIG", "app.yml", "the config file (app.yml)"),
    (
        "LOG_LEVEL",
        "info",
        "trace, debug, info, warn, error or fatal",
    ),
    (
        "LOG_FORMAT",
        "pretty",
        "pretty, or json (one object a line) for production",
    ),
    (
        "SHUTDOWN_GRACE",
        "20",
        "seconds in-flight work may take after SIGTERM",
    ),
    (
        "RECOVERY_INTERVAL",
        "15m",
        "how often missed deliveries are looked for; off to disable",
    ),
    (
        "REUSE_PORT",
        "false",
        "let several instances on one host share the port (PostgreSQL store only)",
    ),
    (
        "APP_ID",
        "none",
        "the GitHub App's id (written by the registration)",
    ),
    (
        "PRIVATE_KEY",
        "none",
        "the app's private key: PEM text, PEM with \\n, or base64",
    ),
    (
        "PRIVATE_KEY_PATH",
        "none",
        "the path of the app's .pem, instead of PRIVATE_KEY",
    ),
    (
        "GITHUB_API_URL",
        "https://api.github.com",
        "GitHub's API; https://HOST/api/v3 for GitHub Enterprise Server",
    ),
    (
        "PUBLIC_URL",
        "none: the setup page asks",
        "the https address GitHub reaches this server at",
    ),
    (
        "WEBHOOK_PROXY_URL",
        "none",
        "a relay channel (e.g. https://smee.io/...) to take webhooks from while developing",
    ),
    (
        "GITHUB_ORG",
        "none: your personal account",
        "register the app under this organization",
    ),
    (
        "ALLOW_REMOTE_SETUP",
        "false",
        "offer the setup page to browsers on other machines",
    ),
    (
        "GITHUB_CLIENT_ID",
        "none",
        "the app's OAuth client id, for the dashboard's sign-in (written by the registration)",
    ),
    (
        "GITHUB_CLIENT_SECRET",
        "none",
        "the app's OAuth client secret (written by the registration)",
    ),
    (
        "DASHBOARD_TOKEN",
        "none",
        "a bearer token (20+ characters) that opens the dashboard to machines",
    ),
    (
        "METRICS_ADDR",
        "none: /metrics on the main listener",
        "serve /metrics on this address only (e.g. 127.0.0.1:9090)",
    ),
    (
        "METRICS_TOKEN",
        "none",
        "a bearer token (20+ characters) that opens /metrics on the main listener",
    ),
    (
        "HTTP_HEADER_TIMEOUT",
        "10s",
        "how long a request's headers may take",
    ),
    (
        "HTTP_BODY_TIMEOUT",
        "30s",
        "how long a webhook body may take",
    ),
    (
        "HTTP_IDLE_TIMEOUT",
        "60s",
        "how long a connection on which nothing moves is kept",
    ),
    ("HTTP_MAX_CONNECTIONS", "4096", "connections open at once"),
    (
        "WEBHOOK_CONCURRENCY",
        "512",
        "webhook requests handled at once",
    ),
    (
        "WEBHOOK_BODY_BUDGET",
        "64",
        "MiB of webhook bodies held at once",
    ),
    (
        "SLACK_BOT_TOKEN",
        "none",
        "a Slack bot token with chat:write, for slack_channel channels",
    ),
    ("SLACK_API_URL", "https://slack.com/api", "Slack's Web API"),
    (
        "SLACK_SIGNING_SECRET",
        "none",
        "the Slack app's Signing Secret (comma-separated while rotating): notices get Confirm / Not / Ignore buttons, clicked to /api/slack/interactions",
    ),
];

/// The text `orgradar serve --help` ends with.
pub fn help() -> String {
    let width = VARIABLES.iter().map(|v| v.0.len()).max().unwrap_or(0);
    let mut out =
        String::from("Environment (also read from .env, for what the environment does not set):\n");
    for (name, default, meaning) in VARIABLES {
        out.push_str(&format!(
            "  {name:width$}  {meaning} [default: {default}]\n"
        ));
    }
    out.push_str("  (and the variable each slack_webhook_env channel in app.yml names: that channel's Slack webhook URL)");
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_variable_the_environment_is_read_for_is_listed() {
        let sources = [include_str!("env.rs"), include_str!("limits.rs")];
        let mut read = Vec::new();
        for source in sources {
            for marker in ["get(\"", "bearer_token(\""] {
                for piece in source.split(marker).skip(1) {
                    let name: String = piece
                        .chars()
                        .take_while(|c| c.is_ascii_uppercase() || *c == '_' || c.is_ascii_digit())
                        .collect();
                    if name.len() > 1 && piece[name.len()..].starts_with('"') {
                        read.push(name);
                    }
                }
            }
        }
        assert!(read.len() > 20, "found only {read:?}");
        for name in read {
            assert!(
                super::VARIABLES.iter().any(|v| v.0 == name),
                "{name} is read from the environment but not listed in serve --help"
            );
        }
    }
}
