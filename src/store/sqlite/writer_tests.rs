//! The writer's savepoints: a failing job never commits half its writes.

use super::writer::{Job, Reply, Run, run_batch};
use crate::store::StoreError;
use rusqlite::Connection;
use std::sync::{Arc, Mutex};

type Answers = Arc<Mutex<Vec<Result<(), String>>>>;

fn job(
    answers: &Answers,
    f: impl FnOnce(&Connection) -> rusqlite::Result<()> + Send + 'static,
) -> Job {
    let answers = answers.clone();
    let run: Run = Box::new(move |conn| {
        let result = conn.and_then(|c| f(c).map_err(StoreError::from));
        let ok = result.is_ok();
        let reply: Reply = Box::new(move |commit| {
            let answer = commit.and(result).map_err(|e| e.to_string());
            answers.lock().unwrap().push(answer);
        });
        (ok, reply)
    });
    Job {
        run,
        savepoint: true,
    }
}

fn insert(n: i64) -> impl FnOnce(&Connection) -> rusqlite::Result<()> + Send + 'static {
    move |c| c.execute("INSERT INTO t VALUES (?1)", [n]).map(drop)
}

fn stored(conn: &Connection) -> Vec<i64> {
    let mut stmt = conn.prepare("SELECT x FROM t ORDER BY x").unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn run(jobs: Vec<Job>) -> Connection {
    let conn = Connection::open_in_memory().unwrap();
    conn.execute_batch("CREATE TABLE t (x INTEGER)").unwrap();
    let (_tx, mut rx) = tokio::sync::mpsc::channel(1);
    run_batch(&conn, jobs, &mut rx, &mut None);
    conn
}

#[test]
fn a_failing_job_is_undone_and_the_others_commit() {
    let answers = Answers::default();
    let conn = run(vec![
        job(&answers, insert(1)),
        job(&answers, |c| {
            c.execute("INSERT INTO t VALUES (2)", [])?;
            Err(rusqlite::Error::InvalidQuery)
        }),
        job(&answers, insert(3)),
    ]);
    assert_eq!(stored(&conn), vec![1, 3]);
    let answers = answers.lock().unwrap();
    assert!(answers[0].is_ok() && answers[1].is_err() && answers[2].is_ok());
}

#[test]
fn a_savepoint_that_cannot_be_rolled_back_commits_nothing() {
    let answers = Answers::default();
    let conn = run(vec![
        job(&answers, insert(1)),
        // Its savepoint is gone before it fails: ROLLBACK TO cannot undo
        // its insert, so the whole batch must be rolled back.
        job(&answers, |c| {
            c.execute_batch("RELEASE job")?;
            c.execute("INSERT INTO t VALUES (2)", [])?;
            Err(rusqlite::Error::InvalidQuery)
        }),
        job(&answers, insert(3)),
    ]);
    assert_eq!(stored(&conn), Vec::<i64>::new());
    assert!(conn.is_autocommit());
    let answers = answers.lock().unwrap();
    assert_eq!(answers.len(), 3);
    assert!(answers.iter().all(Result::is_err), "{answers:?}");
}

#[test]
fn a_savepoint_that_cannot_be_released_fails_its_job() {
    let answers = Answers::default();
    let conn = run(vec![
        job(&answers, insert(1)),
        job(&answers, |c| {
            c.execute_batch("RELEASE job")?;
            c.execute("INSERT INTO t VALUES (2)", []).map(drop)
        }),
    ]);
    assert_eq!(stored(&conn), Vec::<i64>::new());
    let answers = answers.lock().unwrap();
    assert!(answers.iter().all(Result::is_err), "{answers:?}");
}
