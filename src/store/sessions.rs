//! Dashboard sessions on the server: a session is valid while its row
//! exists and has not expired, so signing out (or losing membership) ends it
//! on every instance at once.

use super::StoreError;
use crate::time::Millis;
use async_trait::async_trait;

/// One signed-in person. `id_hash` is the SHA-256 (hex) of the cookie's
/// random id; the id itself is never stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DashboardSession {
    pub id_hash: String,
    pub login: String,
    pub created_at: Millis,
    pub expires_at: Millis,
    /// When membership of `dashboard.allow_orgs` was last confirmed.
    pub checked_at: Millis,
}

#[async_trait]
pub trait Sessions: Send + Sync {
    /// Stores a new session (and drops the ones expired before `now`).
    async fn open_session(&self, session: &DashboardSession, now: Millis)
    -> Result<(), StoreError>;

    /// The session with this id hash, if it exists and has not expired by `now`.
    async fn session(
        &self,
        id_hash: &str,
        now: Millis,
    ) -> Result<Option<DashboardSession>, StoreError>;

    /// Records that the session's membership was confirmed at `at`.
    async fn session_checked(&self, id_hash: &str, at: Millis) -> Result<(), StoreError>;

    /// Ends the session (sign-out, or membership lost).
    async fn end_session(&self, id_hash: &str) -> Result<(), StoreError>;
}
