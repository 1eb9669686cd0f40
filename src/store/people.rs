//! What is kept about people beyond their sightings: the answers given about
//! them (corrections), the organizations they were seen at (tenures), and
//! who asked to be forgotten. See [`crate::people`].

use super::StoreError;
use super::forget::{Forgotten, SALT, login_hash};
use super::insights::recount;
use super::queue::NewDelivery;
use super::sql::{Row, Sql, Step, first_text, params, parse_sighting, parse_sightings};
use crate::people::{Correction, Sighted, Standing, Tenure, Verdict, Via};
use crate::sighting::Sighting;
use crate::time::Millis;
use async_trait::async_trait;

#[async_trait]
pub trait People: Send + Sync {
    /// Records `correction` and queues `job`, its follow-up work, in one
    /// transaction; `false` when a correction with its id was recorded
    /// before (a replayed click), and nothing is written.
    async fn correct(&self, correction: &Correction, job: &NewDelivery)
    -> Result<bool, StoreError>;

    async fn correction(&self, id: &str) -> Result<Option<Correction>, StoreError>;

    /// Every answer about `login`, oldest first.
    async fn corrections(&self, login: &str) -> Result<Vec<Correction>, StoreError>;

    /// The answer in force for each person anyone answered about, by login.
    async fn corrected(&self) -> Result<Vec<Correction>, StoreError>;

    /// Every answer given at or after `since`, oldest first.
    async fn answers_since(&self, since: Millis) -> Result<Vec<Correction>, StoreError>;

    /// What is on record about `login` before a delivery of theirs is decided.
    async fn standing(&self, login: &str) -> Result<Standing, StoreError>;

    /// Notes that `login` was seen at `tenure.key` at `tenure.last_at`.
    async fn note_tenure(&self, login: &str, tenure: &Tenure) -> Result<(), StoreError>;

    /// Drops what was noted of `login` at `key` (an answer said it was wrong).
    async fn drop_tenure(&self, login: &str, key: &str) -> Result<(), StoreError>;

    /// The organizations `login` was seen at, latest first.
    async fn tenures(&self, login: &str) -> Result<Vec<Tenure>, StoreError>;

    /// The stored sighting of delivery `delivery_id`.
    async fn sighting(&self, delivery_id: &str) -> Result<Option<Sighting>, StoreError>;

    /// The stored sightings of `login`, latest first.
    async fn person_sightings(&self, login: &str) -> Result<Vec<Sighting>, StoreError>;

    /// Replaces the stored sighting `before` by `after` (the same delivery,
    /// another account), or removes it (`None`); the dashboard's rollups
    /// are counted again for both.
    async fn resight(&self, before: &Sighting, after: Option<&Sighting>) -> Result<(), StoreError>;

    /// Erases what is kept about `login` (sightings, cached profile,
    /// answers, tenures; the payloads of their deliveries) and keeps a
    /// salted hash of the login, so that they are not collected again.
    async fn forget(&self, login: &str, now: Millis) -> Result<Forgotten, StoreError>;
}

const COLUMNS: &str =
    "id, login, verdict, account, sighting, sighted, signal, rules, by_whom, via, note, at";

fn correction_row(r: &dyn Row) -> Result<Correction, StoreError> {
    let text = |i| r.text(i);
    let bad = |column: &'static str, value: String| StoreError::UnknownValue {
        table: "corrections",
        column,
        value,
    };
    let verdict = text(2)?;
    let via = text(9)?;
    let rules = text(7)?;
    Ok(Correction {
        id: text(0)?,
        login: text(1)?,
        verdict: Verdict::parse(&verdict).ok_or_else(|| bad("verdict", verdict.clone()))?,
        account: r.opt_text(3)?,
        sighting: r.opt_text(4)?,
        sighted: Sighted {
            account: r.opt_text(5)?,
            signal: r.opt_text(6)?,
            rules: rules
                .split(',')
                .filter(|r| !r.is_empty())
                .map(str::to_string)
                .collect(),
        },
        by: text(8)?,
        via: Via::parse(&via).ok_or_else(|| bad("via", via.clone()))?,
        note: r.opt_text(10)?,
        at: r.int(11)?,
    })
}

fn tenure_row(r: &dyn Row) -> Result<Tenure, StoreError> {
    Ok(Tenure {
        key: r.text(0)?,
        name: r.text(1)?,
        account: r.opt_text(2)?,
        first_at: r.int(3)?,
        last_at: r.int(4)?,
    })
}

const INSERT_CORRECTION: &str = "INSERT INTO corrections (id, login, verdict, account, sighting, \
     sighted, signal, rules, by_whom, via, note, at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (id) DO NOTHING";

const QUEUE_JOB: &str = "INSERT INTO deliveries (id, event, action, installation_id, repository, \
     received_at, payload, status, attempts, budget_start, next_attempt_at, updated_at, priority) \
     VALUES ($1, $2, $3, NULL, $4, $5, $6, 'queued', 0, 0, $5, $5, 0) ON CONFLICT (id) DO NOTHING";

const DROP_SIGHTING: [&str; 3] = [
    "DELETE FROM sighting_channels WHERE delivery_id = $1",
    "DELETE FROM sighting_topics WHERE delivery_id = $1",
    "DELETE FROM sightings WHERE delivery_id = $1",
];

const MOVE_SIGHTING: &str = "UPDATE sightings SET group_key = $2, account = $3, organization = $4, \
     tier = $5, name = $6, data = $7 WHERE delivery_id = $1";

const MOVE_TOPICS: &str =
    "UPDATE sighting_topics SET group_key = $2, tier = $3 WHERE delivery_id = $1";

#[async_trait]
impl<S: Sql> People for S {
    async fn correct(&self, c: &Correction, job: &NewDelivery) -> Result<bool, StoreError> {
        let steps = vec![
            Step::new(
                INSERT_CORRECTION,
                params![
                    &c.id,
                    c.login.to_lowercase(),
                    c.verdict.as_str(),
                    &c.account,
                    &c.sighting,
                    &c.sighted.account,
                    &c.sighted.signal,
                    c.sighted.rules.join(","),
                    &c.by,
                    c.via.as_str(),
                    &c.note,
                    c.at
                ],
            ),
            Step::new(
                QUEUE_JOB,
                params![
                    &job.id,
                    &job.event,
                    &job.action,
                    &job.repository,
                    job.received_at,
                    &job.payload
                ],
            )
            .after(0),
        ];
        let changed = self.transaction(steps).await?;
        Ok(changed.first().is_some_and(|&n| n > 0))
    }

    async fn correction(&self, id: &str) -> Result<Option<Correction>, StoreError> {
        self.rows(
            format!("SELECT {COLUMNS} FROM corrections WHERE id = $1"),
            params![id],
            correction_row,
        )
        .await
        .map(|rows| rows.into_iter().next())
    }

    async fn corrections(&self, login: &str) -> Result<Vec<Correction>, StoreError> {
        self.rows(
            format!("SELECT {COLUMNS} FROM corrections WHERE login = $1 ORDER BY at, id"),
            params![login.to_lowercase()],
            correction_row,
        )
        .await
    }

    async fn corrected(&self) -> Result<Vec<Correction>, StoreError> {
        self.rows(
            format!(
                "SELECT {COLUMNS} FROM corrections c WHERE NOT EXISTS (SELECT 1 FROM corrections l \
                 WHERE l.login = c.login AND (l.at > c.at OR (l.at = c.at AND l.id > c.id))) \
                 ORDER BY login"
            ),
            vec![],
            correction_row,
        )
        .await
    }

    async fn answers_since(&self, since: Millis) -> Result<Vec<Correction>, StoreError> {
        self.rows(
            format!("SELECT {COLUMNS} FROM corrections WHERE at >= $1 ORDER BY at, id"),
            params![since],
            correction_row,
        )
        .await
    }

    async fn standing(&self, login: &str) -> Result<Standing, StoreError> {
        let login = login.to_lowercase();
        let salt = self
            .row(
                "SELECT value FROM settings WHERE name = $1",
                params![SALT],
                first_text,
            )
            .await?;
        let forgotten = match salt {
            Some(salt) => self
                .row(
                    "SELECT 1 FROM forgotten WHERE hash = $1",
                    params![login_hash(&salt, &login)],
                    |_| Ok(()),
                )
                .await?
                .is_some(),
            None => false,
        };
        if forgotten {
            return Ok(Standing {
                forgotten,
                ..Standing::default()
            });
        }
        let correction = self
            .rows(
                format!(
                    "SELECT {COLUMNS} FROM corrections WHERE login = $1 \
                     ORDER BY at DESC, id DESC LIMIT 1"
                ),
                params![&login],
                correction_row,
            )
            .await?
            .into_iter()
            .next();
        Ok(Standing {
            forgotten,
            correction,
            tenures: self.tenures(&login).await?,
        })
    }

    async fn note_tenure(&self, login: &str, t: &Tenure) -> Result<(), StoreError> {
        self.execute(
            "INSERT INTO tenures (login, org_key, name, account, first_at, last_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (login, org_key) DO UPDATE SET \
             first_at = CASE WHEN excluded.first_at < tenures.first_at \
                 THEN excluded.first_at ELSE tenures.first_at END, \
             name = CASE WHEN excluded.last_at >= tenures.last_at \
                 THEN excluded.name ELSE tenures.name END, \
             last_at = CASE WHEN excluded.last_at > tenures.last_at \
                 THEN excluded.last_at ELSE tenures.last_at END",
            params![
                login.to_lowercase(),
                &t.key,
                &t.name,
                &t.account,
                t.first_at,
                t.last_at
            ],
        )
        .await
        .map(drop)
    }

    async fn drop_tenure(&self, login: &str, key: &str) -> Result<(), StoreError> {
        self.execute(
            "DELETE FROM tenures WHERE login = $1 AND org_key = $2",
            params![login.to_lowercase(), key],
        )
        .await
        .map(drop)
    }

    async fn tenures(&self, login: &str) -> Result<Vec<Tenure>, StoreError> {
        self.rows(
            "SELECT org_key, name, account, first_at, last_at FROM tenures WHERE login = $1 \
             ORDER BY last_at DESC, org_key"
                .to_string(),
            params![login.to_lowercase()],
            tenure_row,
        )
        .await
    }

    async fn sighting(&self, delivery_id: &str) -> Result<Option<Sighting>, StoreError> {
        let data = self
            .row(
                "SELECT data FROM sightings WHERE delivery_id = $1",
                params![delivery_id],
                first_text,
            )
            .await?;
        Ok(data.as_deref().and_then(parse_sighting))
    }

    async fn person_sightings(&self, login: &str) -> Result<Vec<Sighting>, StoreError> {
        let rows = self
            .rows(
                "SELECT data FROM sightings WHERE LOWER(login) = $1 ORDER BY at DESC, delivery_id"
                    .to_string(),
                params![login.to_lowercase()],
                first_text,
            )
            .await?;
        Ok(parse_sightings(rows))
    }

    async fn resight(&self, before: &Sighting, after: Option<&Sighting>) -> Result<(), StoreError> {
        let id = &before.delivery_id;
        let mut steps = Vec::new();
        match after {
            Some(s) => {
                let tier = s.tier.clone().unwrap_or_default();
                steps.push(Step::new(
                    MOVE_SIGHTING,
                    params![
                        id,
                        s.group_key(),
                        &s.account,
                        &s.organization,
                        &s.tier,
                        s.group_name(),
                        serde_json::to_string(s)?
                    ],
                ));
                steps.push(Step::new(MOVE_TOPICS, params![id, s.group_key(), tier]));
            }
            None => steps.extend(DROP_SIGHTING.iter().map(|sql| Step::new(sql, params![id]))),
        }
        steps.extend(recount(before));
        if let Some(s) = after {
            steps.extend(recount(s));
        }
        self.transaction(steps).await.map(drop)
    }

    async fn forget(&self, login: &str, now: Millis) -> Result<Forgotten, StoreError> {
        super::forget::forget(self, login, now).await
    }
}
