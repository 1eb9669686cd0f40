//! Time for the GitHub client: the system clock in production, a manual one
//! in tests so that token expiry and rate-limit waits need no real sleeping.

use async_trait::async_trait;
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

#[async_trait]
pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> SystemTime;
    async fn sleep(&self, duration: Duration);
}

#[derive(Debug, Default)]
pub struct SystemClock;

#[async_trait]
impl Clock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }

    async fn sleep(&self, duration: Duration) {
        tokio::time::sleep(duration).await;
    }
}

/// A clock that moves only when told to, or when something sleeps on it
/// (the sleep returns at once and the time advances by its length).
#[derive(Debug)]
pub struct ManualClock {
    now: Mutex<SystemTime>,
    slept: Mutex<Vec<Duration>>,
}

impl ManualClock {
    pub fn new(start: SystemTime) -> Self {
        Self {
            now: Mutex::new(start),
            slept: Mutex::new(Vec::new()),
        }
    }

    pub fn advance(&self, by: Duration) {
        if let Ok(mut now) = self.now.lock() {
            *now += by;
        }
    }

    /// Now, in whole Unix seconds.
    pub fn now_secs(&self) -> u64 {
        Clock::now(self)
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
    }

    /// Every sleep so far, in order.
    pub fn slept(&self) -> Vec<Duration> {
        self.slept.lock().map(|s| s.clone()).unwrap_or_default()
    }
}

#[async_trait]
impl Clock for ManualClock {
    fn now(&self) -> SystemTime {
        self.now
            .lock()
            .map(|n| *n)
            .unwrap_or(SystemTime::UNIX_EPOCH)
    }

    async fn sleep(&self, duration: Duration) {
        if let Ok(mut slept) = self.slept.lock() {
            slept.push(duration);
        }
        self.advance(duration);
    }
}
