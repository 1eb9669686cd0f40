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
    /// Several mistakes, each on its own line, so all are fixed in one pass.
    #[error("{}", lines(.0))]
    Several(Vec<ConfigError>),
}

fn lines(errors: &[ConfigError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

impl ConfigError {
    /// `Ok` without mistakes; the one mistake; or all of them.
    pub fn all(mut errors: Vec<ConfigError>) -> Result<(), ConfigError> {
        // Nested lists are flattened, so each mistake is one item.
        let mut flat = Vec::with_capacity(errors.len());
        for e in errors.drain(..) {
            match e {
                ConfigError::Several(inner) => flat.extend(inner),
                e => flat.push(e),
            }
        }
        match flat.len() {
            0 => Ok(()),
            1 => Err(flat.remove(0)),
            _ => Err(ConfigError::Several(flat)),
        }
    }
}
