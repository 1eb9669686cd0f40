//! Checkpoints: named numbers a job keeps between runs (the last digest
//! sent, how far recovery got).

use super::StoreError;
use super::sql::{Sql, first_int, params};
use crate::time::Millis;
use async_trait::async_trait;

#[async_trait]
pub trait Checkpoints: Send + Sync {
    /// The value of checkpoint `name`, if it was ever set.
    async fn checkpoint(&self, name: &str) -> Result<Option<i64>, StoreError>;

    async fn set_checkpoint(&self, name: &str, value: i64, now: Millis) -> Result<(), StoreError>;
}

#[async_trait]
impl<S: Sql> Checkpoints for S {
    async fn checkpoint(&self, name: &str) -> Result<Option<i64>, StoreError> {
        self.row(
            "SELECT value FROM checkpoints WHERE name = $1",
            params![name],
            first_int,
        )
        .await
    }

    async fn set_checkpoint(&self, name: &str, value: i64, now: Millis) -> Result<(), StoreError> {
        self.execute(
            "INSERT INTO checkpoints (name, value, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
            params![name, value, now],
        )
        .await
        .map(drop)
    }
}
