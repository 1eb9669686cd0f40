//! GitHub's rate limits, read from every answer. A primary limit (403 or 429
//! with `x-ratelimit-remaining: 0`) lasts until `x-ratelimit-reset`; a
//! secondary limit says `retry-after`, or nothing, in which case GitHub asks
//! for at least a minute, longer on each repeat.

use http::{HeaderMap, StatusCode};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The rate-limit headers of one answer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RateLimit {
    pub remaining: Option<u64>,
    /// Unix seconds when the budget refills.
    pub reset: Option<u64>,
    pub retry_after: Option<u64>,
    /// The hourly budget (`x-ratelimit-limit`).
    pub limit: Option<u64>,
}

/// Why GitHub refused to do something for now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limited {
    Primary { reset_at: SystemTime },
    Secondary { retry_after: Option<Duration> },
}

/// The budget an answer counted against (`x-ratelimit-resource`): `core`
/// unless it says otherwise.
pub fn resource(headers: &HeaderMap) -> &str {
    headers
        .get("x-ratelimit-resource")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("core")
}

fn number(headers: &HeaderMap, name: &str) -> Option<u64> {
    headers.get(name)?.to_str().ok()?.trim().parse().ok()
}

impl RateLimit {
    pub fn from_headers(headers: &HeaderMap) -> Self {
        Self {
            remaining: number(headers, "x-ratelimit-remaining"),
            reset: number(headers, "x-ratelimit-reset"),
            retry_after: number(headers, "retry-after"),
            limit: number(headers, "x-ratelimit-limit"),
        }
    }

    /// Whether an answer with `status` and GitHub's `message` is a rate limit.
    pub fn classify(&self, status: StatusCode, message: &str) -> Option<Limited> {
        if status != StatusCode::FORBIDDEN && status != StatusCode::TOO_MANY_REQUESTS {
            return None;
        }
        if let Some(secs) = self.retry_after {
            return Some(Limited::Secondary {
                retry_after: Some(Duration::from_secs(secs)),
            });
        }
        if self.remaining == Some(0) {
            let reset = self.reset.unwrap_or(0);
            return Some(Limited::Primary {
                reset_at: UNIX_EPOCH + Duration::from_secs(reset),
            });
        }
        let message = message.to_ascii_lowercase();
        if status == StatusCode::TOO_MANY_REQUESTS
            || message.contains("secondary rate limit")
            || message.contains("abuse")
        {
            return Some(Limited::Secondary { retry_after: None });
        }
        None
    }
}

/// How long to wait before trying again. `repeats` counts earlier secondary
/// limits without `retry-after` in the same request.
pub fn wait_for(limited: Limited, now: SystemTime, repeats: u32) -> Duration {
    match limited {
        Limited::Primary { reset_at } => {
            reset_at.duration_since(now).unwrap_or(Duration::ZERO) + Duration::from_secs(1)
        }
        Limited::Secondary {
            retry_after: Some(d),
        } => d,
        Limited::Secondary { retry_after: None } => {
            Duration::from_secs(60) * 2u32.saturating_pow(repeats.min(6))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn a_primary_limit_lasts_until_the_reset() {
        let rl = RateLimit::from_headers(&headers(&[
            ("x-ratelimit-remaining", "0"),
            ("x-ratelimit-reset", "1000"),
        ]));
        let limited = rl
            .classify(StatusCode::FORBIDDEN, "API rate limit exceeded")
            .unwrap();
        let now = UNIX_EPOCH + Duration::from_secs(940);
        assert_eq!(wait_for(limited, now, 0), Duration::from_secs(61));
    }

    #[test]
    fn a_secondary_limit_waits_retry_after_or_backs_off_from_a_minute() {
        let rl = RateLimit::from_headers(&headers(&[
            ("retry-after", "30"),
            ("x-ratelimit-remaining", "12"),
        ]));
        let limited = rl.classify(StatusCode::TOO_MANY_REQUESTS, "").unwrap();
        assert_eq!(wait_for(limited, UNIX_EPOCH, 0), Duration::from_secs(30));
        let bare = RateLimit::from_headers(&headers(&[("x-ratelimit-remaining", "12")]));
        let limited = bare
            .classify(
                StatusCode::FORBIDDEN,
                "You have exceeded a secondary rate limit.",
            )
            .unwrap();
        assert_eq!(wait_for(limited, UNIX_EPOCH, 0), Duration::from_secs(60));
        assert_eq!(wait_for(limited, UNIX_EPOCH, 2), Duration::from_secs(240));
    }

    #[test]
    fn a_plain_forbidden_is_no_rate_limit() {
        let rl = RateLimit::from_headers(&headers(&[("x-ratelimit-remaining", "4999")]));
        assert_eq!(
            rl.classify(
                StatusCode::FORBIDDEN,
                "Resource not accessible by integration"
            ),
            None
        );
        assert_eq!(rl.classify(StatusCode::BAD_GATEWAY, ""), None);
    }
}
