//! The sightings: whom orgradar saw, when, and for which notice channels.
//! Storing one also adds it to the dashboard's rollups and its topics.

use super::StoreError;
use super::insights::rollups;
use super::sql::{Param, Sql, Step, first_text, params, parse_sightings};
use super::topics;
use crate::sighting::Sighting;
use crate::time::Millis;
use async_trait::async_trait;

#[async_trait]
pub trait Sightings: Send + Sync {
    /// Stores a sighting and the channels it was for; a second call for the
    /// same delivery changes nothing.
    async fn record_sighting(
        &self,
        sighting: &Sighting,
        channels: &[String],
    ) -> Result<(), StoreError>;

    /// Whether no sighting of `group_key` came before the one at `at` of
    /// `delivery_id`.
    async fn first_sighting(
        &self,
        group_key: &str,
        at: Millis,
        delivery_id: &str,
    ) -> Result<bool, StoreError>;

    /// The sightings for `channel` in `[from, to)`, oldest first.
    async fn channel_sightings(
        &self,
        channel: &str,
        from: Millis,
        to: Millis,
    ) -> Result<Vec<Sighting>, StoreError>;
}

const INSERT: &str = "INSERT INTO sightings (delivery_id, at, group_key, account, organization, \
     tier, login, repository, event, url, data, name) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
     ON CONFLICT (delivery_id) DO NOTHING";

const ROUTE: &str = "INSERT INTO sighting_channels (channel, at, delivery_id) VALUES ($1, $2, $3) \
     ON CONFLICT DO NOTHING";

/// The statements that store a sighting: the sighting; when it is new, its
/// rollups and topics; and its channels.
fn record_steps(s: &Sighting, channels: &[String]) -> Result<Vec<Step>, StoreError> {
    let data = serde_json::to_string(s)?;
    let mut steps = vec![Step::new(
        INSERT,
        params![
            &s.delivery_id,
            s.at,
            s.group_key(),
            &s.account,
            &s.organization,
            &s.tier,
            &s.login,
            &s.repository,
            s.event.as_str(),
            &s.url,
            data,
            s.group_name()
        ],
    )];
    let new = rollups::record(s).into_iter().chain(topics::record(s));
    steps.extend(new.map(|step| step.after(0)));
    steps.extend(channels.iter().map(|channel| {
        Step::new(
            ROUTE,
            vec![
                Param::from(channel),
                Param::Int(s.at),
                Param::from(&s.delivery_id),
            ],
        )
    }));
    Ok(steps)
}

#[async_trait]
impl<S: Sql> Sightings for S {
    async fn record_sighting(&self, s: &Sighting, channels: &[String]) -> Result<(), StoreError> {
        self.transaction(record_steps(s, channels)?).await.map(drop)
    }

    async fn first_sighting(
        &self,
        group_key: &str,
        at: Millis,
        delivery_id: &str,
    ) -> Result<bool, StoreError> {
        let earlier = self
            .row(
                "SELECT 1 FROM sightings WHERE group_key = $1 \
                 AND (at < $2 OR (at = $2 AND delivery_id < $3)) LIMIT 1",
                params![group_key, at, delivery_id],
                |_| Ok(()),
            )
            .await?;
        Ok(earlier.is_none())
    }

    async fn channel_sightings(
        &self,
        channel: &str,
        from: Millis,
        to: Millis,
    ) -> Result<Vec<Sighting>, StoreError> {
        let rows = self
            .rows(
                "SELECT s.data FROM sighting_channels c JOIN sightings s ON s.delivery_id = c.delivery_id \
                 WHERE c.channel = $1 AND c.at >= $2 AND c.at < $3 ORDER BY c.at, c.delivery_id"
                    .to_string(),
                params![channel, from, to],
                first_text,
            )
            .await?;
        Ok(parse_sightings(rows))
    }
}
