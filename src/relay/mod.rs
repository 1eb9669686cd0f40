//! The development relay, as Probot's development mode runs it: with
//! `WEBHOOK_PROXY_URL` set, GitHub sends deliveries to a relay channel (such
//! as smee.io), and `serve` subscribes to that channel and posts each
//! delivery to its own webhook endpoint, headers and body as GitHub sent them.

mod forward;
mod sse;

pub use forward::{Relayed, compact};
pub use sse::{Event, Parser};

use crate::https::Http;
use bytes::Bytes;
use http::{Method, Request, StatusCode, header};
use http_body_util::{BodyExt, Full};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// The first wait before reconnecting, and the longest.
const FIRST_RETRY: Duration = Duration::from_secs(1);
const LAST_RETRY: Duration = Duration::from_secs(60);
/// A channel silent for this long is taken for dead and opened again (relays
/// send keep-alive `ping` events far more often).
const SILENCE: Duration = Duration::from_secs(120);

#[derive(Debug, thiserror::Error)]
pub enum RelayError {
    #[error("cannot reach the relay channel: {0}; check WEBHOOK_PROXY_URL and the network")]
    Connect(String),
    #[error(
        "the relay channel answered {status} instead of an event stream; check that WEBHOOK_PROXY_URL is a channel URL (e.g. https://smee.io/abc123)"
    )]
    NotAStream { status: StatusCode },
    #[error("the relay channel sent nothing for {} s; reconnecting", SILENCE.as_secs())]
    Silent,
    #[error(transparent)]
    TooLong(#[from] sse::TooLong),
    #[error("the relay sent a message that is not a webhook delivery ({0}); it was skipped")]
    Message(String),
    #[error("cannot post the delivery to orgradar's own webhook endpoint: {0}")]
    Local(String),
}

/// Where the relay posts: the webhook endpoint of this server, over loopback
/// when it listens on every interface.
pub fn local_target(listening: SocketAddr, webhook_path: &str) -> String {
    let ip = match listening.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    format!(
        "http://{}{webhook_path}",
        SocketAddr::new(ip, listening.port())
    )
}

/// The host of a channel URL: what the log shows of it (the channel's path
/// lets anyone read its deliveries).
fn host_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    rest.split(['/', '?', '#']).next().unwrap_or_default()
}

/// Waits that double from one second to a minute; back to the first after a
/// connection that delivered anything.
#[derive(Debug)]
pub struct Backoff {
    next: Duration,
}

impl Default for Backoff {
    fn default() -> Self {
        Self { next: FIRST_RETRY }
    }
}

impl Backoff {
    pub fn next_wait(&mut self) -> Duration {
        let wait = self.next;
        self.next = (self.next * 2).min(LAST_RETRY);
        wait
    }

    pub fn reset(&mut self) {
        self.next = FIRST_RETRY;
    }
}

/// Subscribes to `channel` and posts each delivery to `target` until `shutdown`.
pub async fn run(channel: String, target: String, shutdown: CancellationToken) {
    let client = match crate::https::client() {
        Ok(client) => client,
        Err(e) => {
            tracing::error!("cannot relay webhooks from WEBHOOK_PROXY_URL: {e}");
            return;
        }
    };
    tracing::info!(relay = host_of(&channel), target = %target, "relaying webhooks from WEBHOOK_PROXY_URL to this server");
    let mut backoff = Backoff::default();
    loop {
        let mut heard = false;
        let ended = tokio::select! {
            _ = shutdown.cancelled() => return,
            ended = listen(&client, &channel, &target, &mut heard) => ended,
        };
        if heard {
            backoff.reset();
        }
        let wait = backoff.next_wait();
        match ended {
            Ok(()) => tracing::warn!(
                retry_in_ms = wait.as_millis() as u64,
                "the relay channel closed the connection; reconnecting"
            ),
            Err(e) => tracing::warn!(retry_in_ms = wait.as_millis() as u64, "{e}"),
        }
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = tokio::time::sleep(wait) => {}
        }
    }
}

/// One connection to the channel, until the relay closes it. `heard` is set
/// once the relay has sent anything.
async fn listen(
    client: &Http,
    channel: &str,
    target: &str,
    heard: &mut bool,
) -> Result<(), RelayError> {
    let request = Request::builder()
        .method(Method::GET)
        .uri(channel)
        .header(header::ACCEPT, "text/event-stream")
        .header(header::CACHE_CONTROL, "no-cache")
        .body(Full::new(Bytes::new()))
        .map_err(|e| RelayError::Connect(e.to_string()))?;
    let response = client
        .request(request)
        .await
        .map_err(|e| RelayError::Connect(e.to_string()))?;
    let status = response.status();
    let is_stream = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/event-stream"));
    if !status.is_success() || !is_stream {
        return Err(RelayError::NotAStream { status });
    }
    let mut body = response.into_body();
    let mut parser = Parser::default();
    loop {
        let frame = match tokio::time::timeout(SILENCE, body.frame()).await {
            Err(_) => return Err(RelayError::Silent),
            Ok(None) => return Ok(()),
            Ok(Some(Err(e))) => return Err(RelayError::Connect(e.to_string())),
            Ok(Some(Ok(frame))) => frame,
        };
        let Ok(chunk) = frame.into_data() else {
            continue;
        };
        for event in parser.feed(&chunk)? {
            *heard = true;
            match event.kind.as_str() {
                "ready" => {
                    tracing::info!(relay = host_of(channel), "connected to the relay channel")
                }
                "ping" => tracing::debug!("relay keep-alive"),
                "message" => relay_one(client, target, &event.data).await,
                other => tracing::debug!(event = other, "ignored a relay event"),
            }
        }
    }
}

/// Posts one delivery and says what became of it.
async fn relay_one(client: &Http, target: &str, data: &str) {
    let relayed = match Relayed::parse(data) {
        Ok(relayed) => relayed,
        Err(e) => {
            tracing::warn!("{e}");
            return;
        }
    };
    let (event, delivery) = (relayed.event(), relayed.delivery());
    let answer = match forward::post(client, target, &relayed).await {
        Ok(answer) => answer,
        Err(e) => {
            tracing::warn!(event, delivery, "{e}");
            return;
        }
    };
    let status = answer.status.as_u16();
    if answer.status.is_success() {
        tracing::info!(event, delivery, status, "relayed a delivery");
    } else if answer.status == StatusCode::UNAUTHORIZED {
        let form = if relayed.was_form() {
            " GitHub sent it form-encoded, which a relay cannot hand on as signed: set the app's webhook content type to application/json."
        } else {
            ""
        };
        tracing::warn!(
            event,
            delivery,
            status,
            "relayed delivery refused for its signature: the relay's re-encoded body no longer matches the signature (the relay parsed GitHub's JSON and wrote it again, and the bytes differ: key order, escaping or number format), or WEBHOOK_SECRET is not the app's webhook secret. Check WEBHOOK_SECRET; if it is right, redeliver from the app's settings (Advanced, Recent Deliveries) or use a relay that keeps the body as sent.{form}"
        );
    } else {
        tracing::warn!(
            event,
            delivery,
            status,
            error = answer.error.as_deref().unwrap_or(""),
            "orgradar refused a relayed delivery"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_up_to_a_minute_and_start_over_after_a_good_connection() {
        let mut backoff = Backoff::default();
        let waits: Vec<u64> = (0..8).map(|_| backoff.next_wait().as_secs()).collect();
        assert_eq!(waits, [1, 2, 4, 8, 16, 32, 60, 60]);
        backoff.reset();
        assert_eq!(backoff.next_wait(), FIRST_RETRY);
    }

    #[test]
    fn the_local_target_is_loopback_when_listening_everywhere() {
        assert_eq!(
            local_target("0.0.0.0:3000".parse().unwrap(), "/api/github/webhooks"),
            "http://127.0.0.1:3000/api/github/webhooks"
        );
        assert_eq!(
            local_target("[::]:8080".parse().unwrap(), "/hooks"),
            "http://[::1]:8080/hooks"
        );
        assert_eq!(host_of("https://smee.io/abc?x"), "smee.io");
    }
}
