//! Integration tests: the real binary, a real SQLite file, real payloads.

mod support;

mod affiliation;
mod affiliation_props;
mod cli;
mod durability;
mod ingress;
mod webhook_examples;
