//! The SQLite writer thread: group commit. It takes every write waiting,
//! runs them in one transaction (each in a savepoint where it needs one),
//! keeps taking the writes that arrive while that transaction runs, and then
//! commits once (one fsync) and answers them all.

use super::db;
use crate::store::StoreError;
use rusqlite::Connection;
use tokio::sync::{mpsc, oneshot};

/// Operations committed together at most; more wait for the next transaction.
const MAX_BATCH: usize = 1024;

pub(super) type Reply = Box<dyn FnOnce(Result<(), StoreError>) + Send>;
/// A unit of work for the writer: runs inside the batch transaction (or, with
/// `None`, learns that the transaction could not begin) and returns whether it
/// succeeded plus the reply to send once the commit is known.
pub(super) type Run = Box<dyn FnOnce(Option<&Connection>) -> (bool, Reply) + Send>;

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

/// Runs one job inside the open transaction; returns its reply.
fn run_job(conn: &Connection, job: Job) -> Reply {
    if job.savepoint {
        let _ = run_cached(conn, "SAVEPOINT job");
    }
    let (ok, reply) = (job.run)(Some(conn));
    if job.savepoint && !conn.is_autocommit() {
        let _ = if ok {
            run_cached(conn, "RELEASE job")
        } else {
            conn.execute_batch("ROLLBACK TO job; RELEASE job")
        };
    }
    reply
}

/// Runs the jobs in one transaction, each inside a savepoint so one failing
/// job does not undo the others; adds the jobs that arrive meanwhile (up to
/// [`MAX_BATCH`] in all); then commits once and replies to all.
fn run_batch(
    conn: &Connection,
    mut jobs: Vec<Job>,
    rx: &mut mpsc::Receiver<Msg>,
    closing: &mut Option<oneshot::Sender<()>>,
) {
    if jobs.is_empty() {
        return;
    }
    if let Err(e) = run_cached(conn, "BEGIN IMMEDIATE") {
        let err = db(e);
        for job in jobs {
            let (_, reply) = (job.run)(None);
            reply(Err(err.clone()));
        }
        return;
    }
    let mut replies = Vec::with_capacity(jobs.len());
    loop {
        for job in jobs.drain(..) {
            replies.push(run_job(conn, job));
        }
        // Writes that arrived while these ran share their commit: under load
        // each fsync and each page written to the log serves more deliveries.
        if conn.is_autocommit() || replies.len() >= MAX_BATCH {
            break;
        }
        take_waiting(rx, &mut jobs, MAX_BATCH - replies.len(), closing);
        if jobs.is_empty() {
            break;
        }
    }
    let commit = if conn.is_autocommit() {
        Err(StoreError::Database(
            "the transaction was rolled back by the database".into(),
        ))
    } else {
        run_cached(conn, "COMMIT").map_err(db)
    };
    if commit.is_err() && !conn.is_autocommit() {
        let _ = conn.execute_batch("ROLLBACK");
    }
    if let Err(e) = &commit {
        tracing::error!(error = %e, "a batch of store writes could not be committed");
    }
    for reply in replies {
        reply(commit.clone());
    }
}
