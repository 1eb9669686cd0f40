//! The intent topics of stored sightings on PostgreSQL.

use super::{PostgresStore, db};
use crate::sighting::Sighting;
use crate::store::StoreError;
use crate::store::ledger::parse_sighting;
use crate::store::topics::{ASKING, ASKING_LIMIT, INSERT_TOPIC, NEW_GROUPS, Topics};
use crate::time::Millis;
use async_trait::async_trait;
use std::collections::BTreeSet;

/// Stores the topics of a newly stored sighting.
pub(super) async fn record_topics(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    s: &Sighting,
) -> Result<(), StoreError> {
    let (key, tier) = (s.group_key(), s.tier.as_deref().unwrap_or(""));
    for i in &s.intent {
        sqlx::query(INSERT_TOPIC)
            .bind(&s.delivery_id)
            .bind(&i.topic)
            .bind(&i.phrase)
            .bind(i.source.as_str())
            .bind(s.at)
            .bind(&key)
            .bind(tier)
            .execute(&mut **tx)
            .await
            .map_err(db)?;
    }
    Ok(())
}

#[async_trait]
impl Topics for PostgresStore {
    async fn asking(&self, from: Millis, to: Millis) -> Result<Vec<Sighting>, StoreError> {
        let rows: Vec<String> = sqlx::query_scalar(ASKING)
            .bind(from)
            .bind(to)
            .bind(ASKING_LIMIT)
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        Ok(rows.iter().filter_map(|d| parse_sighting(d)).collect())
    }

    async fn new_groups(&self, from: Millis) -> Result<BTreeSet<String>, StoreError> {
        let rows: Vec<String> = sqlx::query_scalar(NEW_GROUPS)
            .bind(from)
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        Ok(rows.into_iter().collect())
    }
}
