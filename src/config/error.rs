use std::path::PathBuf;

/// A configuration mistake, phrased for the person who has to fix it.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error(
        "cannot read {}: {source}; run orgradar from the folder that holds app.yml, or set ORGRADAR_CONFIG to its path",
        path.display()
    )]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}:{line}:{column}: {message}", path.display())]
    Invalid {
        path: PathBuf,
        line: u64,
        column: u64,
        message: String,
    },
    #[error("{}: {message}", path.display())]
    File { path: PathBuf, message: String },
    /// Mistakes in the accounts or people, each with its `file:line[:col]`.
    #[error(transparent)]
    Accounts(#[from] crate::affiliation::AccountsError),
    #[error("environment variable {name}: {message}")]
    Env { name: &'static str, message: String },
}
