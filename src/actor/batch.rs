//! Gathers the people waiting to be looked up into batches: one GraphQL query
//! for up to [`BatchSettings::max`] people of one installation. A batch goes
//! out `urgent_window` after the first author of an issue, pull request,
//! discussion or comment joined it, or once it is full; stargazers and
//! forkers alone wait up to `background_window` for company. Concurrent
//! lookups of one login share one request, and a person GitHub does not
//! know, or an error on one alias, fails only that person.

use super::{Facts, query};
use crate::github::{GitHub, GitHubError, Need};
use crate::metrics::Metrics;
use crate::store::Store;
use crate::time::{Millis, now_ms};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};
use tokio::sync::{Notify, oneshot};

#[derive(Debug, Clone)]
pub struct BatchSettings {
    /// People in one query at most.
    pub max: usize,
    /// How long the author of an issue may wait for others to join the batch.
    pub urgent_window: Duration,
    /// How long stargazers and forkers wait for others to join.
    pub background_window: Duration,
}

impl Default for BatchSettings {
    fn default() -> Self {
        Self {
            max: 50,
            urgent_window: Duration::from_millis(250),
            background_window: Duration::from_secs(5),
        }
    }
}

/// Why one person's lookup did not give facts.
#[derive(Debug, Clone)]
pub enum Failure {
    GitHub(GitHubError),
    /// The budget is kept for more urgent work until this time.
    Budget(SystemTime),
}

type Reply = oneshot::Sender<Result<Facts, Failure>>;

#[derive(Clone, PartialEq, Eq, Hash)]
struct GroupKey {
    installation: u64,
    installer: String,
}

struct Entry {
    login: String,
    urgent: bool,
    since: Instant,
    in_flight: bool,
    replies: Vec<Reply>,
    /// Deliveries waiting in the store for this person: woken when the facts are cached.
    deliveries: Vec<String>,
}

#[derive(Default)]
struct Group {
    entries: HashMap<String, Entry>,
    github: Option<Arc<GitHub>>,
    running: bool,
    wake: Arc<Notify>,
}

pub struct Batcher {
    store: Arc<dyn Store>,
    metrics: Option<Arc<Metrics>>,
    settings: BatchSettings,
    groups: Mutex<HashMap<GroupKey, Group>>,
    /// Batches under way at once, at most.
    sending: Arc<tokio::sync::Semaphore>,
}

impl Batcher {
    pub fn new(
        store: Arc<dyn Store>,
        metrics: Option<Arc<Metrics>>,
        settings: BatchSettings,
    ) -> Arc<Self> {
        Arc::new(Self {
            store,
            metrics,
            settings,
            groups: Mutex::new(HashMap::new()),
            sending: Arc::new(tokio::sync::Semaphore::new(8)),
        })
    }

    pub fn settings(&self) -> &BatchSettings {
        &self.settings
    }

    /// Looks `login` up in the next batch and waits for the answer.
    pub async fn lookup(
        self: &Arc<Self>,
        github: Arc<GitHub>,
        installation: u64,
        installer: &str,
        login: &str,
    ) -> Result<Facts, Failure> {
        let (tx, rx) = oneshot::channel();
        self.join(github, installation, installer, login, Some(tx), None);
        rx.await.unwrap_or_else(|_| {
            Err(Failure::GitHub(GitHubError::Transport {
                method: "POST".into(),
                path: "graphql".into(),
                reason: "the batched lookup was stopped".into(),
            }))
        })
    }

    /// Adds `login` to a batch without waiting: `delivery` waits in the store
    /// and is woken once the facts are cached.
    pub fn enqueue(
        self: &Arc<Self>,
        github: Arc<GitHub>,
        installation: u64,
        installer: &str,
        login: &str,
        delivery: &str,
    ) {
        self.join(
            github,
            installation,
            installer,
            login,
            None,
            Some(delivery.to_string()),
        );
    }

    fn join(
        self: &Arc<Self>,
        github: Arc<GitHub>,
        installation: u64,
        installer: &str,
        login: &str,
        reply: Option<Reply>,
        delivery: Option<String>,
    ) {
        let key = GroupKey {
            installation,
            installer: installer.to_string(),
        };
        let Ok(mut groups) = self.groups.lock() else {
            return;
        };
        let group = groups.entry(key.clone()).or_default();
        group.github = Some(github);
        let entry = group
            .entries
            .entry(login.to_ascii_lowercase())
            .or_insert_with(|| Entry {
                login: login.to_string(),
                urgent: false,
                since: Instant::now(),
                in_flight: false,
                replies: Vec::new(),
                deliveries: Vec::new(),
            });
        entry.urgent |= reply.is_some();
        entry.replies.extend(reply);
        entry.deliveries.extend(delivery);
        group.wake.notify_one();
        let waiting = groups.values().map(|g| g.entries.len()).sum::<usize>();
        if let Some(metrics) = &self.metrics {
            metrics.lookups_waiting.set(waiting as i64);
        }
        let Some(group) = groups.get_mut(&key) else {
            return;
        };
        if !group.running {
            group.running = true;
            let batcher = self.clone();
            tokio::spawn(async move { batcher.run(key).await });
        }
    }

    /// Sends the group's batches until nobody is left waiting in it.
    async fn run(self: Arc<Self>, key: GroupKey) {
        loop {
            let wake = match self.groups.lock() {
                Ok(groups) => groups.get(&key).map(|g| g.wake.clone()),
                Err(_) => None,
            };
            let Some(wake) = wake else { return };
            let due = self.due(&key);
            let Some(due) = due else {
                // Nobody waits: stop, unless someone joined meanwhile.
                if let Ok(mut groups) = self.groups.lock()
                    && let Some(group) = groups.get_mut(&key)
                    && group.entries.values().all(|e| e.in_flight)
                {
                    group.running = false;
                    return;
                }
                continue;
            };
            if let Some(wait) = due.checked_duration_since(Instant::now()) {
                tokio::select! {
                    _ = wake.notified() => continue,
                    _ = tokio::time::sleep(wait) => {}
                }
            }
            // Batches go out side by side: a slow or failing one holds up no other.
            let Ok(permit) = self.sending.clone().acquire_owned().await else {
                return;
            };
            if let Some(batch) = self.take(&key) {
                let batcher = self.clone();
                let key = key.clone();
                tokio::spawn(async move {
                    batcher.send(&key, batch).await;
                    drop(permit);
                });
            }
        }
    }

    /// When the group's next batch is due: now when it is full, else the
    /// oldest waiter's window after it joined. `None` when nobody waits.
    fn due(&self, key: &GroupKey) -> Option<Instant> {
        let groups = self.groups.lock().ok()?;
        let group = groups.get(key)?;
        let waiting: Vec<&Entry> = group.entries.values().filter(|e| !e.in_flight).collect();
        if waiting.is_empty() {
            return None;
        }
        if waiting.len() >= self.settings.max {
            return Some(Instant::now());
        }
        waiting
            .iter()
            .map(|e| {
                e.since
                    + if e.urgent {
                        self.settings.urgent_window
                    } else {
                        self.settings.background_window
                    }
            })
            .min()
    }

    /// Takes up to `max` waiting people (authors of issues first, then the
    /// longest waiting) for the next query.
    fn take(&self, key: &GroupKey) -> Option<(Vec<String>, Arc<GitHub>, bool)> {
        let Ok(mut groups) = self.groups.lock() else {
            return None;
        };
        let group = groups.get_mut(key)?;
        {
            let mut waiting: Vec<&mut Entry> = group
                .entries
                .values_mut()
                .filter(|e| !e.in_flight)
                .collect();
            waiting.sort_by_key(|e| (!e.urgent, e.since));
            waiting.truncate(self.settings.max);
            let urgent = waiting.iter().any(|e| e.urgent);
            let logins: Vec<String> = waiting
                .into_iter()
                .map(|e| {
                    e.in_flight = true;
                    e.login.clone()
                })
                .collect();
            let github = group.github.clone()?;
            (!logins.is_empty()).then_some((logins, github, urgent))
        }
    }

    /// Looks the people of one batch up in one query.
    async fn send(
        &self,
        key: &GroupKey,
        (logins, github, urgent): (Vec<String>, Arc<GitHub>, bool),
    ) {
        let need = if urgent {
            Need::Lookup
        } else {
            Need::BackgroundLookup
        };
        let results =
            match github
                .budget()
                .check(key.installation, "graphql", need, 1, SystemTime::now())
            {
                Err(reset) => logins
                    .iter()
                    .map(|l| (l.to_ascii_lowercase(), Err(Failure::Budget(reset))))
                    .collect(),
                Ok(()) => {
                    let results =
                        query::look_up(&github, key.installation, &key.installer, &logins).await;
                    if let Some(metrics) = &self.metrics
                        && let Some(lowest) = github.budget().lowest("graphql")
                    {
                        metrics.budget_remaining("graphql", lowest);
                    }
                    results
                }
            };
        self.settle(key, results).await;
    }

    /// Caches what was learned, answers the waiters and wakes the deliveries.
    async fn settle(&self, key: &GroupKey, results: HashMap<String, Result<Facts, Failure>>) {
        let now: Millis = now_ms();
        for (login, result) in &results {
            if let Ok(facts) = result
                && let Ok(json) = serde_json::to_string(facts)
                && let Err(e) = self.store.cache_actor(login, &json, now).await
            {
                tracing::warn!(error = %e, "could not cache what GitHub said about a person");
            }
        }
        let mut woken = Vec::new();
        let waiting = {
            let Ok(mut groups) = self.groups.lock() else {
                return;
            };
            if let Some(group) = groups.get_mut(key) {
                for (login, result) in results {
                    let Some(entry) = group.entries.remove(&login) else {
                        continue;
                    };
                    for reply in entry.replies {
                        let _ = reply.send(result.clone());
                    }
                    if result.is_ok() {
                        woken.extend(entry.deliveries);
                    }
                }
            }
            groups.values().map(|g| g.entries.len()).sum::<usize>()
        };
        if let Some(metrics) = &self.metrics {
            metrics.lookups_waiting.set(waiting as i64);
        }
        if !woken.is_empty()
            && let Err(e) = self.store.wake(&woken, now_ms()).await
        {
            tracing::warn!(error = %e, "could not wake the deliveries of looked-up people; they resume at their set time");
        }
    }
}
