//! The leads dashboard: who from which organization engaged, when and where.

pub mod csv;
pub mod model;
