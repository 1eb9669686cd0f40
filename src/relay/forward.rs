//! One relayed delivery: the relay's `message` data taken apart into
//! GitHub's headers and body, and posted to orgradar's own webhook endpoint.

use super::RelayError;
use crate::https::Http;
use bytes::Bytes;
use http::{HeaderName, HeaderValue, Method, Request, StatusCode};
use http_body_util::{BodyExt, Full};
use serde_json::Value;
use serde_json::value::RawValue;
use std::collections::HashMap;

/// Keys of the relay's data that are not request headers.
const NOT_HEADERS: &[&str] = &["body", "query", "timestamp"];

/// Headers that describe the relay's connection, not GitHub's request.
const HOP_BY_HOP: &[&str] = &[
    "host",
    "content-length",
    "connection",
    "keep-alive",
    "transfer-encoding",
    "te",
    "trailer",
    "upgrade",
    "proxy-connection",
    "accept-encoding",
    "expect",
];

/// A delivery as GitHub sent it to the relay.
#[derive(Debug)]
pub struct Relayed {
    pub headers: Vec<(HeaderName, HeaderValue)>,
    /// The payload, compact, with the keys in the order and the escapes
    /// the relay kept.
    pub body: Vec<u8>,
    /// `?a=b` when GitHub's request had a query string.
    pub query: String,
}

impl Relayed {
    /// Takes apart a `message` event's data.
    pub fn parse(data: &str) -> Result<Self, RelayError> {
        let fields: HashMap<String, Box<RawValue>> =
            serde_json::from_str(data).map_err(|e| RelayError::Message(e.to_string()))?;
        let body = fields
            .get("body")
            .ok_or_else(|| RelayError::Message("it has no `body`".into()))?;
        let mut headers = Vec::new();
        for (name, value) in &fields {
            let name = name.to_ascii_lowercase();
            if NOT_HEADERS.contains(&name.as_str()) || HOP_BY_HOP.contains(&name.as_str()) {
                continue;
            }
            let value = match serde_json::from_str::<Value>(value.get()) {
                Ok(Value::String(s)) => s,
                Ok(Value::Number(n)) => n.to_string(),
                Ok(Value::Bool(b)) => b.to_string(),
                _ => continue,
            };
            if let (Ok(name), Ok(value)) = (
                HeaderName::from_bytes(name.as_bytes()),
                HeaderValue::from_str(&value),
            ) {
                headers.push((name, value));
            }
        }
        let query = match fields
            .get("query")
            .and_then(|q| serde_json::from_str::<serde_json::Map<String, Value>>(q.get()).ok())
        {
            Some(map) if !map.is_empty() => {
                let mut query = form_urlencoded::Serializer::new(String::new());
                for (key, value) in &map {
                    match value {
                        Value::String(s) => query.append_pair(key, s),
                        other => query.append_pair(key, &other.to_string()),
                    };
                }
                format!("?{}", query.finish())
            }
            _ => String::new(),
        };
        Ok(Self {
            headers,
            body: compact(body.get()).into_bytes(),
            query,
        })
    }

    fn header(&self, name: &str) -> &str {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .and_then(|(_, v)| v.to_str().ok())
            .unwrap_or("?")
    }

    /// `X-GitHub-Event`.
    pub fn event(&self) -> &str {
        self.header("x-github-event")
    }

    /// `X-GitHub-Delivery`.
    pub fn delivery(&self) -> &str {
        self.header("x-github-delivery")
    }

    /// Whether GitHub sent the payload form-encoded (the relay can only hand it on as JSON).
    pub fn was_form(&self) -> bool {
        self.header("content-type")
            .starts_with("application/x-www-form-urlencoded")
    }
}

/// `json` without whitespace outside its strings: GitHub's compact form,
/// with every key, number and escape left as it was.
pub fn compact(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let (mut in_string, mut escaped) = (false, false);
    for c in json.chars() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if !matches!(c, ' ' | '\t' | '\n' | '\r') {
            out.push(c);
        }
    }
    out
}

/// What orgradar's endpoint answered: its status and its `error`, if any.
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub error: Option<String>,
}

/// Posts `relayed` to `target` (orgradar's own webhook URL) as GitHub posted it to the relay.
pub async fn post(client: &Http, target: &str, relayed: &Relayed) -> Result<Answer, RelayError> {
    let mut request = Request::builder()
        .method(Method::POST)
        .uri(format!("{target}{}", relayed.query));
    for (name, value) in &relayed.headers {
        if name != http::header::CONTENT_TYPE {
            request = request.header(name, value);
        }
    }
    // The relay hands the payload on as JSON, whatever GitHub's content type was.
    let request = request
        .header(http::header::CONTENT_TYPE, "application/json")
        .body(Full::new(Bytes::from(relayed.body.clone())))
        .map_err(|e| RelayError::Local(e.to_string()))?;
    let response = client
        .request(request)
        .await
        .map_err(|e| RelayError::Local(e.to_string()))?;
    let status = response.status();
    let body = response
        .into_body()
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    let error = serde_json::from_slice::<Value>(&body)
        .ok()
        .and_then(|v| v["error"].as_str().map(str::to_string));
    Ok(Answer { status, error })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_body_keeps_its_key_order_and_escapes_and_loses_only_whitespace() {
        let data = r#"{"x-github-event":"issues","x-github-delivery":"d-1","host":"smee.io","content-length":"99","content-type":"application/json","body":{ "zeta": 1, "alpha": "a \"b\" \u00e9 é <x>/\\", "n": 1.50 },"query":{"k":"v w"},"timestamp":1700000000000}"#;
        let relayed = Relayed::parse(data).unwrap();
        assert_eq!(
            String::from_utf8(relayed.body.clone()).unwrap(),
            r#"{"zeta":1,"alpha":"a \"b\" \u00e9 é <x>/\\","n":1.50}"#
        );
        assert_eq!(relayed.event(), "issues");
        assert_eq!(relayed.delivery(), "d-1");
        assert_eq!(relayed.query, "?k=v+w");
        let names: Vec<&str> = relayed.headers.iter().map(|(n, _)| n.as_str()).collect();
        assert!(!names.contains(&"host") && !names.contains(&"content-length"));
        assert!(!names.contains(&"body") && !names.contains(&"timestamp"));
    }

    #[test]
    fn a_message_that_is_not_a_delivery_says_why() {
        let err = Relayed::parse(r#"{"x-github-event":"ping"}"#).unwrap_err();
        assert!(err.to_string().contains("no `body`"), "{err}");
        assert!(Relayed::parse("not json").is_err());
    }
}
