//! The leads dashboard at `/dashboard`: which organizations engaged, who,
//! when and where, for product and marketing. Server-rendered, for signed-in
//! members of `dashboard.allow_orgs` only.

mod access;
mod correct;
pub mod csv;
pub mod model;
mod names;
mod oauth;
pub mod pages;
mod precision_page;
mod product_routes;
mod respond;
mod routes;
pub mod scores;
pub mod session;
mod signin;

pub use access::{Dashboard, Viewer};
pub use names::AccountNames;
pub use routes::router;
