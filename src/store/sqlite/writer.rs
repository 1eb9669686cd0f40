//! The SQLite writer thread: group commit. It takes every write waiting,
//! runs them in one transaction (each in a savepoint where it needs one),
//! keeps taking the writes that arrive while that transaction runs, and then
//! commits once (one fsync) and answers them all.

use crate::store::StoreError;
use rusqlite::Connection;
use tokio::sync::{mpsc, oneshot};

/// Operations committed together at most; more wait for the next transaction.
const MAX_BATCH: usize = 1024;

pub(super) type Reply = Box<dyn FnOnce(Result<(), StoreError>) + Send>;
/// A unit of work for the writer: runs inside the batch transaction (or, with
/// an error, learns that the transaction or its savepoint could not begin)
/// and returns whether it succeeded plus the reply to send once the commit
/// is known.
pub(super) type Run = Box<dyn FnOnce(Result<&Connection, StoreError>) -> (bool, Reply) + Send>;

pub(super) struct Job {
    pub run: Run,
    /// Wrap in a savepoint, so a job of several statements that fails half-way
    /// leaves nothing behind. A single statement is atomic by itself.
    pub savepoint: bool,
}

pub(super) enum Msg {
    Job(Job),
    Close(oneshot::Sender<()>),
}

/// Settings of the writer's own connection. Savepoint journals stay in
/// memory: a batch's are small, and spilling them to a temporary file cost
/// a file created, written and deleted every few batches.
pub(super) const WRITER_PRAGMAS: &str = "PRAGMA temp_store = MEMORY;";

/// Prepared statements the writer keeps. Every store write goes through it
/// (deliveries, the queue, the ledger, sightings, checkpoints, locks): more
/// than the default 16, which in a least-recently-used cache walked in a
/// cycle means preparing nearly every statement again each time.
pub(super) const WRITER_STATEMENTS: usize = 128;

/// Jobs waiting in `rx` now, up to `room`; notes a request to close.
fn take_waiting(
    rx: &mut mpsc::Receiver<Msg>,
    jobs: &mut Vec<Job>,
    room: usize,
    closing: &mut Option<oneshot::Sender<()>>,
) {
    while closing.is_none() && jobs.len() < room {
        match rx.try_recv() {
            Ok(Msg::Job(job)) => jobs.push(job),
            Ok(Msg::Close(done)) => *closing = Some(done),
            Err(_) => break,
        }
    }
}

/// Runs batches until the store is closed (then returns whom to tell once
/// the connection is closed) or every sender is gone.
pub(super) fn writer_loop(
    conn: &Connection,
    rx: &mut mpsc::Receiver<Msg>,
) -> Option<oneshot::Sender<()>> {
    let mut closing = None;
    while closing.is_none() {
        let Some(first) = rx.blocking_recv() else {
            break;
        };
        let mut jobs = Vec::new();
        match first {
            Msg::Job(job) => jobs.push(job),
            Msg::Close(done) => closing = Some(done),
        }
        take_waiting(rx, &mut jobs, MAX_BATCH, &mut closing);
        run_batch(conn, jobs, rx, &mut closing);
    }
    rx.close();
    let mut rest = Vec::new();
    while let Ok(msg) = rx.try_recv() {
        if let Msg::Job(job) = msg {
            rest.push(job);
        }
    }
    let mut closed = None;
    run_batch(conn, rest, rx, &mut closed);
    let _ = conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)");
    closing
}

/// Runs a statement the writer runs for every batch or job, prepared once.
fn run_cached(conn: &Connection, sql: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(sql)?.execute([]).map(drop)
}

/// A job that has run: its reply, and the error it ends with whatever the
/// commit does (its savepoint could not be released, so it was undone).
pub(super) struct Ran {
    reply: Reply,
    undone: Option<StoreError>,
}

/// Runs one job inside the open transaction. `Err` when the savepoint of a
/// failed job could not be rolled back: then the transaction holds half of
/// that job's writes and must not commit.
pub(super) fn run_job(conn: &Connection, job: Job) -> Result<Ran, (Reply, StoreError)> {
    if !job.savepoint {
        let (_, reply) = (job.run)(Ok(conn));
        return Ok(Ran {
            reply,
            undone: None,
        });
    }
    if let Err(e) = run_cached(conn, "SAVEPOINT job") {
        let (_, reply) = (job.run)(Err(e.into()));
        return Ok(Ran {
            reply,
            undone: None,
        });
    }
    let (ok, reply) = (job.run)(Ok(conn));
    if conn.is_autocommit() {
        // The database rolled the whole transaction back; the commit says so.
        return Ok(Ran {
            reply,
            undone: None,
        });
    }
    if !ok {
        return undo(conn, reply, None);
    }
    match run_cached(conn, "RELEASE job") {
        Ok(()) => Ok(Ran {
            reply,
            undone: None,
        }),
        Err(e) => undo(conn, reply, Some(e.into())),
    }
}

/// Rolls a job's writes back to its savepoint; `Err` when they cannot be.
fn undo(
    conn: &Connection,
    reply: Reply,
    undone: Option<StoreError>,
) -> Result<Ran, (Reply, StoreError)> {
    match conn.execute_batch("ROLLBACK TO job; RELEASE job") {
        Ok(()) => Ok(Ran { reply, undone }),
        Err(e) => Err((reply, e.into())),
    }
}

/// Runs the jobs in one transaction, each inside a savepoint so one failing
/// job does not undo the others; adds the jobs that arrive meanwhile (up to
/// [`MAX_BATCH`] in all); then commits once and replies to all. When a
/// failed job's writes cannot be undone, nothing of the batch is committed.
pub(super) fn run_batch(
    conn: &Connection,
    mut jobs: Vec<Job>,
    rx: &mut mpsc::Receiver<Msg>,
    closing: &mut Option<oneshot::Sender<()>>,
) {
    if jobs.is_empty() {
        return;
    }
    if let Err(e) = run_cached(conn, "BEGIN IMMEDIATE") {
        let err = StoreError::from(e);
        for job in jobs {
            let (_, reply) = (job.run)(Err(err.clone()));
            reply(Err(err.clone()));
        }
        return;
    }
    let mut ran = Vec::with_capacity(jobs.len());
    let mut broken = None;
    'batch: loop {
        let mut batch = std::mem::take(&mut jobs).into_iter();
        while let Some(job) = batch.next() {
            match run_job(conn, job) {
                Ok(job) => ran.push(job),
                Err((reply, e)) => {
                    ran.push(Ran {
                        reply,
                        undone: None,
                    });
                    broken = Some(e);
                    jobs.extend(batch);
                    break 'batch;
                }
            }
        }
        // Writes that arrived while these ran share their commit: under load
        // each fsync and each page written to the log serves more deliveries.
        if conn.is_autocommit() || ran.len() >= MAX_BATCH {
            break;
        }
        take_waiting(rx, &mut jobs, MAX_BATCH - ran.len(), closing);
        if jobs.is_empty() {
            break;
        }
    }
    // Jobs taken but not run (the batch broke first) are answered below.
    let unrun: Vec<Reply> = jobs
        .into_iter()
        .map(|job| (job.run)(Err(StoreError::RolledBack)).1)
        .collect();
    let commit = match broken {
        Some(e) => Err(e),
        None if conn.is_autocommit() => Err(StoreError::RolledBack),
        None => run_cached(conn, "COMMIT").map_err(StoreError::from),
    };
    if commit.is_err() && !conn.is_autocommit() {
        let _ = conn.execute_batch("ROLLBACK");
    }
    if let Err(e) = &commit {
        tracing::error!(error = %e, "a batch of store writes could not be committed");
    }
    for job in ran {
        (job.reply)(match job.undone {
            Some(e) => Err(e),
            None => commit.clone(),
        });
    }
    for reply in unrun {
        reply(commit.clone());
    }
}
