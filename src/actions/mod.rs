//! Carrying out a [`Plan`]: labels on the item, messages to Slack channels,
//! comments on tracking issues. Every action goes through the ledger, keyed
//! by the delivery and the action, so a retry, a redelivery or a restart
//! never makes it twice; GitHub writes that may have happened before a crash
//! are looked for before they are made again.

mod digest;
mod due;
mod key;
mod labels;
mod notify;
mod product_digest;
mod retention;
mod scheduled;
mod tracking;
mod undo;

pub use digest::digest_now;
pub use due::run_digests;
pub use key::ActionKey;
pub use product_digest::product_digest_now;
pub use retention::purge;
pub use tracking::{LeadsRepos, check_leads};
pub use undo::Correcting;

use crate::failure::ProcessError;
use crate::github::Items;
use crate::metrics::Metrics;
use crate::notify::{Destination, Notices};
use crate::rules::{Channel, Plan, Rules};
use crate::sighting::Sighting;
use crate::store::{ActionRecord, ActionState, ActionStore, Purged, StoreError};
use crate::time::now_ms;
use secrecy::SecretString;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

/// What the actions need from the world, built once at start. GitHub comes
/// with each call, as the app may be registered while orgradar runs.
pub struct Actions {
    store: Arc<dyn ActionStore>,
    notices: Arc<dyn Notices>,
    rules: Arc<Rules>,
    /// The Slack destination of each Slack channel, with its secret resolved;
    /// `Err` says what is missing.
    destinations: HashMap<String, Result<Destination, String>>,
    leads: LeadsRepos,
    /// `repo/label` (lowercased) of labels known to exist.
    labels_seen: Mutex<HashSet<String>>,
    metrics: Option<Arc<Metrics>>,
    /// Whether Slack notices carry the Confirm / Not … / Ignore … buttons.
    buttons: bool,
}

impl Actions {
    /// `env` reads the environment (the webhook URLs of `slack_webhook_env` channels).
    pub fn new(
        store: Arc<dyn ActionStore>,
        notices: Arc<dyn Notices>,
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
            notices,
            rules,
            destinations,
            leads: LeadsRepos::default(),
            labels_seen: Mutex::default(),
            metrics: None,
            buttons: false,
        }
    }

    /// Puts the Confirm / Not … / Ignore … buttons on Slack notices (when
    /// Slack's signing secret is configured, so that a click is heard).
    pub fn with_buttons(mut self, buttons: bool) -> Self {
        self.buttons = buttons;
        self
    }

    /// Counts actions in `metrics`.
    pub fn with_metrics(mut self, metrics: Arc<Metrics>) -> Self {
        self.metrics = Some(metrics);
        self
    }

    /// The rules the actions follow.
    pub fn rules(&self) -> &Rules {
        &self.rules
    }

    /// The private repositories tracking issues are written to.
    pub fn leads_repositories(&self) -> Vec<String> {
        self.rules.leads_repositories()
    }

    /// Deletes the sightings older than the retention period of app.yml
    /// (by one instance at a time); `None` when another instance is at it.
    pub async fn purge_old(
        &self,
        owner: &str,
        now: crate::time::Millis,
    ) -> Result<Option<Purged>, StoreError> {
        purge(self.store.as_ref(), owner, self.rules.retention_ms(), now).await
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
        github: &dyn Items,
        installation: u64,
        sighting: &Sighting,
        plan: &Plan,
        lead: bool,
    ) -> Result<(), ProcessError> {
        let delivery = sighting.delivery_id.as_str();
        if lead && sighting.names_someone() {
            self.store.record_sighting(sighting, &plan.notify).await?;
        }
        let ledger = self.store.actions(delivery).await?;
        let mut failures = Vec::new();
        for withheld in &plan.withheld {
            let key = ActionKey::label(&withheld.label);
            if !ledger.contains_key(&key.to_string()) {
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
            failures.push(("labels".to_string(), e));
        }
        for channel in &plan.notify {
            let previous = ledger.get(&ActionKey::notify(channel).to_string());
            if previous.is_some_and(|r| r.state.settled()) {
                continue;
            }
            if let Err(e) = notify::send(self, github, channel, sighting, plan, previous).await {
                failures.push((format!("channel `{channel}`"), e));
            }
        }
        ProcessError::all(failures)
    }

    async fn record(
        &self,
        delivery: &str,
        key: &ActionKey,
        state: ActionState,
        detail: Option<String>,
    ) -> Result<(), ProcessError> {
        let record = ActionRecord { state, detail };
        self.store
            .record_action(delivery, &key.to_string(), record, now_ms())
            .await?;
        if let (Some(metrics), true) = (&self.metrics, state.settled()) {
            metrics.action(key.kind(), state.as_str());
        }
        Ok(())
    }

    fn destination(&self, channel: &str) -> Result<&Destination, ProcessError> {
        match self.destinations.get(channel) {
            Some(Ok(d)) => Ok(d),
            Some(Err(problem)) => Err(ProcessError::Refused(problem.clone())),
            None => Err(ProcessError::Refused(format!(
                "channel `{channel}` is not a Slack channel"
            ))),
        }
    }
}

#[cfg(test)]
mod tests;
