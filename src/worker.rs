//! The worker pool: takes due deliveries from the store, runs the handler on
//! each, and records the outcome: done, failed (retried later with
//! exponential backoff and jitter) or dead (no more attempts).

use crate::failure::{HELD_RECHECK_MS, ProcessError, Verdict};
use crate::metrics::Metrics;
use crate::pipeline::Handler;
use crate::store::{Claimed, Outcome, Store};
use crate::time::{Millis, now_ms};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::{Notify, OwnedSemaphorePermit};
use tokio::task::{JoinHandle, JoinSet};
use tokio_util::sync::CancellationToken;
use tracing::Instrument;

mod handoff;
pub use handoff::{Direct, Handoff, Slot, Taker};

/// A claim's deliveries, and the worker slots taken for them.
type Claim = (
    Result<Vec<Claimed>, crate::store::StoreError>,
    Vec<OwnedSemaphorePermit>,
);

#[derive(Debug, Clone)]
pub struct WorkerSettings {
    pub concurrency: usize,
    pub max_attempts: u32,
    pub retry_base: Duration,
    pub retry_max: Duration,
    /// How long a claim lasts before another worker may take the delivery.
    pub lease: Duration,
    /// The longest one attempt may run.
    pub attempt_timeout: Duration,
    /// How often to look for retries that have come due.
    pub poll: Duration,
    /// When the ingress queued deliveries (no slot was free), the pause
    /// before claiming them, so that several share one claim.
    pub gather: Duration,
}

impl WorkerSettings {
    pub fn from_config(w: &crate::config::WorkerSettings) -> Self {
        Self {
            concurrency: w.concurrency.value,
            max_attempts: w.max_attempts.value,
            retry_base: w.retry_base.0,
            retry_max: w.retry_max.0,
            lease: w.lease.0,
            attempt_timeout: Duration::from_secs(4 * 60),
            poll: Duration::from_millis(500),
            gather: Duration::from_millis(5),
        }
    }

    /// The wait before the next attempt, after `failures` failed ones:
    /// `retry_base * 2^(failures-1)`, capped at `retry_max`, times a random
    /// factor in [0.5, 1) so that retries of a burst spread out.
    pub fn backoff(&self, failures: u32, jitter: f64) -> Duration {
        let exp = 2f64.powi(failures.saturating_sub(1).min(30) as i32);
        let full = (self.retry_base.as_secs_f64() * exp).min(self.retry_max.as_secs_f64());
        Duration::from_secs_f64(full * (0.5 + jitter.clamp(0.0, 1.0) / 2.0))
    }

    /// How an attempt that ended with `result` is recorded: `Ok(Some(note))`
    /// is done with nothing (or nothing more) to do, and why.
    pub fn outcome(
        &self,
        c: &Claimed,
        result: Result<Option<String>, ProcessError>,
        now: Millis,
    ) -> Outcome {
        let error = match result {
            Ok(None) => return Outcome::Done,
            Ok(Some(note)) => return Outcome::Noted { note },
            Err(error) => error,
        };
        match error.verdict() {
            Verdict::GiveUp => Outcome::Dead {
                error: error.to_string(),
            },
            Verdict::WaitUntil(until) => Outcome::Wait {
                reason: error.to_string(),
                at: until.max(now),
            },
            Verdict::Hold => Outcome::Wait {
                reason: error.to_string(),
                at: now + HELD_RECHECK_MS,
            },
            Verdict::Retry if c.budget_used >= self.max_attempts => Outcome::Dead {
                error: format!("{error} (gave up after {} attempts)", c.budget_used),
            },
            Verdict::Retry => {
                let wait = self.backoff(c.budget_used, fastrand::f64());
                Outcome::Retry {
                    error: error.to_string(),
                    at: now + wait.as_millis() as Millis,
                }
            }
        }
    }
}

pub struct Worker {
    pub store: Arc<dyn Store>,
    pub handler: Arc<dyn Handler>,
    pub metrics: Arc<Metrics>,
    pub settings: WorkerSettings,
    /// This process's name in leases and attempt records.
    pub owner: String,
    /// Woken by ingress when a delivery is queued.
    pub wake: Arc<Notify>,
    /// The deliveries this worker is processing now (their leases are renewed).
    pub in_flight: std::sync::Mutex<std::collections::HashSet<String>>,
}

/// A name for this process that is unique among the instances sharing a store.
pub fn owner_name() -> String {
    let host = std::env::var("FLY_MACHINE_ID")
        .or_else(|_| std::env::var("HOSTNAME"))
        .ok()
        .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "local".into());
    format!("{host}-{}-{:04x}", std::process::id(), fastrand::u16(..))
}

impl Worker {
    /// Runs until `shutdown` is cancelled, then lets running attempts finish
    /// within `grace` and hands back the leases of any that did not. Takes
    /// the deliveries the ingress hands over through `taker` as they come,
    /// and claims from the store when the ingress queued some (no slot was
    /// free then), when a poll finds retries due, or after a full claim.
    pub async fn run(self: Arc<Self>, taker: Taker, shutdown: CancellationToken, grace: Duration) {
        let Taker {
            permits,
            deliveries: mut direct,
        } = taker;
        let mut tasks = JoinSet::new();
        let lease_ms = self.settings.lease.as_millis() as i64;
        tracing::info!(owner = %self.owner, concurrency = self.settings.concurrency, "worker started");
        // Leases are renewed until the last running attempt has ended.
        let heartbeat = tokio::spawn(self.clone().heartbeat(CancellationToken::new()));
        // When to claim next (the poll; sooner when the ingress queued some),
        // and the claim in flight: it runs beside the hand-overs, which
        // must not wait for it.
        let mut claim_at = Instant::now();
        let mut claiming: Option<JoinHandle<Claim>> = None;
        loop {
            while tasks.try_join_next().is_some() {}
            while let Ok(d) = direct.try_recv() {
                self.start(&mut tasks, d);
            }
            let due = claiming.is_none() && claim_at <= Instant::now();
            let mut waiting_for_slot = false;
            if due {
                let slots: Vec<_> =
                    std::iter::from_fn(|| permits.clone().try_acquire_owned().ok()).collect();
                if slots.is_empty() {
                    waiting_for_slot = true;
                } else {
                    let worker = self.clone();
                    claiming = Some(tokio::spawn(async move {
                        let n = slots.len();
                        let now = now_ms();
                        (
                            worker.store.claim(&worker.owner, n, now, lease_ms).await,
                            slots,
                        )
                    }));
                }
            }
            tokio::select! {
                _ = shutdown.cancelled() => break,
                Some(d) = direct.recv() => self.start(&mut tasks, d),
                claimed = async { claiming.as_mut().ok_or(())?.await.map_err(drop) },
                    if claiming.is_some() => {
                    claiming = None;
                    claim_at = self.claimed(claimed, &mut tasks);
                }
                _ = self.wake.notified() => {
                    // Let the deliveries queued meanwhile share one claim.
                    claim_at = claim_at.min(Instant::now() + self.settings.gather);
                }
                _ = tokio::time::sleep_until(claim_at.into()), if claiming.is_none() && !due => {}
                Some(_) = tasks.join_next(), if waiting_for_slot => {}
            }
        }
        // No more hand-overs; those already stored run within the grace period.
        permits.close();
        if let Some(Ok(claimed)) = match claiming {
            Some(c) => Some(c.await),
            None => None,
        } {
            self.claimed(Ok(claimed), &mut tasks);
        }
        while let Ok(d) = direct.try_recv() {
            self.start(&mut tasks, d);
        }
        let running = tasks.len();
        if running > 0 {
            tracing::info!(
                running,
                grace_secs = grace.as_secs(),
                "waiting for running deliveries"
            );
        }
        let drained =
            tokio::time::timeout(grace, async { while tasks.join_next().await.is_some() {} }).await;
        if drained.is_err() {
            tasks.abort_all();
            while tasks.join_next().await.is_some() {}
        }
        heartbeat.abort();
        match self.store.release(Some(&self.owner), now_ms()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(
                requeued = n,
                "deliveries not finished in the grace period were queued again"
            ),
            Err(e) => {
                tracing::warn!(error = %e, "could not hand back leases; they expire by themselves")
            }
        }
        tracing::info!("worker stopped");
    }

    /// Starts what a claim took; returns when to claim next: at once after a
    /// full claim (more may be due), after the poll interval otherwise.
    fn claimed(self: &Arc<Self>, claim: Result<Claim, ()>, tasks: &mut JoinSet<()>) -> Instant {
        match claim {
            Ok((Ok(batch), slots)) => {
                let full = batch.len() == slots.len();
                for (claimed, permit) in batch.into_iter().zip(slots) {
                    self.start(tasks, Direct { claimed, permit });
                }
                Instant::now()
                    + if full {
                        Duration::ZERO
                    } else {
                        self.settings.poll
                    }
            }
            Ok((Err(e), _)) => {
                tracing::warn!(error = %e, "could not take deliveries from the store; trying again");
                Instant::now() + Duration::from_secs(1)
            }
            Err(()) => Instant::now() + self.settings.poll,
        }
    }

    /// Runs a delivery this worker holds in the slot reserved for it.
    fn start(self: &Arc<Self>, tasks: &mut JoinSet<()>, d: Direct) {
        let worker = self.clone();
        tasks.spawn(async move {
            worker.process(d.claimed, d.permit).await;
        });
    }

    /// Renews this worker's leases three times per lease period.
    async fn heartbeat(self: Arc<Self>, stop: CancellationToken) {
        let lease_ms = self.settings.lease.as_millis() as i64;
        loop {
            tokio::select! {
                _ = stop.cancelled() => return,
                _ = tokio::time::sleep(self.settings.lease / 3) => {}
            }
            let ids: Vec<String> = match self.in_flight.lock() {
                Ok(set) => set.iter().cloned().collect(),
                Err(_) => continue,
            };
            if ids.is_empty() {
                continue;
            }
            if let Err(e) = self
                .store
                .extend_leases(&self.owner, &ids, now_ms() + lease_ms)
                .await
            {
                tracing::warn!(error = %e, "could not renew leases; other instances may take these deliveries");
            }
        }
    }

    /// Runs one attempt in `slot`, which is given back as soon as the attempt
    /// has ended (the outcome is recorded after: recording takes no slot).
    async fn process(&self, c: Claimed, slot: OwnedSemaphorePermit) {
        let span =
            tracing::info_span!("delivery", id = %c.id, event = %c.event, attempt = c.attempt);
        if let Ok(mut set) = self.in_flight.lock() {
            set.insert(c.id.clone());
        }
        async {
            let started = Instant::now();
            let result = if c.budget_used > self.settings.max_attempts {
                Err(ProcessError::Refused(format!(
                    "gave up after {} attempts; the last ones never finished (did the process crash or get stopped?)",
                    c.budget_used - 1
                )))
            } else {
                self.attempt(&c).await
            };
            drop(slot);
            self.metrics
                .processing_seconds
                .observe(started.elapsed().as_secs_f64());
            let now = now_ms();
            let held = matches!(&result, Err(e) if e.verdict() == Verdict::Hold);
            let outcome = self.settings.outcome(&c, result, now);
            let label = match &outcome {
                Outcome::Done => "done",
                Outcome::Noted { note } => {
                    tracing::info!(%note, "done: nothing to do");
                    "done"
                }
                Outcome::Retry { error, at } => {
                    tracing::warn!(%error, retry_in_ms = at - now, "attempt failed; will retry");
                    "failed"
                }
                Outcome::Dead { error } => {
                    tracing::error!(%error, "delivery is dead: no more attempts (`orgradar deliveries retry` requeues it)");
                    "dead"
                }
                Outcome::Wait { reason, at } if held => {
                    // Start-up warns once why (no credentials); a warning per delivery is noise.
                    tracing::info!(%reason, recheck_in_ms = at - now, "held; no attempt spent");
                    "held"
                }
                Outcome::Wait { reason, at } => {
                    tracing::info!(%reason, wait_ms = at - now, "waiting; no attempt spent");
                    "waiting"
                }
            };
            match self.record(&c, outcome, now).await {
                Ok(true) => {
                    self.metrics.processed(&c.event, label);
                    if label == "done" {
                        let lag = (now - c.received_at).max(0) as f64 / 1000.0;
                        self.metrics.lag_seconds.observe(lag);
                    }
                }
                Ok(false) => tracing::warn!("the lease expired before the attempt ended; another worker owns the delivery now"),
                Err(e) => tracing::error!(error = %e, "could not record the outcome; the delivery is retried when its lease expires"),
            }
        }
        .instrument(span)
        .await;
        if let Ok(mut set) = self.in_flight.lock() {
            set.remove(&c.id);
        }
    }

    /// Records an outcome, trying again for a while if the store is unreachable.
    async fn record(
        &self,
        c: &Claimed,
        outcome: Outcome,
        now: Millis,
    ) -> Result<bool, crate::store::StoreError> {
        let mut wait = Duration::from_millis(250);
        let mut tries = 0;
        loop {
            match self.store.finish(c, outcome.clone(), now).await {
                Err(e) if tries < 6 => {
                    tries += 1;
                    tracing::warn!(error = %e, "could not record the outcome yet; trying again");
                    tokio::time::sleep(wait).await;
                    wait *= 2;
                }
                result => return result,
            }
        }
    }

    /// One attempt, bounded in time; a panic in the handler counts as a failed attempt.
    async fn attempt(&self, c: &Claimed) -> Result<Option<String>, ProcessError> {
        let handler = self.handler.clone();
        let claimed = c.clone();
        let task = tokio::spawn(
            async move { handler.handle(&claimed).await }.instrument(tracing::Span::current()),
        );
        match tokio::time::timeout(self.settings.attempt_timeout, task).await {
            Ok(Ok(result)) => result,
            Ok(Err(join)) => Err(ProcessError::Again(format!("the handler failed: {join}"))),
            Err(_) => Err(ProcessError::Again(format!(
                "the attempt took longer than {}s",
                self.settings.attempt_timeout.as_secs()
            ))),
        }
    }
}

#[cfg(test)]
mod tests;
