//! Everything orgradar says to GitHub: app authentication, installation
//! tokens, rate limits, the server's address, and the API calls it makes.

pub mod api;
pub mod budget;
mod client;
pub mod clock;
mod error;
mod graphql;
mod items;
pub mod key;
mod pages;
pub mod ratelimit;
mod request;
mod tokens;
pub mod url;

pub use budget::{Budget, Need};
pub use client::{AppCredentials, GitHub};
pub use clock::{Clock, ManualClock, SystemClock};
pub use error::GitHubError;
pub use graphql::{GraphQlError, GraphQlReply};
pub use items::Items;
pub use key::{AppKey, KeyError, KeySource};
pub use request::{Answer, Auth, Kind, RetryPolicy};
pub use url::ApiUrl;

use std::sync::{Arc, RwLock};

/// The GitHub client once the app is configured; empty until then (the
/// registration flow fills it in without a restart).
#[derive(Clone, Default)]
pub struct SharedGitHub {
    slot: Arc<RwLock<Option<Arc<GitHub>>>>,
    /// Told when the client is set.
    set: Arc<tokio::sync::Notify>,
}

impl SharedGitHub {
    pub fn new(github: Option<Arc<GitHub>>) -> Self {
        Self {
            slot: Arc::new(RwLock::new(github)),
            set: Arc::default(),
        }
    }

    pub fn get(&self) -> Option<Arc<GitHub>> {
        self.slot.read().map(|g| g.clone()).unwrap_or_default()
    }

    pub fn set(&self, github: Arc<GitHub>) {
        if let Ok(mut slot) = self.slot.write() {
            *slot = Some(github);
        }
        self.set.notify_waiters();
    }

    /// Returns once the app is configured (at once if it is already).
    pub async fn configured(&self) {
        loop {
            let set = self.set.notified();
            if self.get().is_some() {
                return;
            }
            set.await;
        }
    }
}
