//! Carrying out a [`Plan`]: labels on the item, messages to Slack channels,
//! comments on tracking issues. Every action goes through the ledger, keyed
//! by the delivery and the action, so a retry, a redelivery or a restart
//! never makes it twice; GitHub writes that may have happened before a crash
//! are looked for before they are made again.

mod digest;
mod labels;
mod notify;
mod product_digest;
mod retention;
mod tracking;

pub use digest::{digest_now, run_digests};
pub use product_digest::product_digest_now;
pub use retention::purge;
pub use tracking::{LeadsRepos, check_leads};

use crate::github::{GitHub, GitHubError};
use crate::metrics::Metrics;
use crate::notify::{Destination, Slack, SlackError};
use crate::pipeline::ProcessError;
use crate::rules::{Channel, Plan, Rules};
use crate::sighting::Sighting;
use crate::store::{ActionRecord, ActionState, Store};
use crate::time::now_ms;
use secrecy::SecretString;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

/// What the actions need from the world, built once at start.
pub struct Actions {
    pub store: Arc<dyn Store>,
    pub slack: Arc<Slack>,
    pub rules: Arc<Rules>,
    /// The Slack destination of each Slack channel, with its secret resolved;
    /// `Err` says what is missing.
    destinations: HashMap<String, Result<Destination, String>>,
    pub leads: LeadsRepos,
    /// `repo/label` (lowercased) of labels known to exist.
    labels_seen: Mutex<HashSet<String>>,
    metrics: Option<Arc<Metrics>>,
}

impl Actions {
    /// `env` reads the environment (the webhook URLs of `slack_webhook_env` channels).
    pub fn new(
        store: Arc<dyn Store>,
        slack: Arc<Slack>,
        rules: Arc<Rules>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Self {
        let destinations = rules
            .channels
            .iter()
            .filter_map(|(name, channel)| {
                let destination = match channel {
                    Channel::SlackWebhookEnv(var) => match env(&var.value).filter(|v| !v.trim().is_empty()) {
                        Some(url) => Ok(Destination::Webhook {
                            url: SecretString::from(url.trim().to_string()),
                        }),
                        None => Err(format!(
                            "channel `{name}`: environment variable {var} is not set; set it to the Slack incoming webhook URL (fly secrets set {var}=...)", var = var.value
                        )),
                    },
                    Channel::SlackChannel(channel) => Ok(Destination::Channel {
                        channel: channel.value.clone(),
                    }),
                    Channel::GithubIssue(_) => return None,
                };
                Some((name.clone(), destination))
            })
            .collect();
        Self {
            store,
            slack,
            rules,
            destinations,
            leads: LeadsRepos::default(),
            labels_seen: Mutex::default(),
            metrics: None,
        }
    }

    /// Counts actions in `metrics`.
    pub fn with_metrics(mut self, metrics: Arc<Metrics>) -> Self {
        self.metrics = Some(metrics);
        self
    }

    /// The problems with the channels that can be seen without sending anything.
    pub fn channel_problems(&self) -> Vec<String> {
        self.destinations
            .values()
            .filter_map(|d| d.as_ref().err().cloned())
            .collect()
    }

    /// Carries out `plan` for `sighting`, which came with `installation`.
    /// `lead`: the person is neither a bot nor an insider, so the sighting
    /// is kept (when it names an account or organization).
    pub async fn run(
        &self,
        github: &GitHub,
        installation: u64,
        sighting: &Sighting,
        plan: &Plan,
        lead: bool,
    ) -> Result<(), ProcessError> {
        let delivery = sighting.delivery_id.as_str();
        if lead && sighting.names_someone() {
            self.store
                .record_sighting(sighting, &plan.notify)
                .await
                .map_err(store_error)?;
        }
        let ledger = self.store.actions(delivery).await.map_err(store_error)?;
        let mut errors = Errors::default();
        for withheld in &plan.withheld {
            let key = format!("label:{}", withheld.label);
            if !ledger.contains_key(&key) {
                self.record(
                    delivery,
                    &key,
                    ActionState::Withheld,
                    Some(withheld.reason.to_string()),
                )
                .await?;
            }
        }
        if let Err(e) = labels::apply(self, github, installation, sighting, plan, &ledger).await {
            errors.add("labels", e);
        }
        for channel in &plan.notify {
            let key = format!("notify:{channel}");
            let previous = ledger.get(&key);
            if previous.is_some_and(|r| r.state.settled()) {
                continue;
            }
            if let Err(e) = notify::send(self, github, channel, sighting, plan, previous).await {
                errors.add(&format!("channel `{channel}`"), e);
            }
        }
        errors.into_result()
    }

    async fn record(
        &self,
        delivery: &str,
        action: &str,
        state: ActionState,
        detail: Option<String>,
    ) -> Result<(), ProcessError> {
        self.store
            .record_action(delivery, action, ActionRecord { state, detail }, now_ms())
            .await
            .map_err(store_error)?;
        if let (Some(metrics), true) = (&self.metrics, state.settled()) {
            let kind = action.split(':').next().unwrap_or(action);
            metrics.action(kind, state.as_str());
        }
        Ok(())
    }

    fn destination(&self, channel: &str) -> Result<&Destination, ProcessError> {
        match self.destinations.get(channel) {
            Some(Ok(d)) => Ok(d),
            Some(Err(problem)) => Err(ProcessError::Permanent(problem.clone())),
            None => Err(ProcessError::Permanent(format!(
                "channel `{channel}` is not a Slack channel"
            ))),
        }
    }
}

fn store_error(e: crate::store::StoreError) -> ProcessError {
    ProcessError::Transient(e.to_string())
}

fn slack_error(e: SlackError) -> ProcessError {
    match e {
        SlackError::Transient { message, .. } => ProcessError::Transient(message),
        SlackError::Permanent(message) => ProcessError::Permanent(message),
    }
}

/// A GitHub error as a processing error: a wait, worth retrying, or not.
fn github_error(what: &str, e: GitHubError) -> ProcessError {
    ProcessError::from_github(what, &e)
}

/// The failures of the actions of one delivery: the others still run, and
/// the delivery is retried if any failure may pass.
#[derive(Default)]
struct Errors {
    transient: Vec<String>,
    permanent: Vec<String>,
    /// Actions that wait for GitHub's rate limit, and until when.
    waiting: Vec<String>,
    until: crate::time::Millis,
}

impl Errors {
    fn add(&mut self, what: &str, e: ProcessError) {
        match e {
            ProcessError::Transient(m) => self.transient.push(format!("{what}: {m}")),
            ProcessError::Permanent(m) => self.permanent.push(format!("{what}: {m}")),
            ProcessError::Wait { until, reason } => {
                self.until = self.until.max(until);
                self.waiting.push(format!("{what}: {reason}"));
            }
        }
    }

    fn into_result(self) -> Result<(), ProcessError> {
        let all = || {
            self.transient
                .iter()
                .chain(&self.waiting)
                .chain(&self.permanent)
                .cloned()
                .collect::<Vec<_>>()
                .join("; ")
        };
        if !self.transient.is_empty() {
            Err(ProcessError::Transient(all()))
        } else if !self.waiting.is_empty() {
            // What was done is in the ledger; the rest waits for the reset.
            Err(ProcessError::Wait {
                until: self.until,
                reason: all(),
            })
        } else if !self.permanent.is_empty() {
            Err(ProcessError::Permanent(all()))
        } else {
            Ok(())
        }
    }
}
