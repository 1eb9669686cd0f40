//! The dashboard's queries on PostgreSQL (see `insights_query` for the plan).

use super::{PostgresStore, db};
use crate::dashboard::model::{EventCounts, Filter, GROUP_PAGE_SIGHTINGS, GroupPage, Overview};
use crate::store::insights_fold::{DayRow, GroupFold, GroupSighting, OverviewFold};
use crate::store::insights_query::{self as q, Conditions, Param, Plan};
use crate::store::ledger::parse_sighting;
use crate::store::{Insights, StoreError};
use async_trait::async_trait;
use sqlx::postgres::{PgArguments, PgRow};
use sqlx::query::Query;
use sqlx::{Postgres, Row};

fn bind<'q>(
    mut query: Query<'q, Postgres, PgArguments>,
    params: &[Param],
) -> Query<'q, Postgres, PgArguments> {
    for p in params {
        query = match p {
            Param::Int(n) => query.bind(*n),
            Param::Text(t) => query.bind(t.clone()),
        };
    }
    query
}

fn day_row(r: &PgRow) -> Result<DayRow, sqlx::Error> {
    let n = |i: usize| r.try_get::<i64, _>(i).map(|n| n.max(0) as u64);
    Ok(DayRow {
        day: r.try_get(0)?,
        group_key: r.try_get(1)?,
        tier: r.try_get(2)?,
        name: r.try_get(3)?,
        account: r.try_get(4)?,
        counts: EventCounts {
            issues: n(5)?,
            pull_requests: n(6)?,
            discussions: n(7)?,
            comments: n(8)?,
            stars: n(9)?,
            forks: n(10)?,
        },
        first_at: r.try_get(11)?,
        last_at: r.try_get(12)?,
    })
}

impl PostgresStore {
    async fn fetch(&self, sql: &str, params: &[Param]) -> Result<Vec<PgRow>, StoreError> {
        bind(sqlx::query(sql), params)
            .fetch_all(&self.pool)
            .await
            .map_err(db)
    }
}

#[async_trait]
impl Insights for PostgresStore {
    async fn overview(&self, filter: &Filter) -> Result<Overview, StoreError> {
        let plan = Plan::of(filter);
        let mut fold = OverviewFold::default();
        for (from, to) in [plan.head, plan.tail] {
            if from < to {
                let c = Conditions::new(None, from, to, filter);
                for r in self.fetch(&q::raw_days(&c), &c.params).await? {
                    fold.add_day(day_row(&r).map_err(db)?);
                }
            }
        }
        if let Some((first, end)) = plan.days {
            // Summed up here: fetching every day row costs more than the sums.
            let (days, params) = q::rollup_days(first, end, filter);
            for r in self.fetch(&q::rollup_groups(&days), &params).await? {
                fold.add_group(day_row(&r).map_err(db)?);
            }
            for r in self.fetch(&q::rollup_weeks(&days), &params).await? {
                let (day, tier, n): (i64, String, i64) =
                    (|| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)))().map_err(db)?;
                fold.add_week(day, &tier, n.max(0) as u64);
            }
        }
        let (sql, params) = q::people(filter);
        for r in self.fetch(&sql, &params).await? {
            let key: String = r.try_get(0).map_err(db)?;
            let n: i64 = r.try_get(1).map_err(db)?;
            fold.set_people(&key, n.max(0) as u64);
        }
        let facets = Plan::of(&Filter {
            repository: None,
            tier: None,
            event: None,
            ..filter.clone()
        });
        let (first, end) = facets.days.unwrap_or((0, 0));
        let params = [
            first,
            end,
            facets.head.0,
            facets.head.1,
            facets.tail.0,
            facets.tail.1,
        ]
        .map(Param::Int);
        for r in self.fetch(q::FACETS, &params).await? {
            fold.add_facet(r.try_get(0).map_err(db)?, r.try_get(1).map_err(db)?);
        }
        Ok(fold.finish(filter))
    }

    async fn group(&self, key: &str, filter: &Filter) -> Result<Option<GroupPage>, StoreError> {
        let c = Conditions::new(Some(key), filter.from, filter.to, filter);
        let mut fold = GroupFold::new(key);
        for r in self.fetch(&q::group_rows(&c), &c.params).await? {
            let row = (|| {
                Ok::<_, sqlx::Error>(GroupSighting {
                    at: r.try_get(0)?,
                    login: r.try_get(1)?,
                    event: r.try_get(2)?,
                    repository: r.try_get(3)?,
                    tier: r.try_get(4)?,
                    name: r.try_get(5)?,
                    account: r.try_get(6)?,
                })
            })()
            .map_err(db)?;
            fold.add(row);
        }
        let mut sightings = Vec::new();
        let sql = q::group_sightings(&c, GROUP_PAGE_SIGHTINGS);
        for r in self.fetch(&sql, &c.params).await? {
            sightings.extend(parse_sighting(&r.try_get::<String, _>(0).map_err(db)?));
        }
        Ok(fold.finish(filter, sightings))
    }
}
