//! orgradar: a GitHub App that notices when people from target organizations
//! show up in an open-source project.
//!
//! The flow runs one way: `ingress` verifies and stores a delivery, the `worker`
//! takes it from the `store` and hands it to the `pipeline`, which decodes it
//! into an `event`, lets `decide` classify the person (`affiliation`, with
//! what `actor` learns from `github`) and plan (`rules`), and has `actions`
//! carry the plan out.

pub mod actions;
pub mod actor;
pub mod affiliation;
pub mod config;
pub mod dashboard;
pub mod decide;
pub mod duration;
pub mod event;
pub mod failure;
pub mod feedback;
pub mod github;
pub mod https;
pub mod ingress;
pub mod intent;
pub mod listener;
pub mod metrics;
pub mod net;
pub mod notify;
pub mod people;
pub mod pipeline;
pub mod product;
pub mod recovery;
pub mod relay;
pub mod rules;
pub mod score;
pub mod serve;
pub mod setup;
pub mod sighting;
pub mod store;
pub mod telemetry;
pub mod time;
pub mod worker;
