//! The writer thread keeps running: a panic inside a batch (a bug, or
//! anything else that unwinds) loses that batch only. Its callers are told
//! the write did not happen, the transaction is rolled back with the
//! connection, and the writer carries on with a fresh connection. When the
//! database cannot be opened again, the process exits non-zero, so that its
//! supervisor restarts it instead of leaving a server that answers 503 to
//! every delivery.

use super::{Msg, connect_writer, writer_loop};
use rusqlite::Connection;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::sync::mpsc;

/// The exit status when the store cannot be written any more (EX_SOFTWARE).
const EXIT_STORE_LOST: i32 = 70;
const REOPEN_ATTEMPTS: u32 = 5;

pub(super) fn run(mut conn: Connection, path: PathBuf, mut rx: mpsc::Receiver<Msg>) {
    loop {
        match catch_unwind(AssertUnwindSafe(|| writer_loop(&conn, &mut rx))) {
            Ok(closing) => {
                drop(conn);
                if let Some(done) = closing {
                    let _ = done.send(());
                }
                return;
            }
            Err(_) => {
                tracing::error!(
                    "the SQLite writer stopped on a panic; the writes of that batch were not made and their callers were told so; reopening the database"
                );
                drop(conn);
                conn = reopen(&path);
            }
        }
    }
}

fn reopen(path: &Path) -> Connection {
    let mut wait = Duration::from_millis(100);
    for attempt in 1..=REOPEN_ATTEMPTS {
        match connect_writer(path) {
            Ok(conn) => return conn,
            Err(e) => {
                tracing::error!(attempt, error = %e, "could not reopen the SQLite database for writing");
                std::thread::sleep(wait);
                wait *= 2;
            }
        }
    }
    tracing::error!(
        "the SQLite database cannot be written any more; exiting so that the supervisor restarts orgradar"
    );
    std::process::exit(EXIT_STORE_LOST);
}

#[cfg(test)]
mod tests {
    use super::super::SqliteStore;
    use crate::store::{Deliveries, Ingested, NewDelivery, Queue, Store, StoreError};

    fn delivery(id: &str) -> NewDelivery {
        NewDelivery {
            id: id.into(),
            event: "issues".into(),
            action: Some("opened".into()),
            installation_id: Some(1),
            repository: Some("acme/widgets".into()),
            payload: "{}".into(),
            received_at: 1,
        }
    }

    #[tokio::test]
    async fn a_panic_in_the_writer_loses_its_batch_only() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("o.db")).await.unwrap();
        assert_eq!(
            store.ingest(delivery("before")).await.unwrap(),
            Ingested::Queued
        );
        let lost = store
            .write(|_| -> Result<(), StoreError> { panic!("a bug in a write") })
            .await;
        assert!(matches!(lost, Err(StoreError::Closed)), "{lost:?}");
        // The writer carries on: deliveries are stored and the store is ready.
        assert_eq!(
            store.ingest(delivery("after")).await.unwrap(),
            Ingested::Queued
        );
        assert!(store.ready().await.is_ok());
        let known = store
            .known(&["before".to_string(), "after".to_string()])
            .await
            .unwrap();
        assert_eq!(known.len(), 2);
        store.close().await;
    }
}
