//! `orgradar_feedback_total{verdict,signal}`, counted from the store.
//!
//! Counted at each scrape from the answers the store keeps, not in this
//! process: answers arrive through every instance (Slack, the dashboard)
//! and through the command line, and the store is the one place that sees
//! them all, so every instance reports the same figures. The counts only
//! fall when a person is forgotten (their answers are erased), which
//! Prometheus reads as a counter reset. `verdict` is what the answer said
//! of orgradar: `right`, `wrong`, `ignored`, or `unjudged` (about no
//! sighting, or one that named no account); see
//! [`crate::people::precision::outcome`].

use crate::metrics::Metrics;
use crate::people::precision::feedback_counts;
use crate::store::People;

/// Counts the answers kept in `store` into `metrics`; on a store error the
/// last counts stay (and the log says why).
pub async fn count(store: &dyn People, metrics: &Metrics) {
    match store.answers_since(i64::MIN).await {
        Ok(answers) => metrics.set_feedback(
            feedback_counts(&answers)
                .into_iter()
                .map(|((verdict, signal), n)| (verdict.to_string(), signal, n)),
        ),
        Err(e) => tracing::warn!(error = %e, "could not count the answers for /metrics"),
    }
}
