//! The action ledger and sightings on PostgreSQL. Unique keys make every
//! write safe to repeat, and throttle slots are taken atomically, so several
//! instances never notify a group twice in one window.

use super::{PostgresStore, db};
use crate::sighting::{EventKind, Sighting};
use crate::store::insights_query::{
    DAY, PURGE_ROLLUPS, UPSERT_EVENT_DAY, UPSERT_FACET_DAY, UPSERT_GROUP_DAY, UPSERT_PERSON,
    UPSERT_PERSON_EVENT, parameters,
};
use crate::store::ledger::parse_sighting;
use crate::store::topics::PURGE_TOPICS;
use crate::store::{ActionRecord, ActionState, Ledger, Purged, StoreError};
use crate::time::Millis;
use async_trait::async_trait;
use sqlx::Row;
use std::collections::HashMap;

#[async_trait]
impl Ledger for PostgresStore {
    async fn actions(
        &self,
        delivery_id: &str,
    ) -> Result<HashMap<String, ActionRecord>, StoreError> {
        let rows = sqlx::query("SELECT action, state, detail FROM actions WHERE delivery_id = $1")
            .bind(delivery_id)
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        let mut out = HashMap::new();
        for row in rows {
            let state: String = row.try_get(1).map_err(db)?;
            out.insert(
                row.try_get::<String, _>(0).map_err(db)?,
                ActionRecord {
                    state: ActionState::parse(&state).unwrap_or(ActionState::Started),
                    detail: row.try_get(2).map_err(db)?,
                },
            );
        }
        Ok(out)
    }

    async fn record_action(
        &self,
        delivery_id: &str,
        action: &str,
        record: ActionRecord,
        now: Millis,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO actions (delivery_id, action, state, detail, updated_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (delivery_id, action) DO UPDATE \
             SET state = excluded.state, detail = excluded.detail, updated_at = excluded.updated_at",
        )
        .bind(delivery_id)
        .bind(action)
        .bind(record.state.as_str())
        .bind(record.detail)
        .bind(now)
        .execute(&self.pool)
        .await
        .map_err(db)?;
        Ok(())
    }

    async fn take_throttle(
        &self,
        channel: &str,
        group_key: &str,
        delivery_id: &str,
        until: Millis,
        now: Millis,
    ) -> Result<bool, StoreError> {
        let taken = sqlx::query(
            "INSERT INTO throttle (channel, group_key, delivery_id, until) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (channel, group_key) DO UPDATE \
             SET delivery_id = excluded.delivery_id, until = excluded.until \
             WHERE throttle.until <= $5 OR throttle.delivery_id = excluded.delivery_id",
        )
        .bind(channel)
        .bind(group_key)
        .bind(delivery_id)
        .bind(until)
        .bind(now)
        .execute(&self.pool)
        .await
        .map_err(db)?
        .rows_affected();
        Ok(taken == 1)
    }

    async fn give_back_throttle(
        &self,
        channel: &str,
        group_key: &str,
        delivery_id: &str,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "DELETE FROM throttle WHERE channel = $1 AND group_key = $2 AND delivery_id = $3",
        )
        .bind(channel)
        .bind(group_key)
        .bind(delivery_id)
        .execute(&self.pool)
        .await
        .map_err(db)?;
        Ok(())
    }

    async fn record_sighting(&self, s: &Sighting, channels: &[String]) -> Result<(), StoreError> {
        let data = serde_json::to_string(s)
            .map_err(|e| StoreError::Database(format!("cannot encode a sighting: {e}")))?;
        let mut tx = self.pool.begin().await.map_err(db)?;
        let name = s.group_name();
        let inserted = sqlx::query(
            "INSERT INTO sightings (delivery_id, at, group_key, account, organization, tier, \
             login, repository, event, url, data, name) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
             ON CONFLICT (delivery_id) DO NOTHING",
        )
        .bind(&s.delivery_id)
        .bind(s.at)
        .bind(s.group_key())
        .bind(&s.account)
        .bind(&s.organization)
        .bind(&s.tier)
        .bind(&s.login)
        .bind(&s.repository)
        .bind(s.event.as_str())
        .bind(&s.url)
        .bind(data)
        .bind(name)
        .execute(&mut *tx)
        .await
        .map_err(db)?
        .rows_affected();
        if inserted == 1 {
            roll_up(&mut tx, s).await?;
            super::topics::record_topics(&mut tx, s).await?;
        }
        if !channels.is_empty() {
            sqlx::query(
                "INSERT INTO sighting_channels (channel, at, delivery_id) \
                 SELECT c, $2, $3 FROM UNNEST($1::text[]) AS c ON CONFLICT DO NOTHING",
            )
            .bind(channels)
            .bind(s.at)
            .bind(&s.delivery_id)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        }
        tx.commit().await.map_err(db)
    }

    async fn first_sighting(
        &self,
        group_key: &str,
        at: Millis,
        delivery_id: &str,
    ) -> Result<bool, StoreError> {
        let earlier: Option<i32> = sqlx::query_scalar(
            "SELECT 1 FROM sightings WHERE group_key = $1 \
             AND (at < $2 OR (at = $2 AND delivery_id < $3)) LIMIT 1",
        )
        .bind(group_key)
        .bind(at)
        .bind(delivery_id)
        .fetch_optional(&self.pool)
        .await
        .map_err(db)?;
        Ok(earlier.is_none())
    }

    async fn channel_sightings(
        &self,
        channel: &str,
        from: Millis,
        to: Millis,
    ) -> Result<Vec<Sighting>, StoreError> {
        let rows: Vec<String> = sqlx::query_scalar(
            "SELECT s.data FROM sighting_channels c JOIN sightings s ON s.delivery_id = c.delivery_id \
             WHERE c.channel = $1 AND c.at >= $2 AND c.at < $3 ORDER BY c.at, c.delivery_id",
        )
        .bind(channel)
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        Ok(rows.iter().filter_map(|d| parse_sighting(d)).collect())
    }

    async fn tracking_issue(
        &self,
        repository: &str,
        group_key: &str,
    ) -> Result<Option<u64>, StoreError> {
        let n: Option<i64> = sqlx::query_scalar(
            "SELECT number FROM tracking_issues WHERE repository = $1 AND group_key = $2",
        )
        .bind(repository.to_lowercase())
        .bind(group_key)
        .fetch_optional(&self.pool)
        .await
        .map_err(db)?;
        Ok(n.map(|n| n as u64))
    }

    async fn set_tracking_issue(
        &self,
        repository: &str,
        group_key: &str,
        number: u64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO tracking_issues (repository, group_key, number) VALUES ($1, $2, $3) \
             ON CONFLICT (repository, group_key) DO UPDATE SET number = excluded.number",
        )
        .bind(repository.to_lowercase())
        .bind(group_key)
        .bind(number as i64)
        .execute(&self.pool)
        .await
        .map_err(db)?;
        Ok(())
    }

    async fn purge(&self, before: Millis) -> Result<Purged, StoreError> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        let mut run = async |sql: &str| -> Result<u64, StoreError> {
            Ok(sqlx::query(sql)
                .bind(before)
                .execute(&mut *tx)
                .await
                .map_err(db)?
                .rows_affected())
        };
        run("DELETE FROM sighting_channels WHERE at < $1").await?;
        run(PURGE_TOPICS).await?;
        let sightings = run("DELETE FROM sightings WHERE at < $1").await?;
        let actions = run("DELETE FROM actions WHERE updated_at < $1").await?;
        run("DELETE FROM throttle WHERE until < $1").await?;
        let deliveries =
            run("DELETE FROM deliveries WHERE status IN ('done', 'dead') AND updated_at < $1")
                .await?;
        let day = before.div_euclid(DAY);
        for sql in PURGE_ROLLUPS {
            let mut query = sqlx::query(sql);
            for value in [before, day * DAY, (day + 1) * DAY, day]
                .into_iter()
                .take(parameters(sql))
            {
                query = query.bind(value);
            }
            query.execute(&mut *tx).await.map_err(db)?;
        }
        tx.commit().await.map_err(db)?;
        Ok(Purged {
            sightings,
            actions,
            deliveries,
        })
    }
}

/// Adds a newly stored sighting to the dashboard's rollups.
async fn roll_up(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    s: &Sighting,
) -> Result<(), StoreError> {
    let (day, tier) = (s.at.div_euclid(DAY), s.tier.as_deref().unwrap_or(""));
    let (key, name) = (s.group_key(), s.group_name());
    let one = |kind: EventKind| i64::from(s.event == kind);
    sqlx::query(UPSERT_GROUP_DAY)
        .bind(day)
        .bind(&key)
        .bind(tier)
        .bind(name)
        .bind(&s.account)
        .bind(one(EventKind::IssueOpened))
        .bind(one(EventKind::PullRequestOpened))
        .bind(one(EventKind::DiscussionCreated))
        .bind(one(EventKind::IssueCommentCreated))
        .bind(one(EventKind::StarCreated))
        .bind(one(EventKind::Fork))
        .bind(s.at)
        .execute(&mut **tx)
        .await
        .map_err(db)?;
    sqlx::query(UPSERT_FACET_DAY)
        .bind(day)
        .bind(&s.repository)
        .bind(tier)
        .execute(&mut **tx)
        .await
        .map_err(db)?;
    sqlx::query(UPSERT_PERSON)
        .bind(&key)
        .bind(&s.login)
        .bind(s.at)
        .execute(&mut **tx)
        .await
        .map_err(db)?;
    sqlx::query(UPSERT_EVENT_DAY)
        .bind(s.event.as_str())
        .bind(day)
        .bind(&key)
        .bind(tier)
        .bind(name)
        .bind(&s.account)
        .bind(s.at)
        .execute(&mut **tx)
        .await
        .map_err(db)?;
    sqlx::query(UPSERT_PERSON_EVENT)
        .bind(&key)
        .bind(&s.login)
        .bind(tier)
        .bind(s.event.as_str())
        .bind(s.at)
        .execute(&mut **tx)
        .await
        .map_err(db)?;
    Ok(())
}
