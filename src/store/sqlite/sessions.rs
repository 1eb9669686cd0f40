//! Dashboard sessions on SQLite.

use super::SqliteStore;
use crate::store::{DashboardSession, Sessions, StoreError};
use crate::time::Millis;
use async_trait::async_trait;
use rusqlite::{OptionalExtension, params};

#[async_trait]
impl Sessions for SqliteStore {
    async fn open_session(&self, s: &DashboardSession, now: Millis) -> Result<(), StoreError> {
        let s = s.clone();
        self.write(move |c| {
            c.execute(
                "DELETE FROM dashboard_sessions WHERE expires_at <= ?1",
                params![now],
            )?;
            c.execute(
                "INSERT INTO dashboard_sessions (id_hash, login, created_at, expires_at, checked_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![s.id_hash, s.login, s.created_at, s.expires_at, s.checked_at],
            )?;
            Ok(())
        })
        .await
    }

    async fn session(
        &self,
        id_hash: &str,
        now: Millis,
    ) -> Result<Option<DashboardSession>, StoreError> {
        let id_hash = id_hash.to_string();
        self.read(move |c| {
            c.query_row(
                "SELECT id_hash, login, created_at, expires_at, checked_at FROM dashboard_sessions
                 WHERE id_hash = ?1 AND expires_at > ?2",
                params![id_hash, now],
                |r| {
                    Ok(DashboardSession {
                        id_hash: r.get(0)?,
                        login: r.get(1)?,
                        created_at: r.get(2)?,
                        expires_at: r.get(3)?,
                        checked_at: r.get(4)?,
                    })
                },
            )
            .optional()
        })
        .await
    }

    async fn session_checked(&self, id_hash: &str, at: Millis) -> Result<(), StoreError> {
        let id_hash = id_hash.to_string();
        self.write_statement(move |c| {
            c.execute(
                "UPDATE dashboard_sessions SET checked_at = ?2 WHERE id_hash = ?1",
                params![id_hash, at],
            )
            .map(|_| ())
        })
        .await
    }

    async fn end_session(&self, id_hash: &str) -> Result<(), StoreError> {
        let id_hash = id_hash.to_string();
        self.write_statement(move |c| {
            c.execute(
                "DELETE FROM dashboard_sessions WHERE id_hash = ?1",
                params![id_hash],
            )
            .map(|_| ())
        })
        .await
    }
}
