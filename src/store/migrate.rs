//! Schema migrations, embedded in the binary and applied in order at start-up.

use super::StoreError;
use crate::time::now_ms;
use rusqlite::Connection;
use std::collections::BTreeSet;

/// (version, name, SQL). The SQL runs on SQLite and PostgreSQL alike,
/// except for the versions in [`POSTGRES_ONLY`].
pub const MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "deliveries",
        include_str!("../../migrations/0001_deliveries.sql"),
    ),
    (
        2,
        "recovery",
        include_str!("../../migrations/0002_recovery.sql"),
    ),
    (
        3,
        "actors",
        include_str!("../../migrations/0003_actors.sql"),
    ),
    (
        4,
        "actions",
        include_str!("../../migrations/0004_actions.sql"),
    ),
    (
        5,
        "insights",
        include_str!("../../migrations/0005_insights.sql"),
    ),
    (
        6,
        "insights_events",
        include_str!("../../migrations/0006_insights_events.sql"),
    ),
    (
        7,
        "tier_statistics",
        include_str!("../../migrations/0007_tier_statistics.sql"),
    ),
    (
        8,
        "priority",
        include_str!("../../migrations/0008_priority.sql"),
    ),
    (
        9,
        "dashboard_sessions",
        include_str!("../../migrations/0009_dashboard_sessions.sql"),
    ),
    (
        10,
        "intent",
        include_str!("../../migrations/0010_intent.sql"),
    ),
    (
        11,
        "people",
        include_str!("../../migrations/0011_people.sql"),
    ),
];

/// Versions that only PostgreSQL runs; SQLite records them as applied.
/// 7: statistics for PostgreSQL's planner. SQLite's planner, which keeps
/// none by default, would read those indexes instead of the day-ordered one,
/// and be slower for it.
const POSTGRES_ONLY: &[i64] = &[7];

/// Refuses a database migrated by a newer orgradar. Versions are applied
/// by which are missing, not by the highest one: numbers are reserved by
/// changes made side by side, so one may land after a higher one (9 after
/// 10) and must still run.
fn check_not_newer(applied: &BTreeSet<i64>) -> Result<(), StoreError> {
    match applied.last() {
        Some(&found) if found > latest() => Err(StoreError::SchemaTooNew {
            found,
            known: latest(),
        }),
        _ => Ok(()),
    }
}

/// The newest schema version this build knows.
pub fn latest() -> i64 {
    MIGRATIONS.last().map(|m| m.0).unwrap_or(0)
}

/// What a migration run did: the versions it applied, and the version the store is at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migrated {
    pub applied: Vec<i64>,
    pub version: i64,
}

impl std::fmt::Display for Migrated {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.applied.is_empty() {
            return write!(f, "the store is up to date at version {}", self.version);
        }
        let list: Vec<String> = self.applied.iter().map(i64::to_string).collect();
        let s = if self.applied.len() == 1 { "" } else { "s" };
        write!(
            f,
            "applied migration{s} {}; the store is at version {}",
            list.join(", "),
            self.version
        )
    }
}

/// Applies the migrations a SQLite database lacks, each in its own
/// transaction; returns the versions it applied.
pub fn sqlite(conn: &mut Connection) -> Result<Vec<i64>, StoreError> {
    let db = StoreError::from;
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
            version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
    )
    .map_err(db)?;
    let applied: BTreeSet<i64> = conn
        .prepare("SELECT version FROM schema_migrations")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .map_err(db)?;
    check_not_newer(&applied)?;
    let mut done = Vec::new();
    for (version, name, sql) in MIGRATIONS.iter().filter(|m| !applied.contains(&m.0)) {
        let tx = conn.transaction().map_err(db)?;
        if !POSTGRES_ONLY.contains(version) {
            tx.execute_batch(sql).map_err(db)?;
        }
        tx.execute(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)",
            rusqlite::params![version, name, now_ms()],
        )
        .map_err(db)?;
        tx.commit().map_err(db)?;
        tracing::info!(version, name, "applied schema migration");
        done.push(*version);
    }
    Ok(done)
}

/// Applies the migrations a PostgreSQL database lacks, in one transaction
/// that holds an advisory lock, so instances starting together migrate
/// once; returns the versions it applied.
pub async fn postgres(pool: &sqlx::PgPool) -> Result<Vec<i64>, StoreError> {
    let db = StoreError::from;
    let mut tx = pool.begin().await.map_err(db)?;
    sqlx::query("SELECT pg_advisory_xact_lock(724510901)")
        .execute(&mut *tx)
        .await
        .map_err(db)?;
    sqlx::raw_sql(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
            version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
    )
    .execute(&mut *tx)
    .await
    .map_err(db)?;
    let done: Vec<i64> = sqlx::query_scalar("SELECT version FROM schema_migrations")
        .fetch_all(&mut *tx)
        .await
        .map_err(db)?;
    let done: BTreeSet<i64> = done.into_iter().collect();
    check_not_newer(&done)?;
    let mut applied = Vec::new();
    for (version, name, sql) in MIGRATIONS.iter().filter(|m| !done.contains(&m.0)) {
        applied.push(*version);
        sqlx::raw_sql(sql).execute(&mut *tx).await.map_err(db)?;
        sqlx::query(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
        )
        .bind(version)
        .bind(name)
        .bind(now_ms())
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        tracing::info!(version, name, "applied schema migration");
    }
    tx.commit().await.map_err(db)?;
    if !applied.is_empty() {
        // New indexes and tables: the planner's statistics now, not at the
        // next automatic ANALYZE.
        sqlx::raw_sql("ANALYZE").execute(pool).await.map_err(db)?;
    }
    Ok(applied)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_event_rollups_are_built_from_the_stored_sightings() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, \
             applied_at BIGINT NOT NULL)",
        )
        .unwrap();
        for (version, name, sql) in &MIGRATIONS[..5] {
            conn.execute_batch(sql).unwrap();
            conn.execute(
                "INSERT INTO schema_migrations VALUES (?1, ?2, 0)",
                rusqlite::params![version, name],
            )
            .unwrap();
        }
        conn.execute_batch(
            "INSERT INTO sightings (delivery_id, at, group_key, account, organization, tier, \
             login, repository, event, url, data, name) VALUES \
             ('a', 86400001, 'org:acme', NULL, 'acme', NULL, 'ann', 'r/x', 'fork', 'u', '{}', 'acme'), \
             ('b', 86400009, 'org:acme', NULL, 'acme', NULL, 'ann', 'r/x', 'fork', 'u', '{}', 'acme'), \
             ('c', 3 * 86400000, 'org:acme', NULL, 'acme', 'Gold', 'ann', 'r/x', 'fork', 'u', '{}', 'acme'); \
             UPDATE group_people SET first_at = 0;",
        )
        .unwrap();
        sqlite(&mut conn).unwrap();
        let days: Vec<(i64, String, i64, i64, i64)> = conn
            .prepare("SELECT day, tier, sightings, first_at, last_at FROM event_days ORDER BY day")
            .unwrap()
            .query_map([], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            days,
            [
                (1, String::new(), 2, 86_400_001, 86_400_009),
                (3, "Gold".into(), 1, 259_200_000, 259_200_000)
            ]
        );
        let people: i64 = conn
            .query_row("SELECT COUNT(*) FROM person_events", [], |r| r.get(0))
            .unwrap();
        assert_eq!(people, 2);
        let first: i64 = conn
            .query_row("SELECT first_at FROM group_people", [], |r| r.get(0))
            .unwrap();
        assert_eq!(first, 86_400_001, "set again from the sightings");
    }

    #[test]
    fn the_report_says_what_was_applied_or_that_nothing_was() {
        let mut conn = Connection::open_in_memory().unwrap();
        assert_eq!(
            sqlite(&mut conn).unwrap(),
            MIGRATIONS.iter().map(|m| m.0).collect::<Vec<_>>()
        );
        assert_eq!(sqlite(&mut conn).unwrap(), Vec::<i64>::new());
        let report = |applied: Vec<i64>| {
            Migrated {
                applied,
                version: 10,
            }
            .to_string()
        };
        assert_eq!(
            report(vec![9, 10]),
            "applied migrations 9, 10; the store is at version 10"
        );
        assert_eq!(report(vec![]), "the store is up to date at version 10");
    }

    #[test]
    fn a_missing_version_below_the_highest_is_still_applied() {
        let mut conn = Connection::open_in_memory().unwrap();
        sqlite(&mut conn).unwrap();
        // As if 10 had been applied by a build that did not know 8 yet.
        conn.execute_batch(
            "DELETE FROM schema_migrations WHERE version = 8; \
             DROP INDEX deliveries_due; \
             CREATE INDEX deliveries_due ON deliveries (status, next_attempt_at); \
             ALTER TABLE deliveries DROP COLUMN priority;",
        )
        .unwrap();
        sqlite(&mut conn).unwrap();
        let versions: Vec<i64> = conn
            .prepare("SELECT version FROM schema_migrations ORDER BY version")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(versions, MIGRATIONS.iter().map(|m| m.0).collect::<Vec<_>>());
        conn.execute("UPDATE deliveries SET priority = 1", [])
            .unwrap();
    }

    #[test]
    fn sqlite_records_the_postgres_only_versions_without_running_them() {
        let mut conn = Connection::open_in_memory().unwrap();
        sqlite(&mut conn).unwrap();
        let version: i64 = conn
            .query_row("SELECT MAX(version) FROM schema_migrations", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(version, latest());
        let tier_indexes: i64 = conn
            .query_row(
                "SELECT COUNT(*) FROM sqlite_master WHERE name IN ('group_days_tier', 'event_days_tier')",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(
            tier_indexes, 0,
            "PostgreSQL's statistics indexes stay off SQLite"
        );
        sqlite(&mut conn).unwrap();
    }
}
