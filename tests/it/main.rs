//! Integration tests: the real binary, a real SQLite file, real payloads.

mod support;

mod actions;
mod affiliation;
mod affiliation_live;
mod affiliation_props;
mod check;
mod cli;
mod cli_help;
mod corrections;
mod corrections_dashboard;
mod corrections_slack;
mod dashboard;
mod dashboard_views;
mod demo;
mod durability;
mod github_client;
mod hardening;
mod held;
mod ingress;
mod insights;
mod intent;
mod ledger;
mod moves;
mod postgres_shared;
mod product;
mod queue;
mod rate_limits;
mod recovery;
mod relay;
mod setup_address;
mod setup_flow;
mod simulate;
mod slack;
mod slack_interactions;
mod webhook_examples;
