//! The worker's settings: backoff and how an attempt's result is recorded.

use super::*;

fn settings() -> WorkerSettings {
    WorkerSettings {
        concurrency: 1,
        max_attempts: 3,
        retry_base: Duration::from_secs(10),
        retry_max: Duration::from_secs(60),
        lease: Duration::from_secs(60),
        attempt_timeout: Duration::from_secs(60),
        poll: Duration::from_millis(10),
        gather: Duration::from_millis(1),
    }
}

fn claimed(budget_used: u32) -> Claimed {
    Claimed {
        id: "d1".into(),
        event: "issues".into(),
        action: Some("opened".into()),
        received_at: 0,
        payload: "{}".into(),
        attempt: budget_used,
        budget_used,
        owner: "w".into(),
    }
}

#[test]
fn backoff_doubles_is_capped_and_jittered_within_half() {
    let s = settings();
    assert_eq!(s.backoff(1, 1.0), Duration::from_secs(10));
    assert_eq!(s.backoff(2, 1.0), Duration::from_secs(20));
    assert_eq!(s.backoff(3, 1.0), Duration::from_secs(40));
    assert_eq!(s.backoff(9, 1.0), Duration::from_secs(60));
    assert_eq!(s.backoff(1, 0.0), Duration::from_secs(5));
    assert_eq!(s.backoff(40, 0.0), Duration::from_secs(30));
}

#[test]
fn transient_failures_retry_until_the_budget_is_spent() {
    let s = settings();
    let fail = || Err(ProcessError::Again("502 from GitHub".into()));
    match s.outcome(&claimed(1), fail(), 1_000) {
        Outcome::Retry { at, error } => {
            assert!((6_000..=11_000).contains(&at), "{at}");
            assert_eq!(error, "502 from GitHub");
        }
        other => panic!("{other:?}"),
    }
    match s.outcome(&claimed(3), fail(), 0) {
        Outcome::Dead { error } => assert!(error.contains("gave up after 3 attempts")),
        other => panic!("{other:?}"),
    }
}

#[test]
fn permanent_failures_die_at_once_and_success_is_done() {
    let s = settings();
    let dead = s.outcome(&claimed(1), Err(ProcessError::Refused("bad".into())), 0);
    assert_eq!(
        dead,
        Outcome::Dead {
            error: "bad".into()
        }
    );
    assert_eq!(s.outcome(&claimed(1), Ok(None), 0), Outcome::Done);
    assert_eq!(
        s.outcome(&claimed(1), Ok(Some("no rule matched".into())), 0),
        Outcome::Noted {
            note: "no rule matched".into()
        }
    );
}

#[test]
fn a_held_delivery_waits_and_is_looked_at_again_without_spending_an_attempt() {
    let s = settings();
    let held = Err(ProcessError::Held("the app is not registered".into()));
    let outcome = s.outcome(&claimed(3), held, 1_000);
    assert_eq!(
        outcome,
        Outcome::Wait {
            reason: "held: the app is not registered".into(),
            at: 1_000 + HELD_RECHECK_MS
        }
    );
    assert_eq!(outcome.refund(), 1);
}
