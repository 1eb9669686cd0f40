#!/usr/bin/env bash
# A star storm against the fake GitHub (GitHub's rate-limit accounting, answers
# in 50-150 ms): 10,000 star.created deliveries from 8,000 people with 100
# issues.opened from target accounts interleaved, sent over STORM_SECONDS
# (default 120). Prints GitHub requests and GraphQL points per 1,000 new
# people, issue-to-Slack-notice latency, time until everyone is classified,
# deliveries lost or processed twice, and the lowest budget GitHub reported.
set -euo pipefail
cd "$(dirname "$0")/.."
export STORM_SECONDS=${STORM_SECONDS:-120}
cargo bench --bench storm
