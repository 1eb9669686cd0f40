//! The extractor that turns a request into a verified delivery: headers
//! checked, body read within GitHub's size cap, signature verified on the raw
//! bytes before anything parses them.

use super::Ingress;
use super::refusal::{MAX_BODY_BYTES, Refusal};
use super::signature::{SignatureFault, verify};
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderMap, header};
use http_body_util::{BodyExt, LengthLimitError, Limited};
use std::sync::Arc;

/// A delivery whose signature matched one of the configured secrets.
#[derive(Debug)]
pub struct VerifiedDelivery {
    /// `X-GitHub-Event`.
    pub event: String,
    /// `X-GitHub-Delivery`.
    pub id: String,
    /// The JSON document: the raw body, or the `payload` field of a form body.
    pub json: Bytes,
}

#[derive(Clone, Copy)]
enum BodyKind {
    Json,
    Form,
}

fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty())
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

impl FromRequest<Arc<Ingress>> for VerifiedDelivery {
    type Rejection = Refusal;

    async fn from_request(req: Request, state: &Arc<Ingress>) -> Result<Self, Refusal> {
        let secrets = state
            .secrets
            .read()
            .ok()
            .and_then(|s| s.clone())
            .ok_or(Refusal::NotConfigured)?;
        let (parts, body) = req.into_parts();
        let headers = &parts.headers;
        let event = header_str(headers, "x-github-event").ok_or(Refusal::MissingEvent)?;
        let id = header_str(headers, "x-github-delivery").ok_or(Refusal::MissingDelivery)?;
        if id.len() > 100 || !id.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(Refusal::BadDelivery);
        }
        let kind = body_kind(headers)?;
        let declared = header_str(headers, "content-length").and_then(|v| v.parse::<u64>().ok());
        if declared.is_some_and(|n| n > MAX_BODY_BYTES as u64) {
            return Err(Refusal::TooLarge);
        }
        let signature = match header_str(headers, "x-hub-signature-256") {
            Some(s) => s,
            None if headers.contains_key("x-hub-signature") => {
                return Err(Refusal::LegacySignatureOnly);
            }
            None => return Err(Refusal::MissingSignature),
        };
        let body = Limited::new(body, MAX_BODY_BYTES)
            .collect()
            .await
            .map_err(|e| {
                if e.downcast_ref::<LengthLimitError>().is_some() {
                    Refusal::TooLarge
                } else {
                    Refusal::UnreadableBody
                }
            })?
            .to_bytes();
        verify(&secrets, signature, &body).map_err(|fault| match fault {
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
        })
    }
}
