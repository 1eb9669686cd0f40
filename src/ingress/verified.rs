//! The extractor that turns a request into a verified delivery: headers
//! checked (a missing or malformed signature is refused before the body is
//! read), body read within GitHub's size cap and the process's budget,
//! signature verified on the raw bytes before anything parses them.

use super::Ingress;
use super::budget::Held;
use super::refusal::{MAX_BODY_BYTES, Refusal};
use super::signature::{SignatureFault, parse, verify_digest};
use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderMap, header};
use http_body_util::BodyExt;
use std::sync::Arc;
use std::time::Duration;

/// A delivery whose signature matched one of the configured secrets.
#[derive(Debug)]
pub struct VerifiedDelivery {
    /// `X-GitHub-Event`.
    pub event: String,
    /// `X-GitHub-Delivery`.
    pub id: String,
    /// The JSON document: the raw body, or the `payload` field of a form body.
    pub json: Bytes,
    /// The share of the webhook budget this request holds until it is answered.
    pub held: Held,
}

#[derive(Clone, Copy)]
enum BodyKind {
    Json,
    Form,
}

/// A header's value: `Ok(None)` when absent or empty, `Err(())` when it is
/// not visible ASCII text.
fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Result<Option<&'a str>, ()> {
    match headers.get(name) {
        None => Ok(None),
        Some(v) if v.is_empty() => Ok(None),
        Some(v) => v.to_str().map(Some).map_err(|_| ()),
    }
}

fn is_event_name(event: &str) -> bool {
    event.len() <= 100
        && event
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

fn body_kind(headers: &HeaderMap) -> Result<BodyKind, Refusal> {
    let raw = headers
        .get(header::CONTENT_TYPE)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let essence = raw.as_deref().map(|t| {
        t.split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase()
    });
    match essence.as_deref() {
        Some("application/json") => Ok(BodyKind::Json),
        Some("application/x-www-form-urlencoded") => Ok(BodyKind::Form),
        _ => Err(Refusal::UnsupportedType(
            raw.map(|t| t.chars().take(100).collect()),
        )),
    }
}

/// What the headers say, checked before a byte of the body is read.
struct Checked<'a> {
    event: &'a str,
    id: &'a str,
    kind: BodyKind,
    declared: Option<u64>,
    expected: [u8; 32],
}

fn declared_length(headers: &HeaderMap) -> Option<u64> {
    headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
}

fn check(headers: &HeaderMap) -> Result<Checked<'_>, Refusal> {
    let event = header_str(headers, "x-github-event")
        .map_err(|_| Refusal::BadEvent)?
        .ok_or(Refusal::MissingEvent)?;
    if !is_event_name(event) {
        return Err(Refusal::BadEvent);
    }
    let id = header_str(headers, "x-github-delivery")
        .map_err(|_| Refusal::BadDelivery)?
        .ok_or(Refusal::MissingDelivery)?;
    if id.len() > 100 || !id.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(Refusal::BadDelivery);
    }
    let kind = body_kind(headers)?;
    let declared = declared_length(headers);
    if declared.is_some_and(|n| n > MAX_BODY_BYTES as u64) {
        return Err(Refusal::TooLarge);
    }
    let signature = match header_str(headers, "x-hub-signature-256") {
        Err(()) => return Err(Refusal::MalformedSignature),
        Ok(Some(s)) => s,
        Ok(None) if headers.contains_key("x-hub-signature") => {
            return Err(Refusal::LegacySignatureOnly);
        }
        Ok(None) => return Err(Refusal::MissingSignature),
    };
    let expected = parse(signature).map_err(|_| Refusal::MalformedSignature)?;
    Ok(Checked {
        event,
        id,
        kind,
        declared,
        expected,
    })
}

/// A refused request's body is read and thrown away when it is small, so
/// that the sender (GitHub, whose delivery log shows the answer) reads the
/// refusal instead of a reset connection. A large one is not read at all.
const DRAIN_AT_MOST: u64 = 1024 * 1024;

async fn drain(body: Body, declared: Option<u64>, within: Duration) {
    if declared.is_none_or(|n| n > DRAIN_AT_MOST) {
        return;
    }
    let mut body = body;
    let _ = tokio::time::timeout(within, async {
        while let Some(Ok(_)) = body.frame().await {}
    })
    .await;
}

impl FromRequest<Arc<Ingress>> for VerifiedDelivery {
    type Rejection = Refusal;

    async fn from_request(req: Request, state: &Arc<Ingress>) -> Result<Self, Refusal> {
        let (parts, body) = req.into_parts();
        let headers = &parts.headers;
        let checked = state
            .secrets
            .read()
            .ok()
            .and_then(|s| s.clone())
            .ok_or(Refusal::NotConfigured)
            .and_then(|secrets| check(headers).map(|c| (secrets, c)));
        let (secrets, checked) = match checked {
            Ok(c) => c,
            Err(refusal) => {
                drain(body, declared_length(headers), state.budget.body_timeout()).await;
                return Err(refusal);
            }
        };
        let Checked {
            event,
            id,
            kind,
            declared,
            expected,
        } = checked;
        let (body, held) = state.budget.read(body, declared).await?;
        verify_digest(&secrets, &expected, &body).map_err(|fault| match fault {
            SignatureFault::Malformed => Refusal::MalformedSignature,
            SignatureFault::Mismatch => Refusal::SignatureMismatch,
        })?;
        let json = match kind {
            BodyKind::Json => body,
            BodyKind::Form => form_urlencoded::parse(&body)
                .find(|(k, _)| k == "payload")
                .map(|(_, v)| Bytes::from(v.into_owned()))
                .ok_or(Refusal::NoFormPayload)?,
        };
        Ok(VerifiedDelivery {
            event: event.to_string(),
            id: id.to_string(),
            json,
            held,
        })
    }
}
