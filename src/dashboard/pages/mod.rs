//! The dashboard's pages: pure functions from the model to HTML, with the
//! styles inside and no script.

pub mod answers;
pub mod assets;
pub mod chart;
pub mod dates;
mod empty;
pub mod group;
mod layout;
pub mod links;
pub mod overview;
mod parts;
pub mod precision;
pub mod product;
pub mod sign_in;
pub mod view;

pub use answers::{Answers, notice};
pub use chart::weekly_chart;
pub use group::group_page;
pub use links::{filter_query, query_string};
pub use overview::overview_page;
pub use precision::precision_page;
pub use product::product_page;
pub use sign_in::sign_in_page;
pub use view::{Setup, View};

#[cfg(test)]
pub(crate) mod fixtures;
