//! Prometheus metrics, served as text on `GET /metrics`.

use prometheus_client::collector::Collector;
use prometheus_client::encoding::{DescriptorEncoder, EncodeLabelSet, EncodeMetric};
use prometheus_client::metrics::MetricType;
use prometheus_client::metrics::counter::ConstCounter;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct EventOutcome {
    pub event: String,
    pub outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct Reason {
    pub reason: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct InstallationLabel {
    pub installation: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ResourceLabel {
    pub resource: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct StatusLabel {
    pub status: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ActionLabel {
    pub kind: String,
    pub state: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct FeedbackLabel {
    pub verdict: String,
    pub signal: String,
}

/// `orgradar_feedback_total{verdict,signal}`: the answers people gave about
/// orgradar's sightings, by what they said of it (`right`, `wrong`,
/// `ignored`, `unjudged`) and the sighting's deciding signal (`unknown`
/// without one); `feedback::metrics` counts them.
///
/// Counted from the store at each scrape, not in this process: answers
/// arrive through every instance (Slack, the dashboard) and through the
/// command line, and the store is the one place that sees them all, so
/// every instance reports the same figures. They only fall when a person
/// is forgotten (their answers are erased), which Prometheus reads as a
/// counter reset.
#[derive(Debug, Default)]
pub struct FeedbackCounts(std::sync::Mutex<Vec<(FeedbackLabel, u64)>>);

impl FeedbackCounts {
    fn set(&self, counts: Vec<(FeedbackLabel, u64)>) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = counts;
    }
}

impl Collector for FeedbackCounts {
    fn encode(&self, mut encoder: DescriptorEncoder) -> Result<(), std::fmt::Error> {
        let counts = self.0.lock().unwrap_or_else(|e| e.into_inner()).clone();
        let mut metric = encoder.encode_descriptor(
            "feedback",
            "Answers people gave about orgradar's sightings, by what they said of it (right, wrong, ignored, unjudged) and the sighting's deciding signal",
            None,
            MetricType::Counter,
        )?;
        for (labels, n) in &counts {
            ConstCounter::new(*n).encode(metric.encode_family(labels)?)?;
        }
        Ok(())
    }
}

/// Every metric orgradar exports.
pub struct Metrics {
    registry: Registry,
    /// Verified deliveries by event and what ingress did: queued, duplicate, ignored.
    pub received: Family<EventOutcome, Counter>,
    /// Refused requests by reason (bad signature, missing header...).
    pub refused: Family<Reason, Counter>,
    /// Processing attempts by event and outcome: done, failed, dead.
    pub processed: Family<EventOutcome, Counter>,
    /// Deliveries waiting, running, waiting for a retry, or given up on.
    pub queue: Family<StatusLabel, Gauge>,
    /// Time the worker spent on one attempt.
    pub processing_seconds: Histogram,
    /// Time from the delivery's arrival to the end of its processing.
    pub lag_seconds: Histogram,
    /// GitHub's remaining request budget, per installation (or `app`), from its last answer.
    pub github_remaining: Family<InstallationLabel, Gauge>,
    /// Missed deliveries GitHub was asked to deliver again.
    pub recovered: Counter,
    /// Actions by kind (label, notify) and how they ended (done, throttled, withheld).
    pub actions: Family<ActionLabel, Counter>,
    /// GitHub's remaining budget per resource (`core`, `graphql`), the lowest of any installation.
    pub budget_remaining: Family<ResourceLabel, Gauge>,
    /// People waiting to be looked up: in a batch being gathered, or for the budget.
    pub lookups_waiting: Gauge,
    /// The answers people gave, as the store last counted them.
    pub feedback: std::sync::Arc<FeedbackCounts>,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("orgradar");
        let received = Family::<EventOutcome, Counter>::default();
        registry.register(
            "webhook_deliveries",
            "Verified webhook deliveries by event and outcome (queued, duplicate, ignored)",
            received.clone(),
        );
        let refused = Family::<Reason, Counter>::default();
        registry.register(
            "webhook_refusals",
            "Webhook requests refused, by reason",
            refused.clone(),
        );
        let processed = Family::<EventOutcome, Counter>::default();
        registry.register(
            "deliveries_processed",
            "Processing attempts by event and outcome (done, failed, dead)",
            processed.clone(),
        );
        let queue = Family::<StatusLabel, Gauge>::default();
        registry.register(
            "queue_deliveries",
            "Deliveries in the store by status (done ones are not counted)",
            queue.clone(),
        );
        let processing_seconds = Histogram::new(exponential_buckets(0.0005, 2.0, 16));
        registry.register(
            "delivery_processing_seconds",
            "Time spent processing one delivery attempt",
            processing_seconds.clone(),
        );
        let lag_seconds = Histogram::new(exponential_buckets(0.001, 2.0, 20));
        registry.register(
            "delivery_lag_seconds",
            "Time from a delivery's arrival to the end of its processing",
            lag_seconds.clone(),
        );
        let github_remaining = Family::<InstallationLabel, Gauge>::default();
        registry.register(
            "github_ratelimit_remaining",
            "Requests left in GitHub's rate-limit window, per installation, as of its last answer",
            github_remaining.clone(),
        );
        let recovered = Counter::default();
        registry.register(
            "recovery_redelivered",
            "Missed deliveries GitHub was asked to deliver again",
            recovered.clone(),
        );
        let actions = Family::<ActionLabel, Counter>::default();
        registry.register(
            "actions",
            "Actions by kind (label, notify) and how they ended (done, throttled, withheld)",
            actions.clone(),
        );
        let budget_remaining = Family::<ResourceLabel, Gauge>::default();
        registry.register(
            "github_budget_remaining",
            "GitHub's remaining API budget per resource (core: requests, graphql: points), the lowest of any installation",
            budget_remaining.clone(),
        );
        let lookups_waiting = Gauge::default();
        registry.register(
            "lookups_waiting",
            "People waiting to be looked up on GitHub: gathered into a batch, or waiting for the budget",
            lookups_waiting.clone(),
        );
        let feedback = std::sync::Arc::new(FeedbackCounts::default());
        registry.register_collector(Box::new(feedback.clone()));
        Self {
            feedback,
            actions,
            budget_remaining,
            lookups_waiting,
            registry,
            recovered,
            github_remaining,
            received,
            refused,
            processed,
            queue,
            processing_seconds,
            lag_seconds,
        }
    }

    pub fn received(&self, event: &str, outcome: &'static str) {
        self.received
            .get_or_create(&EventOutcome {
                event: event.to_string(),
                outcome,
            })
            .inc();
    }

    pub fn refused(&self, reason: &'static str) {
        self.refused.get_or_create(&Reason { reason }).inc();
    }

    pub fn processed(&self, event: &str, outcome: &'static str) {
        self.processed
            .get_or_create(&EventOutcome {
                event: event.to_string(),
                outcome,
            })
            .inc();
    }

    pub fn action(&self, kind: &str, state: &'static str) {
        self.actions
            .get_or_create(&ActionLabel {
                kind: kind.to_string(),
                state,
            })
            .inc();
    }

    pub fn github_remaining(&self, installation: &str, remaining: u64) {
        self.github_remaining
            .get_or_create(&InstallationLabel {
                installation: installation.to_string(),
            })
            .set(remaining.min(i64::MAX as u64) as i64);
    }

    pub fn budget_remaining(&self, resource: &str, remaining: u64) {
        self.budget_remaining
            .get_or_create(&ResourceLabel {
                resource: resource.to_string(),
            })
            .set(remaining.min(i64::MAX as u64) as i64);
    }

    /// Sets the queue gauges: each status of `all` to its count in
    /// `counts`, zero when absent.
    pub fn set_queue(&self, all: &[&'static str], counts: &[(&str, u64)]) {
        for status in all {
            let n = counts
                .iter()
                .find(|(s, _)| s == status)
                .map_or(0, |(_, n)| *n);
            self.queue
                .get_or_create(&StatusLabel { status })
                .set(n as i64);
        }
    }

    /// Replaces `orgradar_feedback_total`'s counts: `(verdict, signal,
    /// answers)` (see [`FeedbackCounts`]).
    pub fn set_feedback(&self, counts: impl IntoIterator<Item = (String, String, u64)>) {
        self.feedback.set(
            counts
                .into_iter()
                .map(|(verdict, signal, n)| (FeedbackLabel { verdict, signal }, n))
                .collect(),
        );
    }

    /// The Prometheus text exposition of every metric.
    pub fn render(&self) -> String {
        let mut out = String::new();
        // Writing to a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &self.registry);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feedback_is_rendered_as_counters_and_replaced_whole() {
        let m = Metrics::new();
        m.set_feedback([("right".to_string(), "email_domain".to_string(), 3)]);
        let text = m.render();
        assert!(text.contains("# TYPE orgradar_feedback counter"), "{text}");
        assert!(
            text.contains(r#"orgradar_feedback_total{verdict="right",signal="email_domain"} 3"#),
            "{text}"
        );
        m.set_feedback([("wrong".to_string(), "unknown".to_string(), 1)]);
        let text = m.render();
        assert!(!text.contains(r#"verdict="right""#), "{text}");
        assert!(text.contains(r#"orgradar_feedback_total{verdict="wrong",signal="unknown"} 1"#));
    }
}
