//! Integration tests: the real binary, a real SQLite file, real payloads.

mod support;

mod ingress;
