//! What a request to GitHub is: who it is made as, whether repeating it is
//! harmless, the answer it gets, and how long the client waits and retries.

use http::HeaderMap;
use std::time::Duration;

/// Who a request is made as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    /// The app itself (JWT): app-level routes such as `/app/installations`.
    App,
    /// An installation of the app (installation token).
    Installation(u64),
    /// No credentials (e.g. the manifest code exchange).
    Anonymous,
}

/// Whether repeating a request is harmless.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Read,
    /// Repeated only where GitHub's answer shows it did not happen.
    Write,
}

/// An answer with a 2xx status.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: bytes::Bytes,
}

/// Limits on waiting and retrying.
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    /// Attempts of one request at most, whatever the reasons.
    pub max_attempts: u32,
    /// Reads answered 5xx or not at all are tried again this often.
    pub server_error_retries: u32,
    /// A rate limit longer than this is returned as [`GitHubError::RateLimited`](super::GitHubError::RateLimited)
    /// instead of waited out in place: the worker then puts the delivery back
    /// in the store until the reset, rather than holding a slot for it.
    pub max_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 8,
            server_error_retries: 3,
            max_wait: Duration::from_secs(3600),
        }
    }
}

impl RetryPolicy {
    /// The server's: a rate limit of more than a few seconds is not waited
    /// out in a worker slot; the delivery waits in the store until the reset.
    pub fn server() -> Self {
        Self {
            max_wait: Duration::from_secs(5),
            ..Self::default()
        }
    }
}
