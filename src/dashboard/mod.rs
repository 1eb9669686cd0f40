//! The leads dashboard at `/dashboard`: which organizations engaged, who,
//! when and where, for product and marketing. Server-rendered, signed-in
//! members of `dashboard.allow_orgs` only.

mod access;
pub mod model;
mod oauth;
mod routes;
pub mod session;

pub use access::{Dashboard, Viewer};
pub use routes::router;
