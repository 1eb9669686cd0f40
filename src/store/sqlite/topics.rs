//! The intent topics of stored sightings on SQLite.

use super::SqliteStore;
use crate::sighting::Sighting;
use crate::store::StoreError;
use crate::store::insights_query::for_sqlite;
use crate::store::ledger::parse_sighting;
use crate::store::topics::{ASKING, ASKING_LIMIT, INSERT_TOPIC, NEW_GROUPS, Topics};
use crate::time::Millis;
use async_trait::async_trait;
use rusqlite::{Connection, params};
use std::collections::BTreeSet;

/// Stores the topics of a newly stored sighting.
pub(super) fn record_topics(conn: &Connection, s: &Sighting) -> rusqlite::Result<()> {
    let (key, tier) = (s.group_key(), s.tier.as_deref().unwrap_or(""));
    let mut insert = conn.prepare_cached(&for_sqlite(INSERT_TOPIC))?;
    for i in &s.intent {
        insert.execute(params![
            s.delivery_id,
            i.topic,
            i.phrase,
            i.source.as_str(),
            s.at,
            key,
            tier
        ])?;
    }
    Ok(())
}

#[async_trait]
impl Topics for SqliteStore {
    async fn asking(&self, from: Millis, to: Millis) -> Result<Vec<Sighting>, StoreError> {
        self.read(move |conn| {
            let mut stmt = conn.prepare_cached(&for_sqlite(ASKING))?;
            let rows =
                stmt.query_map(params![from, to, ASKING_LIMIT], |r| r.get::<_, String>(0))?;
            let mut out = Vec::new();
            for data in rows {
                out.extend(parse_sighting(&data?));
            }
            Ok(out)
        })
        .await
    }

    async fn new_groups(&self, from: Millis) -> Result<BTreeSet<String>, StoreError> {
        self.read(move |conn| {
            let mut stmt = conn.prepare_cached(&for_sqlite(NEW_GROUPS))?;
            let rows = stmt.query_map(params![from], |r| r.get::<_, String>(0))?;
            rows.collect()
        })
        .await
    }
}
