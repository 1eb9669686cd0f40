//! What the dashboard shows: the store's insights types, which its queries
//! return and the pages render (they live in the store, below both).

pub use crate::store::insights::{
    DAY, EventCounts, Filter, GROUP_PAGE_SIGHTINGS, GroupPage, GroupRow, Overview, Person,
    WeekCount, week_start,
};
