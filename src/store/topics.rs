//! The intent topics of stored sightings, for the dashboard's product view,
//! the account scores and the product digest. Part of every
//! [`Store`](super::Store); both stores run the same SQL (written with `$N`).

use super::StoreError;
use super::sql::parse_sightings;
use super::sql::{Sql, Step, first_text, params};
use crate::sighting::Sighting;
use crate::time::Millis;
use async_trait::async_trait;
use std::collections::BTreeSet;

/// How many sightings with topics a period reads at most (newest first).
pub const ASKING_LIMIT: i64 = 5000;

#[async_trait]
pub trait Topics: Send + Sync {
    /// The stored sightings in `[from, to)` that ask about a topic, newest
    /// first, at most [`ASKING_LIMIT`].
    async fn asking(&self, from: Millis, to: Millis) -> Result<Vec<Sighting>, StoreError>;

    /// The groups (`Sighting::group_key`) whose first stored sighting is at
    /// or after `from`: first contacts of a period that starts there.
    async fn new_groups(&self, from: Millis) -> Result<BTreeSet<String>, StoreError>;
}

/// `$1` delivery, `$2` topic, `$3` phrase, `$4` source, `$5` at, `$6` group, `$7` tier.
const INSERT_TOPIC: &str = "\
    INSERT INTO sighting_topics (delivery_id, topic, phrase, source, at, group_key, tier) \
    VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING";

/// `$1` the purge's cut.
pub(super) const PURGE_TOPICS: &str = "DELETE FROM sighting_topics WHERE at < $1";

/// `$1` from, `$2` to, `$3` limit.
const ASKING: &str = "\
    SELECT s.data FROM sightings s WHERE s.delivery_id IN \
    (SELECT DISTINCT delivery_id FROM sighting_topics WHERE at >= $1 AND at < $2) \
    ORDER BY s.at DESC, s.delivery_id LIMIT $3";

/// `$1` from.
const NEW_GROUPS: &str = "\
    SELECT group_key FROM group_people GROUP BY group_key HAVING MIN(first_at) >= $1";

/// The statements that store the topics of a newly stored sighting.
pub(super) fn record(s: &Sighting) -> Vec<Step> {
    let (key, tier) = (s.group_key(), s.tier.as_deref().unwrap_or(""));
    s.intent
        .iter()
        .map(|i| {
            Step::new(
                INSERT_TOPIC,
                params![
                    &s.delivery_id,
                    &i.topic,
                    &i.phrase,
                    i.source.as_str(),
                    s.at,
                    &key,
                    tier
                ],
            )
        })
        .collect()
}

#[async_trait]
impl<S: Sql> Topics for S {
    async fn asking(&self, from: Millis, to: Millis) -> Result<Vec<Sighting>, StoreError> {
        let rows = self
            .rows(
                ASKING.to_string(),
                params![from, to, ASKING_LIMIT],
                first_text,
            )
            .await?;
        Ok(parse_sightings(rows))
    }

    async fn new_groups(&self, from: Millis) -> Result<BTreeSet<String>, StoreError> {
        let rows = self
            .rows(NEW_GROUPS.to_string(), params![from], first_text)
            .await?;
        Ok(rows.into_iter().collect())
    }
}
