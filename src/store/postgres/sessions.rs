//! Dashboard sessions on PostgreSQL.

use super::{PostgresStore, db};
use crate::store::{DashboardSession, Sessions, StoreError};
use crate::time::Millis;
use async_trait::async_trait;
use sqlx::Row;

#[async_trait]
impl Sessions for PostgresStore {
    async fn open_session(&self, s: &DashboardSession, now: Millis) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        sqlx::query("DELETE FROM dashboard_sessions WHERE expires_at <= $1")
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        sqlx::query(
            "INSERT INTO dashboard_sessions (id_hash, login, created_at, expires_at, checked_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&s.id_hash)
        .bind(&s.login)
        .bind(s.created_at)
        .bind(s.expires_at)
        .bind(s.checked_at)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        tx.commit().await.map_err(db)
    }

    async fn session(
        &self,
        id_hash: &str,
        now: Millis,
    ) -> Result<Option<DashboardSession>, StoreError> {
        let row = sqlx::query(
            "SELECT id_hash, login, created_at, expires_at, checked_at FROM dashboard_sessions
             WHERE id_hash = $1 AND expires_at > $2",
        )
        .bind(id_hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await
        .map_err(db)?;
        row.map(|r| {
            Ok(DashboardSession {
                id_hash: r.try_get(0)?,
                login: r.try_get(1)?,
                created_at: r.try_get(2)?,
                expires_at: r.try_get(3)?,
                checked_at: r.try_get(4)?,
            })
        })
        .transpose()
        .map_err(db)
    }

    async fn session_checked(&self, id_hash: &str, at: Millis) -> Result<(), StoreError> {
        sqlx::query("UPDATE dashboard_sessions SET checked_at = $2 WHERE id_hash = $1")
            .bind(id_hash)
            .bind(at)
            .execute(&self.pool)
            .await
            .map_err(db)
            .map(|_| ())
    }

    async fn end_session(&self, id_hash: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM dashboard_sessions WHERE id_hash = $1")
            .bind(id_hash)
            .execute(&self.pool)
            .await
            .map_err(db)
            .map(|_| ())
    }
}
