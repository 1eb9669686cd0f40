//! Named locks, so that one instance at a time runs a job (the digest,
//! retention, recovery, opening a tracking issue), and [`locked`], which
//! holds one for the length of a piece of work.

use super::StoreError;
use super::sql::{Sql, params};
use crate::time::Millis;
use async_trait::async_trait;
use std::future::Future;

#[async_trait]
pub trait Locks: Send + Sync {
    /// Takes the lock `name` for `owner` until `until`, if nobody else holds
    /// it now (an expired lock is free). `true` when taken.
    async fn try_lock(
        &self,
        name: &str,
        owner: &str,
        until: Millis,
        now: Millis,
    ) -> Result<bool, StoreError>;

    async fn unlock(&self, name: &str, owner: &str) -> Result<(), StoreError>;
}

#[async_trait]
impl<S: Sql> Locks for S {
    async fn try_lock(
        &self,
        name: &str,
        owner: &str,
        until: Millis,
        now: Millis,
    ) -> Result<bool, StoreError> {
        let taken = self
            .execute(
                "INSERT INTO job_locks (name, owner, until) VALUES ($1, $2, $3) \
                 ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, until = excluded.until \
                 WHERE job_locks.until < $4 OR job_locks.owner = excluded.owner",
                params![name, owner, until, now],
            )
            .await?;
        Ok(taken == 1)
    }

    async fn unlock(&self, name: &str, owner: &str) -> Result<(), StoreError> {
        self.execute(
            "DELETE FROM job_locks WHERE name = $1 AND owner = $2",
            params![name, owner],
        )
        .await
        .map(drop)
    }
}

/// Runs `work` holding the lock `name` for `owner` (for `ttl_ms` from `now`
/// at the most), then releases it, whatever `work` returned: an error or an
/// early return (`?`) inside it releases the lock too. `Ok(None)` when
/// someone else holds the lock; then `work` does not run. A lock that cannot
/// be released is logged, and expires by itself after `ttl_ms`; so does the
/// lock of work that is cancelled (dropped) half-way.
pub async fn locked<L, T>(
    locks: &L,
    name: &str,
    owner: &str,
    now: Millis,
    ttl_ms: i64,
    work: impl Future<Output = T>,
) -> Result<Option<T>, StoreError>
where
    L: Locks + ?Sized,
{
    if !locks.try_lock(name, owner, now + ttl_ms, now).await? {
        return Ok(None);
    }
    let result = work.await;
    if let Err(e) = locks.unlock(name, owner).await {
        tracing::warn!(lock = name, error = %e, "could not release a lock; it expires by itself");
    }
    Ok(Some(result))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{SqliteStore, Store};

    /// Work that returns early with `?`.
    async fn failing() -> Result<u32, String> {
        let n: u32 = "not a number"
            .parse()
            .map_err(|_| "parse failed".to_string())?;
        Ok(n + 1)
    }

    #[tokio::test]
    async fn an_error_inside_releases_the_lock() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("o.db")).await.unwrap();
        let ran = locked(&store, "job", "a", 0, 60_000, failing())
            .await
            .unwrap();
        assert_eq!(ran, Some(Err("parse failed".to_string())));
        // Released: another owner takes it at once, long before it expires.
        assert!(store.try_lock("job", "b", 60_000, 1).await.unwrap());
        // Held: the work does not run.
        let busy = locked(&store, "job", "a", 2, 60_000, async { 1 }).await;
        assert_eq!(busy.unwrap(), None);
        store.unlock("job", "b").await.unwrap();
        let free = locked(&store, "job", "a", 3, 60_000, async { 1 }).await;
        assert_eq!(free.unwrap(), Some(1));
        assert!(store.try_lock("job", "c", 60_000, 4).await.unwrap());
        store.close().await;
    }
}
