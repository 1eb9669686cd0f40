use super::key::KeyError;

/// A call to GitHub that did not give the answer wanted.
#[derive(Debug, Clone, thiserror::Error)]
pub enum GitHubError {
    #[error(
        "the GitHub App is not configured: set APP_ID and PRIVATE_KEY (or PRIVATE_KEY_PATH), or run `orgradar register`"
    )]
    NotConfigured,
    #[error(transparent)]
    Key(#[from] KeyError),
    #[error(
        "installation {0} is suspended or was removed; orgradar does not act for it until it is installed or unsuspended again"
    )]
    InstallationInactive(u64),
    #[error("{method} {path}: GitHub answered {status}: {message}")]
    Status {
        method: String,
        path: String,
        status: u16,
        message: String,
    },
    #[error("{method} {path}: rate limited by GitHub for another {wait_secs}s; try again later")]
    RateLimited {
        method: String,
        path: String,
        wait_secs: u64,
    },
    #[error("{method} {path}: no answer from GitHub ({reason})")]
    Transport {
        method: String,
        path: String,
        reason: String,
    },
    #[error(
        "{method} {path}: GitHub answered {}; the write may have happened, so it is not repeated blindly",
        status.map_or_else(|| "nothing".to_string(), |s| s.to_string())
    )]
    WriteUncertain {
        method: String,
        path: String,
        status: Option<u16>,
    },
    #[error("{method} {path}: unexpected answer from GitHub: {reason}")]
    Decode {
        method: String,
        path: String,
        reason: String,
    },
}

impl GitHubError {
    /// Whether trying again later may succeed.
    pub fn is_transient(&self) -> bool {
        match self {
            GitHubError::Status { status, .. } => *status >= 500,
            GitHubError::RateLimited { .. }
            | GitHubError::Transport { .. }
            | GitHubError::WriteUncertain { .. } => true,
            _ => false,
        }
    }

    /// How long GitHub asked to wait, when this is a rate limit.
    pub fn rate_limit_wait(&self) -> Option<std::time::Duration> {
        match self {
            GitHubError::RateLimited { wait_secs, .. } => {
                Some(std::time::Duration::from_secs(*wait_secs))
            }
            _ => None,
        }
    }

    /// The HTTP status GitHub answered, if it answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            GitHubError::Status { status, .. } => Some(*status),
            GitHubError::WriteUncertain { status, .. } => *status,
            _ => None,
        }
    }
}
