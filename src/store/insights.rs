//! The dashboard's queries: the overview of a period and the page of one
//! group. Part of every [`Store`](super::Store).

use super::StoreError;
use crate::dashboard::model::{Filter, GroupPage, Overview};
use async_trait::async_trait;

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
