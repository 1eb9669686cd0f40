//! The action ledger and sightings on SQLite.

use super::SqliteStore;
use crate::sighting::{EventKind, Sighting};
use crate::store::insights_query::{
    DAY, PURGE_ROLLUPS, UPSERT_EVENT_DAY, UPSERT_FACET_DAY, UPSERT_GROUP_DAY, UPSERT_PERSON,
    UPSERT_PERSON_EVENT, for_sqlite, parameters,
};
use crate::store::ledger::parse_sighting;
use crate::store::topics::PURGE_TOPICS;
use crate::store::{ActionRecord, ActionState, Ledger, Purged, StoreError};
use crate::time::Millis;
use async_trait::async_trait;
use rusqlite::{Connection, OptionalExtension, params, params_from_iter};
use std::collections::HashMap;

#[async_trait]
impl Ledger for SqliteStore {
    async fn actions(
        &self,
        delivery_id: &str,
    ) -> Result<HashMap<String, ActionRecord>, StoreError> {
        let id = delivery_id.to_string();
        self.read(move |conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT action, state, detail FROM actions WHERE delivery_id = ?1",
            )?;
            let rows = stmt.query_map([&id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                ))
            })?;
            let mut out = HashMap::new();
            for row in rows {
                let (action, state, detail) = row?;
                let state = ActionState::parse(&state).unwrap_or(ActionState::Started);
                out.insert(action, ActionRecord { state, detail });
            }
            Ok(out)
        })
        .await
    }

    async fn record_action(
        &self,
        delivery_id: &str,
        action: &str,
        record: ActionRecord,
        now: Millis,
    ) -> Result<(), StoreError> {
        let (id, action) = (delivery_id.to_string(), action.to_string());
        self.write_statement(move |conn| {
            conn.prepare_cached(
                "INSERT INTO actions (delivery_id, action, state, detail, updated_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (delivery_id, action) DO UPDATE \
                 SET state = excluded.state, detail = excluded.detail, updated_at = excluded.updated_at",
            )?
            .execute(params![id, action, record.state.as_str(), record.detail, now])?;
            Ok(())
        })
        .await
    }

    async fn take_throttle(
        &self,
        channel: &str,
        group_key: &str,
        delivery_id: &str,
        until: Millis,
        now: Millis,
    ) -> Result<bool, StoreError> {
        let (channel, key, id) = (
            channel.to_string(),
            group_key.to_string(),
            delivery_id.to_string(),
        );
        self.write_statement(move |conn| {
            let n = conn
                .prepare_cached(
                    "INSERT INTO throttle (channel, group_key, delivery_id, until) \
                     VALUES (?1, ?2, ?3, ?4) ON CONFLICT (channel, group_key) DO UPDATE \
                     SET delivery_id = excluded.delivery_id, until = excluded.until \
                     WHERE throttle.until <= ?5 OR throttle.delivery_id = excluded.delivery_id",
                )?
                .execute(params![channel, key, id, until, now])?;
            Ok(n == 1)
        })
        .await
    }

    async fn give_back_throttle(
        &self,
        channel: &str,
        group_key: &str,
        delivery_id: &str,
    ) -> Result<(), StoreError> {
        let (channel, key, id) = (
            channel.to_string(),
            group_key.to_string(),
            delivery_id.to_string(),
        );
        self.write_statement(move |conn| {
            conn.execute(
                "DELETE FROM throttle WHERE channel = ?1 AND group_key = ?2 AND delivery_id = ?3",
                params![channel, key, id],
            )?;
            Ok(())
        })
        .await
    }

    async fn record_sighting(
        &self,
        sighting: &Sighting,
        channels: &[String],
    ) -> Result<(), StoreError> {
        let data = serde_json::to_string(sighting)
            .map_err(|e| StoreError::Database(format!("cannot encode a sighting: {e}")))?;
        let (s, channels) = (sighting.clone(), channels.to_vec());
        self.write(move |conn| {
            let name = s.group_name();
            let inserted = conn
                .prepare_cached(
                    "INSERT INTO sightings (delivery_id, at, group_key, account, organization, tier, \
                     login, repository, event, url, data, name) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) \
                     ON CONFLICT (delivery_id) DO NOTHING",
                )?
                .execute(params![
                    s.delivery_id,
                    s.at,
                    s.group_key(),
                    s.account,
                    s.organization,
                    s.tier,
                    s.login,
                    s.repository,
                    s.event.as_str(),
                    s.url,
                    data,
                    name
                ])?;
            if inserted == 1 {
                roll_up(conn, &s)?;
                super::topics::record_topics(conn, &s)?;
            }
            let mut route = conn.prepare_cached(
                "INSERT INTO sighting_channels (channel, at, delivery_id) VALUES (?1, ?2, ?3) \
                 ON CONFLICT DO NOTHING",
            )?;
            for channel in &channels {
                route.execute(params![channel, s.at, s.delivery_id])?;
            }
            Ok(())
        })
        .await
    }

    async fn first_sighting(
        &self,
        group_key: &str,
        at: Millis,
        delivery_id: &str,
    ) -> Result<bool, StoreError> {
        let (key, id) = (group_key.to_string(), delivery_id.to_string());
        self.read(move |conn| {
            let earlier = conn
                .prepare_cached(
                    "SELECT 1 FROM sightings WHERE group_key = ?1 \
                     AND (at < ?2 OR (at = ?2 AND delivery_id < ?3)) LIMIT 1",
                )?
                .exists(params![key, at, id])?;
            Ok(!earlier)
        })
        .await
    }

    async fn channel_sightings(
        &self,
        channel: &str,
        from: Millis,
        to: Millis,
    ) -> Result<Vec<Sighting>, StoreError> {
        let channel = channel.to_string();
        self.read(move |conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT s.data FROM sighting_channels c JOIN sightings s ON s.delivery_id = c.delivery_id \
                 WHERE c.channel = ?1 AND c.at >= ?2 AND c.at < ?3 ORDER BY c.at, c.delivery_id",
            )?;
            let rows = stmt.query_map(params![channel, from, to], |r| r.get::<_, String>(0))?;
            let mut out = Vec::new();
            for data in rows {
                out.extend(parse_sighting(&data?));
            }
            Ok(out)
        })
        .await
    }

    async fn tracking_issue(
        &self,
        repository: &str,
        group_key: &str,
    ) -> Result<Option<u64>, StoreError> {
        let (repo, key) = (repository.to_lowercase(), group_key.to_string());
        self.read(move |conn| {
            conn.prepare_cached(
                "SELECT number FROM tracking_issues WHERE repository = ?1 AND group_key = ?2",
            )?
            .query_row(params![repo, key], |r| r.get::<_, i64>(0))
            .optional()
            .map(|n| n.map(|n| n as u64))
        })
        .await
    }

    async fn set_tracking_issue(
        &self,
        repository: &str,
        group_key: &str,
        number: u64,
    ) -> Result<(), StoreError> {
        let (repo, key) = (repository.to_lowercase(), group_key.to_string());
        self.write_statement(move |conn| {
            conn.execute(
                "INSERT INTO tracking_issues (repository, group_key, number) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (repository, group_key) DO UPDATE SET number = excluded.number",
                params![repo, key, number as i64],
            )?;
            Ok(())
        })
        .await
    }

    async fn purge(&self, before: Millis) -> Result<Purged, StoreError> {
        self.write(move |conn| {
            conn.execute("DELETE FROM sighting_channels WHERE at < ?1", [before])?;
            conn.execute(&for_sqlite(PURGE_TOPICS), [before])?;
            let sightings = conn.execute("DELETE FROM sightings WHERE at < ?1", [before])? as u64;
            let day = before.div_euclid(DAY);
            for sql in PURGE_ROLLUPS {
                conn.execute(
                    &for_sqlite(sql),
                    params_from_iter(
                        [before, day * DAY, (day + 1) * DAY, day]
                            .into_iter()
                            .take(parameters(sql)),
                    ),
                )?;
            }
            let actions =
                conn.execute("DELETE FROM actions WHERE updated_at < ?1", [before])? as u64;
            conn.execute("DELETE FROM throttle WHERE until < ?1", [before])?;
            let deliveries = conn.execute(
                "DELETE FROM deliveries WHERE status IN ('done', 'dead') AND updated_at < ?1",
                [before],
            )? as u64;
            Ok(Purged {
                sightings,
                actions,
                deliveries,
            })
        })
        .await
    }
}

/// Adds a newly stored sighting to the dashboard's rollups.
fn roll_up(conn: &Connection, s: &Sighting) -> rusqlite::Result<()> {
    let (day, tier) = (s.at.div_euclid(DAY), s.tier.as_deref().unwrap_or(""));
    let (key, name) = (s.group_key(), s.group_name());
    let one = |kind: EventKind| i64::from(s.event == kind);
    conn.prepare_cached(&for_sqlite(UPSERT_GROUP_DAY))?
        .execute(params![
            day,
            key,
            tier,
            name,
            s.account,
            one(EventKind::IssueOpened),
            one(EventKind::PullRequestOpened),
            one(EventKind::DiscussionCreated),
            one(EventKind::IssueCommentCreated),
            one(EventKind::StarCreated),
            one(EventKind::Fork),
            s.at
        ])?;
    conn.prepare_cached(&for_sqlite(UPSERT_FACET_DAY))?
        .execute(params![day, s.repository, tier])?;
    conn.prepare_cached(&for_sqlite(UPSERT_PERSON))?
        .execute(params![key, s.login, s.at])?;
    conn.prepare_cached(&for_sqlite(UPSERT_EVENT_DAY))?
        .execute(params![
            s.event.as_str(),
            day,
            key,
            tier,
            name,
            s.account,
            s.at
        ])?;
    conn.prepare_cached(&for_sqlite(UPSERT_PERSON_EVENT))?
        .execute(params![key, s.login, tier, s.event.as_str(), s.at])?;
    Ok(())
}
