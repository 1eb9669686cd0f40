//! Installation access tokens: one per installation, minted on first use,
//! reused until five minutes before they expire, dropped when the app is
//! removed from or suspended on that installation.

use secrecy::SecretString;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

/// A token is renewed this long before it expires.
pub const REFRESH_MARGIN: Duration = Duration::from_secs(5 * 60);

#[derive(Clone)]
pub struct Token {
    pub value: SecretString,
    pub expires_at: SystemTime,
}

impl Token {
    pub fn fresh_at(&self, now: SystemTime) -> bool {
        self.expires_at
            .duration_since(now)
            .is_ok_and(|left| left > REFRESH_MARGIN)
    }
}

/// One installation's state.
#[derive(Default)]
pub struct Slot {
    /// Held while a token is read or minted, so concurrent callers mint once.
    pub token: tokio::sync::Mutex<Option<Token>>,
    inactive: AtomicBool,
}

impl Slot {
    pub fn is_active(&self) -> bool {
        !self.inactive.load(Ordering::Acquire)
    }
}

#[derive(Default)]
pub struct Tokens {
    slots: Mutex<HashMap<u64, Arc<Slot>>>,
}

impl Tokens {
    pub fn slot(&self, installation: u64) -> Arc<Slot> {
        let mut slots = self.slots.lock().unwrap_or_else(|p| p.into_inner());
        slots.entry(installation).or_default().clone()
    }

    /// `installation` deleted or suspended: forget its token, refuse to mint another.
    pub fn deactivate(&self, installation: u64) {
        let slot = self.slot(installation);
        slot.inactive.store(true, Ordering::Release);
        if let Ok(mut token) = slot.token.try_lock() {
            *token = None;
        }
    }

    /// `installation` created or unsuspended: it may be used again.
    pub fn activate(&self, installation: u64) {
        self.slot(installation)
            .inactive
            .store(false, Ordering::Release);
    }
}
