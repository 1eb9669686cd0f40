//! The cache of what GitHub said about a person.

use super::StoreError;
use super::sql::{Sql, first_text, params};
use crate::time::Millis;
use async_trait::async_trait;

#[async_trait]
pub trait ActorCache: Send + Sync {
    /// The cached facts about `login` (lowercased) fetched at or after `fresh_since`.
    async fn actor(&self, login: &str, fresh_since: Millis) -> Result<Option<String>, StoreError>;

    /// Caches the facts (JSON) about `login` (lowercased).
    async fn cache_actor(&self, login: &str, facts: &str, now: Millis) -> Result<(), StoreError>;
}

#[async_trait]
impl<S: Sql> ActorCache for S {
    async fn actor(&self, login: &str, fresh_since: Millis) -> Result<Option<String>, StoreError> {
        self.row(
            "SELECT facts FROM actors WHERE login = $1 AND fetched_at >= $2",
            params![login, fresh_since],
            first_text,
        )
        .await
    }

    async fn cache_actor(&self, login: &str, facts: &str, now: Millis) -> Result<(), StoreError> {
        self.execute(
            "INSERT INTO actors (login, facts, fetched_at) VALUES ($1, $2, $3) \
             ON CONFLICT (login) DO UPDATE SET facts = excluded.facts, fetched_at = excluded.fetched_at",
            params![login, facts, now],
        )
        .await
        .map(drop)
    }
}
