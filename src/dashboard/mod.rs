//! The leads dashboard: who from which organization engaged, when and where.

pub mod assets;
pub mod chart;
pub mod dates;
pub mod group;
mod layout;
pub mod links;
pub mod model;
pub mod overview;
mod parts;
pub mod sign_in;
pub mod view;

pub use chart::weekly_chart;
pub use group::group_page;
pub use links::{filter_query, query_string};
pub use overview::overview_page;
pub use sign_in::sign_in_page;
pub use view::View;

#[cfg(test)]
mod fixtures;
