//! Every way ingress refuses a request: a status code and a short JSON body
//! `{"error": "..."}` that says what was wrong and how to fix it. No message
//! ever contains a secret or echoes a signature.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// GitHub's own cap on a webhook payload.
pub const MAX_BODY_BYTES: usize = crate::config::MAX_WEBHOOK_BODY_BYTES;

/// How long a client refused with 503 `Busy` is asked to wait.
const RETRY_AFTER_SECS: &str = "5";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// `WEBHOOK_SECRET` is not set.
    NotConfigured,
    MissingEvent,
    /// `X-GitHub-Event` is not an event name.
    BadEvent,
    MissingDelivery,
    BadDelivery,
    UnsupportedType(Option<String>),
    TooLarge,
    MissingSignature,
    /// Only the legacy SHA-1 `X-Hub-Signature` was sent.
    LegacySignatureOnly,
    MalformedSignature,
    SignatureMismatch,
    UnreadableBody,
    NoFormPayload,
    NotJson(String),
    /// The store could not commit the delivery.
    StoreUnavailable,
    /// Too many webhook requests or body bytes in flight.
    Busy,
    /// The body did not arrive within `HTTP_BODY_TIMEOUT`.
    BodyTimeout,
    /// A field orgradar stores is out of range (the field's path).
    OutOfRange(&'static str),
}

impl Refusal {
    pub fn status(&self) -> StatusCode {
        match self {
            Refusal::NotConfigured | Refusal::StoreUnavailable | Refusal::Busy => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            Refusal::BodyTimeout => StatusCode::REQUEST_TIMEOUT,
            Refusal::MissingEvent
            | Refusal::BadEvent
            | Refusal::OutOfRange(_)
            | Refusal::MissingDelivery
            | Refusal::BadDelivery
            | Refusal::UnreadableBody
            | Refusal::NoFormPayload
            | Refusal::NotJson(_) => StatusCode::BAD_REQUEST,
            Refusal::UnsupportedType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Refusal::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Refusal::MissingSignature
            | Refusal::LegacySignatureOnly
            | Refusal::MalformedSignature
            | Refusal::SignatureMismatch => StatusCode::UNAUTHORIZED,
        }
    }

    /// The metric label.
    pub fn reason(&self) -> &'static str {
        match self {
            Refusal::NotConfigured => "not_configured",
            Refusal::MissingEvent => "missing_event",
            Refusal::BadEvent => "bad_event",
            Refusal::Busy => "busy",
            Refusal::BodyTimeout => "body_timeout",
            Refusal::OutOfRange(_) => "out_of_range",
            Refusal::MissingDelivery => "missing_delivery",
            Refusal::BadDelivery => "bad_delivery",
            Refusal::UnsupportedType(_) => "unsupported_content_type",
            Refusal::TooLarge => "too_large",
            Refusal::MissingSignature => "missing_signature",
            Refusal::LegacySignatureOnly => "legacy_signature",
            Refusal::MalformedSignature => "malformed_signature",
            Refusal::SignatureMismatch => "signature_mismatch",
            Refusal::UnreadableBody => "unreadable_body",
            Refusal::NoFormPayload => "no_form_payload",
            Refusal::NotJson(_) => "not_json",
            Refusal::StoreUnavailable => "store_unavailable",
        }
    }

    pub fn message(&self) -> String {
        match self {
            Refusal::NotConfigured => "webhook secret not configured: set WEBHOOK_SECRET to the secret in the GitHub App's webhook settings (several, comma-separated, while rotating) and restart orgradar".into(),
            Refusal::MissingEvent => "missing X-GitHub-Event header: this endpoint takes GitHub webhook deliveries; point the GitHub App's webhook URL here and let GitHub send them (a replay must keep GitHub's headers)".into(),
            Refusal::BadEvent => "X-GitHub-Event must be an event name: 1 to 100 lowercase letters, digits and underscores, as GitHub sends it (e.g. issues, projects_v2_item)".into(),
            Refusal::Busy => "orgradar is reading as many webhook bodies as it allows at once (WEBHOOK_CONCURRENCY, WEBHOOK_BODY_BUDGET); retry after the number of seconds in Retry-After, or redeliver from the GitHub App's settings".into(),
            Refusal::BodyTimeout => "the body did not arrive within HTTP_BODY_TIMEOUT; GitHub will show the delivery as failed and it can be redelivered".into(),
            Refusal::OutOfRange(field) => format!("the signature matched but `{field}` is out of range for any GitHub object (above 2^63 - 1); GitHub never sends such a value, so the sender signed something else"),
            Refusal::MissingDelivery => "missing X-GitHub-Delivery header: every GitHub delivery carries its id there; a replay must keep GitHub's headers".into(),
            Refusal::BadDelivery => "X-GitHub-Delivery must be 1 to 100 visible ASCII characters (GitHub sends a GUID)".into(),
            Refusal::UnsupportedType(got) => format!(
                "unsupported Content-Type {}: GitHub sends application/json or application/x-www-form-urlencoded; pick one as the webhook content type",
                got.as_deref().map_or("(none)".to_string(), |t| format!("`{t}`"))
            ),
            Refusal::TooLarge => format!("body over {} MiB, GitHub's own limit for a webhook payload", MAX_BODY_BYTES / (1024 * 1024)),
            Refusal::MissingSignature => "missing X-Hub-Signature-256 header: set a secret in the GitHub App's webhook settings (GitHub then signs every delivery) and the same value in WEBHOOK_SECRET".into(),
            Refusal::LegacySignatureOnly => "only the legacy SHA-1 X-Hub-Signature header was sent: orgradar verifies X-Hub-Signature-256 (HMAC-SHA256), which GitHub and GitHub Enterprise Server 3.0+ send whenever a secret is set".into(),
            Refusal::MalformedSignature => "X-Hub-Signature-256 must be `sha256=` followed by 64 lowercase hex digits, as GitHub sends it".into(),
            Refusal::SignatureMismatch => "signature does not match: check that WEBHOOK_SECRET holds the GitHub App's webhook secret, and that nothing between GitHub and orgradar (a proxy, a tunnel, a framework) re-encodes the body: the signature covers the exact bytes GitHub sent".into(),
            Refusal::UnreadableBody => "the request body could not be read to its end; GitHub will show the delivery as failed and it can be redelivered".into(),
            Refusal::NoFormPayload => "form-encoded body has no `payload` field: GitHub puts the JSON there when the content type is application/x-www-form-urlencoded".into(),
            Refusal::NotJson(why) => format!("the signature matched but the payload is not JSON ({why}); GitHub always sends JSON, so the sender signed something else"),
            Refusal::StoreUnavailable => "the delivery could not be stored (the database is unavailable); it is not acknowledged, so GitHub shows it as failed: redeliver it once orgradar is healthy (orgradar's logs say why)".into(),
        }
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let body = serde_json::json!({ "error": self.message() });
        let mut response = (self.status(), Json(body)).into_response();
        if self == Refusal::Busy {
            response.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from_static(RETRY_AFTER_SECS),
            );
        }
        response
    }
}
