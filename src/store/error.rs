//! What can go wrong in a store. Each variant keeps the error underneath it
//! as its source (shared, so one failed batch can answer all its callers).

use std::path::PathBuf;
use std::sync::Arc;

#[derive(Debug, Clone, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Sqlite(#[source] Arc<rusqlite::Error>),
    #[error("database error: {0}")]
    Postgres(#[source] Arc<sqlx::Error>),
    #[error(
        "cannot open the SQLite database {}: {source}; check that its folder exists and is writable, or set DATABASE_URL=sqlite://PATH",
        path.display()
    )]
    OpenSqlite {
        path: PathBuf,
        #[source]
        source: Arc<rusqlite::Error>,
    },
    #[error(
        "cannot connect to PostgreSQL at {url}: {source}; check DATABASE_URL and that the server accepts connections"
    )]
    Connect {
        /// The URL without its password.
        url: String,
        #[source]
        source: Arc<sqlx::Error>,
    },
    #[error("cannot start the SQLite writer thread: {0}")]
    WriterThread(#[source] Arc<std::io::Error>),
    #[error("a SQLite task stopped before it finished: {0}")]
    Task(#[source] Arc<tokio::task::JoinError>),
    #[error("the SQLite reader connection is unusable after a panic; restart orgradar")]
    ReaderPoisoned,
    #[error("cannot encode a sighting: {0}")]
    Encode(#[source] Arc<serde_json::Error>),
    #[error("the transaction was rolled back by the database")]
    RolledBack,
    #[error(
        "unknown {column} {value:?} in table {table}; the database was written by another version of orgradar, or by hand"
    )]
    UnknownValue {
        table: &'static str,
        column: &'static str,
        value: String,
    },
    #[error(
        "the database schema is at version {found}, newer than this orgradar knows ({known}); run a newer orgradar"
    )]
    SchemaTooNew { found: i64, known: i64 },
    #[error("the store is shutting down")]
    Closed,
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError::Sqlite(Arc::new(e))
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        StoreError::Postgres(Arc::new(e))
    }
}

impl From<tokio::task::JoinError> for StoreError {
    fn from(e: tokio::task::JoinError) -> Self {
        StoreError::Task(Arc::new(e))
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(e: serde_json::Error) -> Self {
        StoreError::Encode(Arc::new(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::error::Error;

    #[test]
    fn errors_keep_what_caused_them() {
        let e = StoreError::from(rusqlite::Error::InvalidQuery);
        assert!(e.source().is_some_and(|s| s.is::<Arc<rusqlite::Error>>()));
        assert!(e.to_string().starts_with("database error: "));
        let e = StoreError::from(sqlx::Error::RowNotFound);
        assert!(e.source().is_some_and(|s| s.is::<Arc<sqlx::Error>>()));
    }
}
