//! Dashboard sessions on the server: a session is valid while its row
//! exists and has not expired, so signing out (or losing membership) ends it
//! on every instance at once.

use super::StoreError;
use super::sql::{Row, Sql, Step, params};
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

impl DashboardSession {
    fn from_row(r: &dyn Row) -> Result<DashboardSession, StoreError> {
        Ok(DashboardSession {
            id_hash: r.text(0)?,
            login: r.text(1)?,
            created_at: r.int(2)?,
            expires_at: r.int(3)?,
            checked_at: r.int(4)?,
        })
    }
}

#[async_trait]
impl<S: Sql> Sessions for S {
    async fn open_session(&self, s: &DashboardSession, now: Millis) -> Result<(), StoreError> {
        let steps = vec![
            Step::new(
                "DELETE FROM dashboard_sessions WHERE expires_at <= $1",
                params![now],
            ),
            Step::new(
                "INSERT INTO dashboard_sessions (id_hash, login, created_at, expires_at, checked_at) \
                 VALUES ($1, $2, $3, $4, $5)",
                params![
                    &s.id_hash,
                    &s.login,
                    s.created_at,
                    s.expires_at,
                    s.checked_at
                ],
            ),
        ];
        self.transaction(steps).await.map(drop)
    }

    async fn session(
        &self,
        id_hash: &str,
        now: Millis,
    ) -> Result<Option<DashboardSession>, StoreError> {
        self.row(
            "SELECT id_hash, login, created_at, expires_at, checked_at FROM dashboard_sessions \
             WHERE id_hash = $1 AND expires_at > $2",
            params![id_hash, now],
            DashboardSession::from_row,
        )
        .await
    }

    async fn session_checked(&self, id_hash: &str, at: Millis) -> Result<(), StoreError> {
        self.execute(
            "UPDATE dashboard_sessions SET checked_at = $2 WHERE id_hash = $1",
            params![id_hash, at],
        )
        .await
        .map(drop)
    }

    async fn end_session(&self, id_hash: &str) -> Result<(), StoreError> {
        self.execute(
            "DELETE FROM dashboard_sessions WHERE id_hash = $1",
            params![id_hash],
        )
        .await
        .map(drop)
    }
}
