//! The dashboard's queries: the overview of a period and the page of one
//! group, over the rollups that storing a sighting keeps (see `query`).
//! The same SQL and the same folding on both stores.

mod fold;
pub mod model;
mod query;

pub(crate) use rollups::recount;
pub(crate) mod rollups;

pub use model::{
    DAY, EventCounts, Filter, GROUP_PAGE_SIGHTINGS, GroupPage, GroupRow, Overview, Person,
    WeekCount, week_start,
};

use super::StoreError;
use super::sql::parse_sightings;
use super::sql::{Param, Sql, first_text};
use async_trait::async_trait;
use fold::{DayRow, GroupFold, GroupSighting, OverviewFold};
use query::{Conditions, Plan};

#[async_trait]
pub trait Insights: Send + Sync {
    /// The groups seen in `[filter.from, filter.to)` that match the filter,
    /// most active first; the weekly counts by tier; and the repositories and
    /// tiers of the whole period (unfiltered, for the filter lists).
    async fn overview(&self, filter: &Filter) -> Result<Overview, StoreError>;

    /// The page of group `key` in the filtered period; `None` when it has no
    /// sighting there.
    async fn group(&self, key: &str, filter: &Filter) -> Result<Option<GroupPage>, StoreError>;
}

#[async_trait]
impl<S: Sql> Insights for S {
    async fn overview(&self, filter: &Filter) -> Result<Overview, StoreError> {
        let plan = Plan::of(filter);
        let mut fold = OverviewFold::default();
        for (from, to) in [plan.head, plan.tail] {
            if from < to {
                let c = Conditions::new(None, from, to, filter);
                for row in self
                    .rows(query::raw_days(&c), c.params, DayRow::from_row)
                    .await?
                {
                    fold.add_day(row);
                }
            }
        }
        if let Some((first, end)) = plan.days {
            let (days, params) = query::rollup_days(first, end, filter);
            if self.sums_rollups() {
                // Summed up in SQL: fetching every day row costs more than the sums.
                let groups = query::rollup_groups(&days);
                for row in self.rows(groups, params.clone(), DayRow::from_row).await? {
                    fold.add_group(row);
                }
                let weeks = query::rollup_weeks(&days);
                let week = |r: &dyn super::sql::Row| Ok((r.int(0)?, r.text(1)?, r.count(2)?));
                for (day, tier, n) in self.rows(weeks, params, week).await? {
                    fold.add_week(day, &tier, n);
                }
            } else {
                for row in self.rows(days, params, DayRow::from_row).await? {
                    fold.add_day(row);
                }
            }
        }
        let (sql, params) = query::people(filter);
        let people = |r: &dyn super::sql::Row| Ok((r.text(0)?, r.count(1)?));
        for (key, n) in self.rows(sql, params, people).await? {
            fold.set_people(&key, n);
        }
        let facets = Plan::of(&Filter {
            repository: None,
            tier: None,
            event: None,
            ..filter.clone()
        });
        let (first, end) = facets.days.unwrap_or((0, 0));
        let bounds = [
            first,
            end,
            facets.head.0,
            facets.head.1,
            facets.tail.0,
            facets.tail.1,
        ];
        let facet = |r: &dyn super::sql::Row| Ok((r.text(0)?, r.text(1)?));
        let facet_rows = self
            .rows(
                query::FACETS.to_string(),
                bounds.map(Param::Int).to_vec(),
                facet,
            )
            .await?;
        for (repository, tier) in facet_rows {
            fold.add_facet(repository, tier);
        }
        Ok(fold.finish(filter))
    }

    async fn group(&self, key: &str, filter: &Filter) -> Result<Option<GroupPage>, StoreError> {
        let c = Conditions::new(Some(key), filter.from, filter.to, filter);
        let mut fold = GroupFold::new(key);
        let rows = query::group_rows(&c);
        for row in self
            .rows(rows, c.params.clone(), GroupSighting::from_row)
            .await?
        {
            fold.add(row);
        }
        let latest = query::group_sightings(&c, GROUP_PAGE_SIGHTINGS);
        let sightings = parse_sightings(self.rows(latest, c.params, first_text).await?);
        Ok(fold.finish(filter, sightings))
    }
}
