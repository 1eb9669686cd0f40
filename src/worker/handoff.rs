//! Deliveries handed from the ingress straight to this process's worker:
//! when the worker has a free slot, the ingress stores a delivery already
//! leased to it (in the same write) and passes it over in memory, so the
//! worker needs no claim to find it. Without a free slot a delivery is
//! queued and claimed as usual.

use crate::store::{Claimed, Lease};
use crate::time::Millis;
use std::sync::Arc;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc};

/// The worker's slots, shared with the ingress.
pub struct Handoff {
    owner: String,
    lease_ms: i64,
    permits: Arc<Semaphore>,
    deliveries: mpsc::UnboundedSender<Direct>,
}

/// A delivery leased at ingest, with the worker slot reserved for it.
pub struct Direct {
    pub claimed: Claimed,
    pub permit: OwnedSemaphorePermit,
}

/// A worker slot the ingress holds while it stores a delivery.
pub struct Slot {
    handoff: Arc<Handoff>,
    permit: OwnedSemaphorePermit,
}

/// What the worker keeps: the slots and the deliveries handed to it.
pub struct Taker {
    pub permits: Arc<Semaphore>,
    pub deliveries: mpsc::UnboundedReceiver<Direct>,
}

impl Handoff {
    /// A hand-off to the worker named `owner`, which runs `concurrency`
    /// deliveries at once and leases them for `lease_ms`.
    pub fn new(owner: &str, lease_ms: i64, concurrency: usize) -> (Arc<Handoff>, Taker) {
        let permits = Arc::new(Semaphore::new(concurrency));
        let (tx, rx) = mpsc::unbounded_channel();
        let handoff = Handoff {
            owner: owner.to_string(),
            lease_ms,
            permits: permits.clone(),
            deliveries: tx,
        };
        let taker = Taker {
            permits,
            deliveries: rx,
        };
        (Arc::new(handoff), taker)
    }

    /// A free slot of the worker, if it has one (and is still running).
    pub fn reserve(self: &Arc<Self>) -> Option<Slot> {
        let permit = self.permits.clone().try_acquire_owned().ok()?;
        Some(Slot {
            handoff: self.clone(),
            permit,
        })
    }
}

impl Slot {
    /// The lease a delivery stored now, at `now`, is taken under.
    pub fn lease(&self, now: Millis) -> Lease {
        Lease {
            owner: self.handoff.owner.clone(),
            until: now + self.handoff.lease_ms,
        }
    }

    /// Gives the stored, leased delivery to the worker (called by the store
    /// once the write has committed). Should the worker have stopped, its
    /// lease runs out (or the next start queues it again).
    pub fn deliver(self, claimed: Claimed) {
        let direct = Direct {
            claimed,
            permit: self.permit,
        };
        let _ = self.handoff.deliveries.send(direct);
    }
}
