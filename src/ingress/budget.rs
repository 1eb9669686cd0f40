//! How much of the process webhook bodies may hold: at most
//! `WEBHOOK_CONCURRENCY` requests read at once and `WEBHOOK_BODY_BUDGET`
//! bytes of bodies in memory across all of them, each within
//! `HTTP_BODY_TIMEOUT`. Beyond a bound the answer is 503 with `Retry-After`,
//! at once, before the body is read.

use super::refusal::{MAX_BODY_BYTES, Refusal};
use crate::config::HttpLimits;
use axum::body::{Body, Bytes};
use bytes::BytesMut;
use http_body_util::BodyExt;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// The bounds shared by every webhook request.
pub struct WebhookBudget {
    requests: Arc<Semaphore>,
    bytes: Arc<Semaphore>,
    body_timeout: Duration,
}

/// What one request holds of the budget, until it is answered.
#[derive(Debug)]
pub struct Held {
    _request: OwnedSemaphorePermit,
    _bytes: OwnedSemaphorePermit,
}

impl WebhookBudget {
    pub fn new(limits: &HttpLimits) -> Self {
        Self {
            requests: Arc::new(Semaphore::new(limits.webhook_concurrency)),
            bytes: Arc::new(Semaphore::new(limits.webhook_body_budget)),
            body_timeout: limits.body_timeout,
        }
    }

    /// Reads `body` (of `declared` bytes, when the client said) within the
    /// bounds and the per-request cap.
    pub async fn read(&self, body: Body, declared: Option<u64>) -> Result<(Bytes, Held), Refusal> {
        let request = self
            .requests
            .clone()
            .try_acquire_owned()
            .map_err(|_| Refusal::Busy)?;
        let declared = declared.map_or(0, |n| n.min(MAX_BODY_BYTES as u64) as usize);
        // The declared length is reserved up front, so a body that does not
        // fit is refused before a byte of it is read.
        let mut bytes = self.reserve(declared)?;
        let read = async {
            // Most bodies arrive in one frame, kept as it is; more are joined.
            let mut frames: Vec<Bytes> = Vec::new();
            let mut total = 0;
            let mut body = body;
            while let Some(frame) = body.frame().await {
                let frame = frame.map_err(|_| Refusal::UnreadableBody)?;
                let Ok(data) = frame.into_data() else {
                    continue;
                };
                total += data.len();
                if total > MAX_BODY_BYTES {
                    return Err(Refusal::TooLarge);
                }
                if total > bytes.num_permits() {
                    bytes.merge(self.reserve(total - bytes.num_permits())?);
                }
                frames.push(data);
            }
            Ok(match frames.len() {
                0 => Bytes::new(),
                1 => frames.swap_remove(0),
                _ => {
                    let mut joined = BytesMut::with_capacity(total);
                    for frame in frames {
                        joined.extend_from_slice(&frame);
                    }
                    joined.freeze()
                }
            })
        };
        let body = tokio::time::timeout(self.body_timeout, read)
            .await
            .map_err(|_| Refusal::BodyTimeout)??;
        Ok((
            body,
            Held {
                _request: request,
                _bytes: bytes,
            },
        ))
    }

    /// How long a body may take to arrive.
    pub fn body_timeout(&self) -> Duration {
        self.body_timeout
    }

    fn reserve(&self, n: usize) -> Result<OwnedSemaphorePermit, Refusal> {
        let n = u32::try_from(n).map_err(|_| Refusal::TooLarge)?;
        self.bytes
            .clone()
            .try_acquire_many_owned(n)
            .map_err(|_| Refusal::Busy)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn budget(concurrency: usize, mib: usize) -> WebhookBudget {
        WebhookBudget::new(&HttpLimits {
            webhook_concurrency: concurrency,
            webhook_body_budget: mib * 1024 * 1024,
            ..HttpLimits::default()
        })
    }

    #[tokio::test]
    async fn bodies_beyond_the_byte_budget_are_refused_until_one_is_answered() {
        let b = budget(8, 30);
        let twenty = vec![b'x'; 20 * 1024 * 1024];
        let (first, held) = b
            .read(Body::from(twenty.clone()), Some(twenty.len() as u64))
            .await
            .unwrap();
        assert_eq!(first.len(), twenty.len());
        // Declared: refused before a byte is read.
        let refused = b
            .read(Body::from(twenty.clone()), Some(twenty.len() as u64))
            .await;
        assert_eq!(refused.unwrap_err(), Refusal::Busy);
        // Undeclared (chunked): refused as soon as it passes the budget.
        let refused = b.read(Body::from(twenty.clone()), None).await;
        assert_eq!(refused.unwrap_err(), Refusal::Busy);
        drop(held);
        assert!(b.read(Body::from(twenty), None).await.is_ok());
    }

    #[tokio::test]
    async fn requests_beyond_the_concurrency_are_refused() {
        let b = budget(1, 64);
        let (_, held) = b.read(Body::from("{}"), Some(2)).await.unwrap();
        assert_eq!(
            b.read(Body::from("{}"), Some(2)).await.unwrap_err(),
            Refusal::Busy
        );
        drop(held);
        assert!(b.read(Body::from("{}"), Some(2)).await.is_ok());
    }

    #[tokio::test]
    async fn the_per_request_cap_holds_without_a_declared_length() {
        let b = budget(4, 64);
        let big = vec![b'x'; MAX_BODY_BYTES + 1];
        assert_eq!(
            b.read(Body::from(big), None).await.unwrap_err(),
            Refusal::TooLarge
        );
    }
}
