//! Why processing a delivery failed, with the error that caused it, and what
//! the worker does about it: try again later, wait for GitHub without
//! spending an attempt, or give up.

use crate::actor::ActorError;
use crate::github::GitHubError;
use crate::notify::SlackError;

/// Why a delivery about a person waits while the app has no credentials.
pub const HELD_UNREGISTERED: &str = "the app is not registered, so orgradar cannot ask GitHub who this is: run `orgradar register` (or set APP_ID and PRIVATE_KEY); it is processed as soon as the credentials are there";
use crate::store::StoreError;
use crate::time::{Millis, now_ms};

/// Why processing a delivery failed.
#[derive(Debug, thiserror::Error)]
pub enum ProcessError {
    /// A GitHub call failed while doing `what`.
    #[error("{what}: {source}")]
    GitHub {
        what: String,
        #[source]
        source: GitHubError,
    },
    /// The store could not be read or written: worth another attempt.
    #[error("the store: {0}")]
    Store(#[from] StoreError),
    /// Slack did not take a message.
    #[error(transparent)]
    Slack(#[from] SlackError),
    /// Will fail the same way every time (a payload without what its event
    /// needs, a channel whose configuration is incomplete): the delivery goes
    /// straight to `dead`, with this reason.
    #[error("{0}")]
    Refused(String),
    /// Worth another attempt later, for a reason no source error carries.
    #[error("{0}")]
    Again(String),
    /// Not a failure: GitHub asked to wait (a rate limit, or the budget kept
    /// for more urgent work), or the app cannot act yet. The delivery waits in
    /// the store until `until` without spending an attempt.
    #[error("{reason}")]
    Wait { until: Millis, reason: String },
    /// The delivery cannot be processed until something outside it changes
    /// (the app is not registered yet): it is held, without spending an
    /// attempt, and looked at again every [`HELD_RECHECK_MS`].
    #[error("held: {0}")]
    Held(String),
    /// Several actions of one delivery failed; each is named.
    #[error("{}", several(.0))]
    Several(Vec<(String, ProcessError)>),
}

/// How often a held delivery is looked at again; a registration completing
/// in the running server releases the held deliveries at once.
pub const HELD_RECHECK_MS: Millis = 5 * 60_000;

/// Whether a waiting delivery's reason says it is held (see [`ProcessError::Held`]).
pub fn is_held(reason: &str) -> bool {
    reason.starts_with("held: ")
}

/// What the worker does after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Try again after the backoff, while attempts remain.
    Retry,
    /// Wait until then, without spending an attempt.
    WaitUntil(Millis),
    /// Held until what it waits for is there; no attempt spent.
    Hold,
    /// No further attempts.
    GiveUp,
}

fn several(list: &[(String, ProcessError)]) -> String {
    list.iter()
        .map(|(what, e)| format!("{what}: {e}"))
        .collect::<Vec<_>>()
        .join("; ")
}

impl ProcessError {
    /// A GitHub error met while doing `what`: a rate limit becomes a wait
    /// until its reset.
    pub fn github(what: impl Into<String>, source: GitHubError) -> Self {
        let what = what.into();
        match source.rate_limit_wait() {
            Some(wait) => ProcessError::Wait {
                until: now_ms() + wait.as_millis() as Millis,
                reason: format!("waiting for GitHub's rate limit to reset ({what}: {source})"),
            },
            None => ProcessError::GitHub { what, source },
        }
    }

    /// Whether another attempt may succeed, must wait, or cannot.
    pub fn verdict(&self) -> Verdict {
        match self {
            ProcessError::GitHub { source, .. } if source.is_transient() => Verdict::Retry,
            ProcessError::GitHub { .. } | ProcessError::Refused(_) => Verdict::GiveUp,
            ProcessError::Slack(e) if e.is_transient() => Verdict::Retry,
            ProcessError::Slack(_) => Verdict::GiveUp,
            ProcessError::Store(_) | ProcessError::Again(_) => Verdict::Retry,
            ProcessError::Wait { until, .. } => Verdict::WaitUntil(*until),
            ProcessError::Held(_) => Verdict::Hold,
            // Anything worth retrying is retried (what was done is in the
            // ledger); else the latest wait; else there is nothing to retry.
            ProcessError::Several(list) => {
                let verdicts = list.iter().map(|(_, e)| e.verdict());
                verdicts.fold(Verdict::GiveUp, |worst, v| match (worst, v) {
                    (Verdict::Retry, _) | (_, Verdict::Retry) => Verdict::Retry,
                    (Verdict::WaitUntil(a), Verdict::WaitUntil(b)) => Verdict::WaitUntil(a.max(b)),
                    (Verdict::WaitUntil(a), _) | (_, Verdict::WaitUntil(a)) => {
                        Verdict::WaitUntil(a)
                    }
                    (Verdict::Hold, _) | (_, Verdict::Hold) => Verdict::Hold,
                    _ => Verdict::GiveUp,
                })
            }
        }
    }

    /// The failures of several actions as one error; `Ok` when there were none.
    pub fn all(failures: Vec<(String, ProcessError)>) -> Result<(), ProcessError> {
        match failures.len() {
            0 => Ok(()),
            _ => Err(ProcessError::Several(failures)),
        }
    }
}

impl From<ActorError> for ProcessError {
    fn from(e: ActorError) -> Self {
        match e {
            ActorError::GitHub(g) => ProcessError::github("looking the person up", g),
            ActorError::Later { until, reason } => ProcessError::Wait { until, reason },
            ActorError::Store(e) => ProcessError::Store(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused() -> ProcessError {
        ProcessError::Refused("channel `x` is not set up".into())
    }

    fn wait(until: Millis) -> ProcessError {
        ProcessError::Wait {
            until,
            reason: "rate limited".into(),
        }
    }

    #[test]
    fn several_failures_retry_if_any_may_pass_else_wait_for_the_latest_reset() {
        let again = || ProcessError::Again("502 from Slack".into());
        let all = |list: Vec<ProcessError>| {
            ProcessError::Several(list.into_iter().map(|e| ("x".to_string(), e)).collect())
                .verdict()
        };
        assert_eq!(all(vec![refused(), again(), wait(5)]), Verdict::Retry);
        assert_eq!(
            all(vec![wait(5), refused(), wait(9)]),
            Verdict::WaitUntil(9)
        );
        assert_eq!(all(vec![refused(), refused()]), Verdict::GiveUp);
    }

    #[test]
    fn a_github_rate_limit_is_a_wait_and_its_source_is_kept() {
        let limited = GitHubError::RateLimited {
            method: "POST".into(),
            path: "/graphql".into(),
            wait_secs: 60,
        };
        assert!(matches!(
            ProcessError::github("adding labels", limited).verdict(),
            Verdict::WaitUntil(_)
        ));
        let missing = GitHubError::Status {
            method: "POST".into(),
            path: "/repos/a/b/issues/1/labels".into(),
            status: 404,
            message: "Not Found".into(),
        };
        let e = ProcessError::github("adding labels", missing);
        assert_eq!(e.verdict(), Verdict::GiveUp);
        assert!(std::error::Error::source(&e).is_some());
        assert!(e.to_string().starts_with("adding labels: POST"));
    }
}
