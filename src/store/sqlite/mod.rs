//! The SQLite store: one writer thread that commits many operations per
//! transaction (group commit: one fsync for a whole batch), and one reader
//! connection for queries. WAL mode keeps readers and the writer apart.

use super::{Store, StoreError, migrate};
use async_trait::async_trait;
use rusqlite::Connection;

mod queue;
mod sql;
mod supervise;
mod writer;
#[cfg(test)]
mod writer_tests;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use tokio::sync::{mpsc, oneshot};
use writer::{Job, Msg, Reply, Run, WRITER_PRAGMAS, WRITER_STATEMENTS, writer_loop};

pub struct SqliteStore {
    jobs: mpsc::Sender<Msg>,
    reader: Arc<Mutex<Connection>>,
}

pub(super) fn connect(path: &Path) -> Result<Connection, StoreError> {
    let conn = Connection::open(path).map_err(|e| StoreError::OpenSqlite {
        path: path.to_path_buf(),
        source: Arc::new(e),
    })?;
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = FULL;
         PRAGMA busy_timeout = 5000;
         PRAGMA foreign_keys = ON;",
    )?;
    Ok(conn)
}

/// The writer thread's connection: [`connect`], with its journals in memory
/// and room for every statement it prepares.
fn connect_writer(path: &Path) -> Result<Connection, StoreError> {
    let writer = connect(path)?;
    writer.execute_batch(WRITER_PRAGMAS)?;
    writer.set_prepared_statement_cache_capacity(WRITER_STATEMENTS);
    Ok(writer)
}

impl SqliteStore {
    /// Opens (creating if needed) the database file and migrates it.
    pub async fn open(path: &Path) -> Result<Self, StoreError> {
        let path: PathBuf = path.to_path_buf();
        let path_for_writer = path.clone();
        let (writer, reader) = tokio::task::spawn_blocking(move || {
            let mut writer = connect_writer(&path)?;
            migrate::sqlite(&mut writer)?;
            Ok::<_, StoreError>((writer, connect(&path)?))
        })
        .await??;
        let (tx, rx) = mpsc::channel(8192);
        std::thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || supervise::run(writer, path_for_writer, rx))
            .map_err(|e| StoreError::WriterThread(Arc::new(e)))?;
        Ok(Self {
            jobs: tx,
            reader: Arc::new(Mutex::new(reader)),
        })
    }

    /// Runs `f` on the writer thread inside the next batch transaction, in
    /// a savepoint of its own (all of it or nothing), and returns its result
    /// once that transaction has committed.
    async fn write<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        self.submit(f, true).await
    }

    /// [`Self::write`] for a closure that runs a single statement.
    async fn write_statement<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        self.submit(f, false).await
    }

    async fn submit<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
        savepoint: bool,
    ) -> Result<T, StoreError> {
        self.submit_then(f, savepoint, |t| t).await
    }

    /// [`Self::write`], then `then` on the writer thread once the write has
    /// committed: it runs whether or not anyone still waits for the answer.
    async fn write_then<T: Send + 'static, U: Send + 'static>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
        then: impl FnOnce(T) -> U + Send + 'static,
    ) -> Result<U, StoreError> {
        self.submit_then(f, true, then).await
    }

    async fn submit_then<T: Send + 'static, U: Send + 'static>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
        savepoint: bool,
        then: impl FnOnce(T) -> U + Send + 'static,
    ) -> Result<U, StoreError> {
        let (tx, rx) = oneshot::channel();
        let run: Run = Box::new(move |conn| {
            let result = conn.and_then(f);
            let ok = result.is_ok();
            let reply: Reply = Box::new(move |commit| {
                let _ = tx.send(commit.and(result).map(then));
            });
            (ok, reply)
        });
        self.jobs
            .send(Msg::Job(Job { run, savepoint }))
            .await
            .map_err(|_| StoreError::Closed)?;
        rx.await.map_err(|_| StoreError::Closed)?
    }

    async fn read<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let reader = self.reader.clone();
        tokio::task::spawn_blocking(move || {
            let conn = reader.lock().map_err(|_| StoreError::ReaderPoisoned)?;
            f(&conn)
        })
        .await?
    }
}

#[async_trait]
impl Store for SqliteStore {
    async fn ready(&self) -> Result<(), StoreError> {
        self.write_statement(|c| Ok(c.query_row("SELECT 1", [], |_| Ok(()))?))
            .await
    }

    async fn close(&self) {
        let (tx, rx) = oneshot::channel();
        if self.jobs.send(Msg::Close(tx)).await.is_ok() {
            let _ = rx.await;
        }
    }
}
