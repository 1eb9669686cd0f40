//! Subcommands other than `serve`, each printing for a person (or `--json`).

pub mod check;
pub mod deliveries;
pub mod demo;
pub mod digest;
pub mod explain;
pub mod options;
pub mod people;
pub mod precision;
pub mod recover;
pub mod register;
pub mod simulate;
mod who;

#[cfg(test)]
mod help_tests;
