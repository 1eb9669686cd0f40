//! The dashboard's queries on SQLite (see `insights_query` for the plan).

use super::SqliteStore;
use crate::dashboard::model::{EventCounts, Filter, GROUP_PAGE_SIGHTINGS, GroupPage, Overview};
use crate::store::insights_fold::{DayRow, GroupFold, GroupSighting, OverviewFold};
use crate::store::insights_query::{self as q, Conditions, Param, Plan, for_sqlite};
use crate::store::ledger::parse_sighting;
use crate::store::{Insights, StoreError};
use async_trait::async_trait;
use rusqlite::types::Value;
use rusqlite::{Connection, Row, params, params_from_iter};

fn values(params: &[Param]) -> Vec<Value> {
    params
        .iter()
        .map(|p| match p {
            Param::Int(n) => Value::Integer(*n),
            Param::Text(t) => Value::Text(t.clone()),
        })
        .collect()
}

fn day_row(r: &Row<'_>) -> rusqlite::Result<DayRow> {
    let n = |i: usize| r.get::<_, i64>(i).map(|n| n.max(0) as u64);
    Ok(DayRow {
        day: r.get(0)?,
        group_key: r.get(1)?,
        tier: r.get(2)?,
        name: r.get(3)?,
        account: r.get(4)?,
        counts: EventCounts {
            issues: n(5)?,
            pull_requests: n(6)?,
            discussions: n(7)?,
            comments: n(8)?,
            stars: n(9)?,
            forks: n(10)?,
        },
        first_at: r.get(11)?,
        last_at: r.get(12)?,
    })
}

/// Runs a dashboard query (written with `$N`) and hands each row to `each`.
fn each_row(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
    mut each: impl FnMut(&Row<'_>) -> rusqlite::Result<()>,
) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare_cached(&for_sqlite(sql))?;
    let mut rows = stmt.query(params)?;
    while let Some(r) = rows.next()? {
        each(r)?;
    }
    Ok(())
}

fn overview(conn: &Connection, filter: &Filter) -> rusqlite::Result<Overview> {
    let plan = Plan::of(filter);
    let mut fold = OverviewFold::default();
    for (from, to) in [plan.head, plan.tail] {
        if from < to {
            let c = Conditions::new(None, from, to, filter);
            each_row(
                conn,
                &q::raw_days(&c),
                params_from_iter(values(&c.params)),
                |r| {
                    fold.add_day(day_row(r)?);
                    Ok(())
                },
            )?;
        }
    }
    if let Some((first, end)) = plan.days {
        let (sql, params) = q::rollup_days(first, end, filter);
        each_row(conn, &sql, params_from_iter(values(&params)), |r| {
            fold.add_day(day_row(r)?);
            Ok(())
        })?;
    }
    let (sql, params) = q::people(filter);
    each_row(conn, &sql, params_from_iter(values(&params)), |r| {
        let key: String = r.get(0)?;
        fold.set_people(&key, r.get::<_, i64>(1)?.max(0) as u64);
        Ok(())
    })?;
    let facets = Plan::of(&Filter {
        repository: None,
        tier: None,
        event: None,
        ..filter.clone()
    });
    let (first, end) = facets.days.unwrap_or((0, 0));
    let bounds = params![
        first,
        end,
        facets.head.0,
        facets.head.1,
        facets.tail.0,
        facets.tail.1
    ];
    each_row(conn, q::FACETS, bounds, |r| {
        fold.add_facet(r.get(0)?, r.get(1)?);
        Ok(())
    })?;
    Ok(fold.finish(filter))
}

fn group(conn: &Connection, key: &str, filter: &Filter) -> rusqlite::Result<Option<GroupPage>> {
    let c = Conditions::new(Some(key), filter.from, filter.to, filter);
    let params = values(&c.params);
    let mut fold = GroupFold::new(key);
    each_row(conn, &q::group_rows(&c), params_from_iter(&params), |r| {
        fold.add(GroupSighting {
            at: r.get(0)?,
            login: r.get(1)?,
            event: r.get(2)?,
            repository: r.get(3)?,
            tier: r.get(4)?,
            name: r.get(5)?,
            account: r.get(6)?,
        });
        Ok(())
    })?;
    let mut sightings = Vec::new();
    let latest = q::group_sightings(&c, GROUP_PAGE_SIGHTINGS);
    each_row(conn, &latest, params_from_iter(&params), |r| {
        sightings.extend(parse_sighting(&r.get::<_, String>(0)?));
        Ok(())
    })?;
    Ok(fold.finish(filter, sightings))
}

#[async_trait]
impl Insights for SqliteStore {
    async fn overview(&self, filter: &Filter) -> Result<Overview, StoreError> {
        let filter = filter.clone();
        self.read(move |conn| overview(conn, &filter)).await
    }

    async fn group(&self, key: &str, filter: &Filter) -> Result<Option<GroupPage>, StoreError> {
        let (key, filter) = (key.to_string(), filter.clone());
        self.read(move |conn| group(conn, &key, &filter)).await
    }
}
