//! Posts messages to Slack: by incoming webhook or with chat.postMessage.
//! Rate limits up to 30 s are waited out, outages retried with backoff,
//! and what cannot work says how to fix it. The webhook URL and the bot
//! token are secrets: no error, log line or Debug output holds them.

use super::slack_error::{SlackError, hint, scrub, transient_error};
use super::slack_message::Message;
use crate::github::clock::{Clock, SystemClock};
use bytes::Bytes;
use http::{HeaderValue, Method, Request, StatusCode, header};
use http_body_util::{BodyExt, Full};
use secrecy::{ExposeSecret, SecretString};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// Slack's Web API.
pub const DEFAULT_API_BASE: &str = "https://slack.com/api";
/// How long one request may take.
const TIMEOUT: Duration = Duration::from_secs(10);
/// The longest rate limit waited out within one post.
const MAX_WAIT: Duration = Duration::from_secs(30);
/// Rate limits waited out within one post.
const RATE_LIMIT_RETRIES: u32 = 3;
/// Retries after a 5xx or no answer; the waits double from [`BACKOFF`].
const SERVER_ERROR_RETRIES: u32 = 3;
const BACKOFF: Duration = Duration::from_millis(200);

/// Where a message goes.
#[derive(Clone)]
pub enum Destination {
    /// An incoming webhook: its URL is the credential.
    Webhook { url: SecretString },
    /// A channel, with chat.postMessage and the bot token.
    Channel { channel: String },
    /// The `response_url` of a click on a button: the message the button
    /// was on is replaced. The URL is a credential for 30 minutes.
    Reply { url: SecretString },
}

impl fmt::Debug for Destination {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Destination::Webhook { .. } => f.write_str("Webhook { url: [redacted] }"),
            Destination::Reply { .. } => f.write_str("Reply { url: [redacted] }"),
            Destination::Channel { channel } => {
                f.debug_struct("Channel").field("channel", channel).finish()
            }
        }
    }
}

use crate::https::Http;

/// The Slack client.
#[derive(Clone)]
pub struct Slack {
    /// The HTTP client, or why it could not be set up.
    http: Result<Http, String>,
    api_base: String,
    bot_token: Option<SecretString>,
    /// What rate-limit and backoff waits sleep on.
    clock: Arc<dyn Clock>,
}

impl fmt::Debug for Slack {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Slack")
            .field("api_base", &self.api_base)
            .field("bot_token", &self.bot_token.as_ref().map(|_| "[redacted]"))
            .finish()
    }
}

/// One attempt's outcome.
enum Attempt {
    Posted,
    RateLimited(Duration),
    Retry(String),
    Refused(SlackError),
}

impl Slack {
    /// A client for the Web API at `api_base` (normally [`DEFAULT_API_BASE`]).
    pub fn new(api_base: String, bot_token: Option<SecretString>) -> Self {
        let http = crate::https::client();
        Self {
            http,
            api_base: api_base.trim_end_matches('/').to_string(),
            bot_token,
            clock: Arc::new(SystemClock),
        }
    }

    /// The same client, waiting out rate limits and backoffs on `clock`
    /// (the system clock unless told otherwise).
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Posts `message` to `to`, waiting out short rate limits and retrying outages.
    pub async fn post(&self, to: &Destination, message: &Message) -> Result<(), SlackError> {
        let (url, body, channel) = match to {
            Destination::Webhook { url } => (
                url.expose_secret().to_string(),
                serde_json::json!({ "text": message.text, "blocks": message.blocks }),
                None,
            ),
            Destination::Reply { url } => (
                url.expose_secret().to_string(),
                serde_json::json!({
                    "replace_original": true,
                    "text": message.text,
                    "blocks": message.blocks,
                }),
                None,
            ),
            Destination::Channel { channel } => {
                if self.bot_token.is_none() {
                    return Err(SlackError::Permanent(format!(
                        "cannot post to #{}: set SLACK_BOT_TOKEN (a bot token, xoxb-..., with the chat:write scope) or use an incoming webhook",
                        channel.trim_start_matches('#')
                    )));
                }
                (
                    format!("{}/chat.postMessage", self.api_base),
                    serde_json::json!({
                        "channel": channel,
                        "text": message.text,
                        "blocks": message.blocks,
                        "unfurl_links": false,
                    }),
                    Some(channel.as_str()),
                )
            }
        };
        let what = match (channel, to) {
            (Some(c), _) => format!("Slack chat.postMessage to #{}", c.trim_start_matches('#')),
            (None, Destination::Reply { .. }) => "Slack response_url".to_string(),
            (None, _) => "Slack incoming webhook".to_string(),
        };
        let body = Bytes::from(serde_json::to_vec(&body).map_err(|e| {
            SlackError::Permanent(format!("{what}: cannot encode the message: {e}"))
        })?);
        if let Err(reason) = &self.http {
            return Err(SlackError::Permanent(format!("{what}: {reason}")));
        }
        let secrets = self.secrets(to);
        let (mut limited, mut failed) = (0u32, 0u32);
        loop {
            let attempt = self.attempt(&url, channel, body.clone()).await;
            match attempt {
                Attempt::Posted => return Ok(()),
                Attempt::Refused(SlackError::Permanent(m)) => {
                    return Err(SlackError::Permanent(scrub(
                        &format!("{what}: {m}"),
                        &secrets,
                    )));
                }
                Attempt::Refused(SlackError::Transient {
                    message,
                    retry_after,
                }) => {
                    return Err(SlackError::Transient {
                        message: scrub(&format!("{what}: {message}"), &secrets),
                        retry_after,
                    });
                }
                Attempt::RateLimited(wait) => {
                    if wait > MAX_WAIT || limited >= RATE_LIMIT_RETRIES {
                        return Err(SlackError::Transient {
                            message: format!(
                                "{what}: rate limited by Slack for {}s; try again later",
                                wait.as_secs()
                            ),
                            retry_after: Some(wait),
                        });
                    }
                    limited += 1;
                    tracing::warn!(destination = %what, wait_secs = wait.as_secs(), "rate limited by Slack; waiting");
                    self.clock.sleep(wait).await;
                }
                Attempt::Retry(reason) => {
                    let reason = scrub(&reason, &secrets);
                    if failed >= SERVER_ERROR_RETRIES {
                        return Err(SlackError::Transient {
                            message: format!("{what}: {reason}; try again later"),
                            retry_after: None,
                        });
                    }
                    let wait = BACKOFF * 2u32.pow(failed);
                    failed += 1;
                    tracing::warn!(destination = %what, %reason, wait_ms = wait.as_millis() as u64, "Slack failed; retrying");
                    self.clock.sleep(wait).await;
                }
            }
        }
    }

    /// The texts that must never be shown: the webhook URL (and its path) and the token.
    fn secrets<'a>(&'a self, to: &'a Destination) -> Vec<&'a str> {
        let mut secrets = Vec::new();
        if let Destination::Webhook { url } | Destination::Reply { url } = to {
            let url = url.expose_secret();
            secrets.push(url);
            if let Some(rest) = url.split_once("://").map(|(_, r)| r)
                && let Some(slash) = rest.find('/')
                && slash + 1 < rest.len()
            {
                secrets.push(&rest[slash..]);
            }
        }
        if let Some(token) = &self.bot_token {
            secrets.push(token.expose_secret());
        }
        secrets
    }

    async fn attempt(&self, url: &str, channel: Option<&str>, body: Bytes) -> Attempt {
        let mut request = Request::builder()
            .method(Method::POST)
            .uri(url)
            .header(header::CONTENT_TYPE, "application/json; charset=utf-8")
            .header(
                header::USER_AGENT,
                concat!("orgradar/", env!("CARGO_PKG_VERSION")),
            );
        if channel.is_some()
            && let Some(token) = &self.bot_token
        {
            match HeaderValue::from_str(&format!("Bearer {}", token.expose_secret())) {
                Ok(mut value) => {
                    value.set_sensitive(true);
                    request = request.header(header::AUTHORIZATION, value);
                }
                Err(_) => {
                    return Attempt::Refused(SlackError::Permanent(
                        "SLACK_BOT_TOKEN holds characters a token cannot have: set it again".into(),
                    ));
                }
            }
        }
        let request = match request.body(Full::new(body)) {
            Ok(r) => r,
            Err(_) => {
                return Attempt::Refused(SlackError::Permanent(match channel {
                    Some(_) => "SLACK_API_URL is not a valid URL".to_string(),
                    None => "the webhook URL is not a valid URL: check it in the configuration"
                        .to_string(),
                }));
            }
        };
        let answer = tokio::time::timeout(TIMEOUT, async {
            let http = self.http.as_ref().map_err(Clone::clone)?;
            let response = http.request(request).await.map_err(|e| describe(&e))?;
            let (parts, body) = response.into_parts();
            let bytes = body
                .collect()
                .await
                .map(|c| c.to_bytes())
                .map_err(|e| format!("the answer broke off ({e})"))?;
            Ok::<_, String>((parts, bytes))
        })
        .await;
        let (parts, bytes) = match answer {
            Err(_) => return Attempt::Retry(format!("no answer within {}s", TIMEOUT.as_secs())),
            Ok(Err(reason)) => return Attempt::Retry(reason),
            Ok(Ok(answer)) => answer,
        };
        let status = parts.status;
        let text = String::from_utf8_lossy(&bytes);
        if status == StatusCode::TOO_MANY_REQUESTS {
            let secs = parts
                .headers
                .get(header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok())
                .unwrap_or(1);
            return Attempt::RateLimited(Duration::from_secs(secs));
        }
        if status.is_server_error() {
            return Attempt::Retry(format!("Slack answered {}", status.as_u16()));
        }
        match channel {
            None => webhook_answer(status, text.trim()),
            Some(channel) => api_answer(status, &bytes, channel),
        }
    }
}

/// An incoming webhook answers `ok`, or a status and an error word.
fn webhook_answer(status: StatusCode, text: &str) -> Attempt {
    if status == StatusCode::OK && text == "ok" {
        return Attempt::Posted;
    }
    let error: String = text
        .chars()
        .take(100)
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    let error = if error.is_empty() {
        format!("HTTP {}", status.as_u16())
    } else {
        error
    };
    Attempt::Refused(SlackError::Permanent(format!(
        "{} ({})",
        hint(&error, None),
        status.as_u16()
    )))
}

/// chat.postMessage answers 200 with `{"ok": true}` or `{"ok": false, "error": ...}`.
fn api_answer(status: StatusCode, bytes: &[u8], channel: &str) -> Attempt {
    #[derive(serde::Deserialize)]
    struct Reply {
        ok: bool,
        #[serde(default)]
        error: Option<String>,
    }
    match serde_json::from_slice::<Reply>(bytes) {
        Ok(Reply { ok: true, .. }) if status.is_success() => Attempt::Posted,
        Ok(Reply { error, .. }) => {
            let error = error.unwrap_or_else(|| format!("HTTP {}", status.as_u16()));
            if transient_error(&error) {
                Attempt::Retry(format!("Slack answered {error}"))
            } else {
                Attempt::Refused(SlackError::Permanent(hint(&error, Some(channel))))
            }
        }
        Err(_) => Attempt::Refused(SlackError::Permanent(format!(
            "unexpected answer from Slack (HTTP {}); check SLACK_API_URL",
            status.as_u16()
        ))),
    }
}

/// A transport error in words, its sources included, without any URL.
fn describe(e: &hyper_util::client::legacy::Error) -> String {
    let mut out = if e.is_connect() {
        "cannot connect to Slack".to_string()
    } else {
        "no answer from Slack".to_string()
    };
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        let text = s.to_string();
        if !text.contains("://") {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = s.source();
    }
    out
}
