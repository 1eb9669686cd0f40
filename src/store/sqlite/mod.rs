//! The SQLite store: one writer thread that commits many operations per
//! transaction (group commit: one fsync for a whole batch), and one reader
//! connection for queries. WAL mode keeps readers and the writer apart.

use super::{
    AttemptRow, Claimed, DeliveryRow, Ingested, ListFilter, NewDelivery, Outcome, Priority,
    Requeue, Status, Store, StoreError, migrate, pick_due,
};
use crate::time::Millis;
use async_trait::async_trait;
use rusqlite::{Connection, OptionalExtension, Row, params};

mod insights;
mod ledger;
mod sessions;
mod supervise;
mod topics;
mod writer;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use tokio::sync::{mpsc, oneshot};
use writer::{Job, Msg, Reply, Run, WRITER_PRAGMAS, WRITER_STATEMENTS, writer_loop};

pub struct SqliteStore {
    jobs: mpsc::Sender<Msg>,
    reader: Arc<Mutex<Connection>>,
}

fn db(e: rusqlite::Error) -> StoreError {
    StoreError::Database(e.to_string())
}

pub(super) fn connect(path: &Path) -> Result<Connection, StoreError> {
    let conn = Connection::open(path).map_err(|e| {
        StoreError::Database(format!(
            "cannot open the SQLite database {}: {e}; check that its folder exists and is writable, or set DATABASE_URL=sqlite://PATH",
            path.display()
        ))
    })?;
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = FULL;
         PRAGMA busy_timeout = 5000;
         PRAGMA foreign_keys = ON;",
    )
    .map_err(db)?;
    Ok(conn)
}

/// The writer thread's connection: [`connect`], with its journals in memory
/// and room for every statement it prepares.
fn connect_writer(path: &Path) -> Result<Connection, StoreError> {
    let writer = connect(path)?;
    writer.execute_batch(WRITER_PRAGMAS).map_err(db)?;
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
        .await
        .map_err(|e| StoreError::Database(e.to_string()))??;
        let (tx, rx) = mpsc::channel(8192);
        std::thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || supervise::run(writer, path_for_writer, rx))
            .map_err(|e| StoreError::Database(format!("cannot start the writer thread: {e}")))?;
        Ok(Self {
            jobs: tx,
            reader: Arc::new(Mutex::new(reader)),
        })
    }

    /// Runs `f` on the writer thread inside the next batch transaction and
    /// returns its result once that transaction has committed.
    async fn write<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Connection) -> rusqlite::Result<T> + Send + 'static,
    ) -> Result<T, StoreError> {
        self.submit(f, true).await
    }

    /// [`Self::write`] for a closure that runs a single statement.
    async fn write_statement<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Connection) -> rusqlite::Result<T> + Send + 'static,
    ) -> Result<T, StoreError> {
        self.submit(f, false).await
    }

    async fn submit<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Connection) -> rusqlite::Result<T> + Send + 'static,
        savepoint: bool,
    ) -> Result<T, StoreError> {
        let (tx, rx) = oneshot::channel();
        let run: Run = Box::new(move |conn| {
            let result = match conn {
                Some(conn) => f(conn).map_err(db),
                None => Err(StoreError::Closed),
            };
            let ok = result.is_ok();
            let reply: Reply = Box::new(move |commit| {
                let _ = tx.send(commit.and(result));
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
        f: impl FnOnce(&Connection) -> rusqlite::Result<T> + Send + 'static,
    ) -> Result<T, StoreError> {
        let reader = self.reader.clone();
        tokio::task::spawn_blocking(move || {
            let conn = reader
                .lock()
                .map_err(|_| StoreError::Database("reader connection poisoned".into()))?;
            f(&conn).map_err(db)
        })
        .await
        .map_err(|e| StoreError::Database(e.to_string()))?
    }
}

const ROW_COLUMNS: &str = "id, event, action, status, attempts, received_at, installation_id, \
                           repository, next_attempt_at, last_error, updated_at";

fn delivery_row(r: &Row<'_>) -> rusqlite::Result<DeliveryRow> {
    let status: String = r.get(3)?;
    Ok(DeliveryRow {
        id: r.get(0)?,
        event: r.get(1)?,
        action: r.get(2)?,
        status: Status::parse(&status).unwrap_or(Status::Failed),
        attempts: r.get(4)?,
        received_at: r.get(5)?,
        installation_id: r.get(6)?,
        repository: r.get(7)?,
        next_attempt_at: r.get(8)?,
        last_error: r.get(9)?,
        updated_at: r.get(10)?,
    })
}

/// The ids of deliveries due now, in the order [`pick_due`] gives: expired
/// leases, then queued, failed and waiting ones by priority, oldest first.
fn due_ids(conn: &Connection, now: Millis, limit: usize) -> rusqlite::Result<Vec<String>> {
    let ids = |sql: &str, priority: Option<i32>| -> rusqlite::Result<Vec<String>> {
        let mut stmt = conn.prepare_cached(sql)?;
        let row = |r: &Row| r.get::<_, String>(0);
        match priority {
            Some(p) => stmt
                .query_map(params![now, limit as i64, p], row)?
                .collect(),
            None => stmt.query_map(params![now, limit as i64], row)?.collect(),
        }
    };
    let waiting = |priority: Priority| -> rusqlite::Result<Vec<String>> {
        let mut all = Vec::new();
        for status in ["queued", "failed", "waiting"] {
            let sql = format!(
                "SELECT id FROM deliveries WHERE status = '{status}' AND priority = ?3 \
                 AND next_attempt_at <= ?1 ORDER BY next_attempt_at LIMIT ?2"
            );
            all.extend(ids(&sql, Some(priority as i32))?);
        }
        Ok(all)
    };
    let expired = ids(
        "SELECT id FROM deliveries WHERE status = 'processing' AND lease_until < ?1 LIMIT ?2",
        None,
    )?;
    Ok(pick_due(
        expired,
        waiting(Priority::Now)?,
        waiting(Priority::Background)?,
        limit,
    ))
}

#[async_trait]
impl Store for SqliteStore {
    async fn ingest(&self, d: NewDelivery) -> Result<Ingested, StoreError> {
        self.write_statement(move |conn| {
            let mut stmt = conn.prepare_cached(
                "INSERT INTO deliveries (id, event, action, installation_id, repository, \
                 received_at, payload, status, next_attempt_at, updated_at, priority) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'queued', ?6, ?6, ?8) ON CONFLICT (id) DO NOTHING",
            )?;
            let changed = stmt.execute(params![
                d.id,
                d.event,
                d.action,
                d.installation_id,
                d.repository,
                d.received_at,
                d.payload,
                Priority::of_event(&d.event) as i32
            ])?;
            Ok(if changed == 1 {
                Ingested::Queued
            } else {
                Ingested::Duplicate
            })
        })
        .await
    }

    async fn claim(
        &self,
        owner: &str,
        limit: usize,
        now: Millis,
        lease_ms: i64,
    ) -> Result<Vec<Claimed>, StoreError> {
        let owner = owner.to_string();
        self.write(move |conn| {
            let mut claimed = Vec::new();
            for id in due_ids(conn, now, limit)? {
                let mut take = conn.prepare_cached(
                    "UPDATE deliveries SET status = 'processing', attempts = attempts + 1, \
                     lease_owner = ?2, lease_until = ?3, updated_at = ?4 WHERE id = ?1 \
                     RETURNING event, action, received_at, payload, attempts, attempts - budget_start",
                )?;
                let c = take.query_row(params![id, owner, now + lease_ms, now], |r| {
                    Ok(Claimed {
                        id: id.clone(),
                        event: r.get(0)?,
                        action: r.get(1)?,
                        received_at: r.get(2)?,
                        payload: r.get(3)?,
                        attempt: r.get(4)?,
                        budget_used: r.get(5)?,
                        owner: owner.clone(),
                    })
                })?;
                conn.prepare_cached(
                    "UPDATE delivery_attempts SET outcome = 'interrupted', finished_at = ?2 \
                     WHERE delivery_id = ?1 AND outcome IS NULL",
                )?
                .execute(params![c.id, now])?;
                conn.prepare_cached(
                    "INSERT INTO delivery_attempts (delivery_id, attempt, worker, started_at) \
                     VALUES (?1, ?2, ?3, ?4)",
                )?
                .execute(params![c.id, c.attempt, c.owner, now])?;
                claimed.push(c);
            }
            Ok(claimed)
        })
        .await
    }

    async fn finish(&self, c: &Claimed, outcome: Outcome, now: Millis) -> Result<bool, StoreError> {
        let (id, owner, attempt) = (c.id.clone(), c.owner.clone(), c.attempt);
        self.write(move |conn| {
            let refund = outcome.refund();
            let (status, next, error) = outcome.into_row(now);
            let changed = conn
                .prepare_cached(
                    "UPDATE deliveries SET status = ?4, next_attempt_at = ?5, last_error = ?6, \
                     lease_owner = NULL, lease_until = NULL, updated_at = ?7, \
                     budget_start = budget_start + ?8 \
                     WHERE id = ?1 AND status = 'processing' AND lease_owner = ?2 AND attempts = ?3",
                )?
                .execute(params![
                    id,
                    owner,
                    attempt,
                    status.as_str(),
                    next,
                    error,
                    now,
                    refund
                ])?;
            if changed == 0 {
                return Ok(false);
            }
            conn.prepare_cached(
                "UPDATE delivery_attempts SET outcome = ?3, error = ?4, finished_at = ?5 \
                 WHERE delivery_id = ?1 AND attempt = ?2",
            )?
            .execute(params![id, attempt, status.as_str(), error, now])?;
            Ok(true)
        })
        .await
    }

    async fn release(&self, owner: Option<&str>, now: Millis) -> Result<u64, StoreError> {
        let owner = owner.map(str::to_string);
        self.write(move |conn| {
            conn.execute(
                "UPDATE delivery_attempts SET outcome = 'interrupted', finished_at = ?2 \
                 WHERE outcome IS NULL AND (delivery_id, attempt) IN \
                 (SELECT id, attempts FROM deliveries WHERE status = 'processing' \
                  AND (?1 IS NULL OR lease_owner = ?1))",
                params![owner, now],
            )?;
            let n = conn.execute(
                "UPDATE deliveries SET status = 'queued', lease_owner = NULL, lease_until = NULL, \
                 next_attempt_at = ?2, updated_at = ?2 \
                 WHERE status = 'processing' AND (?1 IS NULL OR lease_owner = ?1)",
                params![owner, now],
            )?;
            Ok(n as u64)
        })
        .await
    }

    async fn wake(&self, ids: &[String], now: Millis) -> Result<u64, StoreError> {
        let ids = ids.to_vec();
        self.write(move |conn| {
            let mut stmt = conn.prepare_cached(
                "UPDATE deliveries SET next_attempt_at = ?2 \
                 WHERE id = ?1 AND status = 'waiting' AND next_attempt_at > ?2",
            )?;
            let mut n = 0;
            for id in &ids {
                n += stmt.execute(params![id, now])? as u64;
            }
            Ok(n)
        })
        .await
    }

    async fn extend_leases(
        &self,
        owner: &str,
        ids: &[String],
        until: Millis,
    ) -> Result<u64, StoreError> {
        let (owner, ids) = (owner.to_string(), ids.to_vec());
        self.write(move |conn| {
            let mut stmt = conn.prepare_cached(
                "UPDATE deliveries SET lease_until = ?3 \
                 WHERE id = ?2 AND status = 'processing' AND lease_owner = ?1",
            )?;
            let mut n = 0;
            for id in &ids {
                n += stmt.execute(params![owner, id, until])? as u64;
            }
            Ok(n)
        })
        .await
    }

    async fn list(&self, filter: &ListFilter) -> Result<Vec<DeliveryRow>, StoreError> {
        let status = filter.status.map(Status::as_str);
        let limit = filter.limit.max(1) as i64;
        self.read(move |conn| {
            let sql = format!(
                "SELECT {ROW_COLUMNS} FROM deliveries WHERE (?1 IS NULL OR status = ?1) \
                 ORDER BY received_at DESC, id LIMIT ?2"
            );
            let mut stmt = conn.prepare(&sql)?;
            let rows = stmt.query_map(params![status, limit], delivery_row)?;
            rows.collect()
        })
        .await
    }

    async fn get(&self, id: &str) -> Result<Option<(DeliveryRow, Vec<AttemptRow>)>, StoreError> {
        let id = id.to_string();
        self.read(move |conn| {
            let sql = format!("SELECT {ROW_COLUMNS} FROM deliveries WHERE id = ?1");
            let Some(row) = conn.query_row(&sql, [&id], delivery_row).optional()? else {
                return Ok(None);
            };
            let mut stmt = conn.prepare(
                "SELECT attempt, worker, started_at, finished_at, outcome, error \
                 FROM delivery_attempts WHERE delivery_id = ?1 ORDER BY attempt",
            )?;
            let attempts = stmt
                .query_map([&id], |r| {
                    Ok(AttemptRow {
                        attempt: r.get(0)?,
                        worker: r.get(1)?,
                        started_at: r.get(2)?,
                        finished_at: r.get(3)?,
                        outcome: r.get(4)?,
                        error: r.get(5)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(Some((row, attempts)))
        })
        .await
    }

    async fn requeue(&self, id: &str, force: bool, now: Millis) -> Result<Requeue, StoreError> {
        let id = id.to_string();
        self.write(move |conn| {
            let status: Option<String> = conn
                .query_row("SELECT status FROM deliveries WHERE id = ?1", [&id], |r| {
                    r.get(0)
                })
                .optional()?;
            let Some(status) = status.as_deref().and_then(Status::parse) else {
                return Ok(Requeue::NotFound);
            };
            match status {
                Status::Queued | Status::Processing => return Ok(Requeue::Pending(status)),
                Status::Done if !force => return Ok(Requeue::Done),
                _ => {}
            }
            conn.execute(
                "UPDATE deliveries SET status = 'queued', budget_start = attempts, \
                 next_attempt_at = ?2, updated_at = ?2 WHERE id = ?1",
                params![id, now],
            )?;
            Ok(Requeue::Requeued)
        })
        .await
    }

    async fn backlog(&self) -> Result<Vec<(Status, u64)>, StoreError> {
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT status, COUNT(*) FROM deliveries \
                 WHERE status IN ('queued', 'processing', 'failed', 'dead', 'waiting') GROUP BY status",
            )?;
            let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
            let mut out = Vec::new();
            for row in rows {
                let (status, n) = row?;
                if let Some(s) = Status::parse(&status) {
                    out.push((s, n as u64));
                }
            }
            Ok(out)
        })
        .await
    }

    async fn checkpoint(&self, name: &str) -> Result<Option<i64>, StoreError> {
        let name = name.to_string();
        self.read(move |conn| {
            conn.query_row(
                "SELECT value FROM checkpoints WHERE name = ?1",
                [&name],
                |r| r.get(0),
            )
            .optional()
        })
        .await
    }

    async fn set_checkpoint(&self, name: &str, value: i64, now: Millis) -> Result<(), StoreError> {
        let name = name.to_string();
        self.write_statement(move |conn| {
            conn.execute(
                "INSERT INTO checkpoints (name, value, updated_at) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                params![name, value, now],
            )?;
            Ok(())
        })
        .await
    }

    async fn try_lock(
        &self,
        name: &str,
        owner: &str,
        until: Millis,
        now: Millis,
    ) -> Result<bool, StoreError> {
        let (name, owner) = (name.to_string(), owner.to_string());
        self.write_statement(move |conn| {
            let n = conn.execute(
                "INSERT INTO job_locks (name, owner, until) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, until = excluded.until \
                 WHERE job_locks.until < ?4 OR job_locks.owner = excluded.owner",
                params![name, owner, until, now],
            )?;
            Ok(n == 1)
        })
        .await
    }

    async fn unlock(&self, name: &str, owner: &str) -> Result<(), StoreError> {
        let (name, owner) = (name.to_string(), owner.to_string());
        self.write_statement(move |conn| {
            conn.execute(
                "DELETE FROM job_locks WHERE name = ?1 AND owner = ?2",
                params![name, owner],
            )?;
            Ok(())
        })
        .await
    }

    async fn known(&self, ids: &[String]) -> Result<std::collections::HashSet<String>, StoreError> {
        let ids = ids.to_vec();
        self.read(move |conn| {
            let mut stmt = conn.prepare_cached("SELECT 1 FROM deliveries WHERE id = ?1")?;
            let mut found = std::collections::HashSet::new();
            for id in ids {
                if stmt.exists([&id])? {
                    found.insert(id);
                }
            }
            Ok(found)
        })
        .await
    }

    async fn actor(&self, login: &str, fresh_since: Millis) -> Result<Option<String>, StoreError> {
        let login = login.to_string();
        self.read(move |conn| {
            conn.prepare_cached("SELECT facts FROM actors WHERE login = ?1 AND fetched_at >= ?2")?
                .query_row(params![login, fresh_since], |r| r.get(0))
                .optional()
        })
        .await
    }

    async fn cache_actor(&self, login: &str, facts: &str, now: Millis) -> Result<(), StoreError> {
        let (login, facts) = (login.to_string(), facts.to_string());
        self.write_statement(move |conn| {
            conn.prepare_cached(
                "INSERT INTO actors (login, facts, fetched_at) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (login) DO UPDATE SET facts = excluded.facts, fetched_at = excluded.fetched_at",
            )?
            .execute(params![login, facts, now])?;
            Ok(())
        })
        .await
    }

    async fn ready(&self) -> Result<(), StoreError> {
        self.write_statement(|c| c.query_row("SELECT 1", [], |_| Ok(())))
            .await
    }

    async fn close(&self) {
        let (tx, rx) = oneshot::channel();
        if self.jobs.send(Msg::Close(tx)).await.is_ok() {
            let _ = rx.await;
        }
    }
}
