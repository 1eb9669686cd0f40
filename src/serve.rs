//! `orgradar serve`: wires the store, the worker pool and the HTTP ingress
//! together, and shuts them down in order on SIGTERM or SIGINT.

use crate::actions::{Actions, check_leads, run_digests};
use crate::actor::{Actors, BatchSettings};
use crate::config::{Config, Env};
use crate::dashboard::{self, Dashboard};
use crate::feedback::FollowUp;
use crate::github::{
    AppCredentials, Budget, GitHub, GitHubError, RetryPolicy, SharedGitHub, SystemClock,
};
use crate::ingress::{self, Ingress, SlackInteractions, WebhookBudget, WorkerAlive};
use crate::listener;
use crate::metrics::Metrics;
use crate::notify::Slack;
use crate::pipeline::Pipeline;
use crate::setup::{self, SecretsSlot, Setup};
use crate::store::{self, StoreError};
use crate::time::now_ms;
use crate::worker::{Handoff, Worker, WorkerSettings, owner_name};
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::RwLock;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

#[derive(Debug, Clone, Copy)]
pub struct ServeOptions {
    /// Run the worker pool in this process (off: ingest only).
    pub worker: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot listen on {addr}: {source}; set PORT (and HOST) to a free address")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("the HTTP server failed: {0}")]
    Server(std::io::Error),
    #[error(transparent)]
    GitHub(#[from] GitHubError),
}

/// The GitHub client for the configured app, if `APP_ID` is set.
pub fn github_client(
    env: &Env,
    metrics: Option<Arc<Metrics>>,
) -> Result<Option<GitHub>, GitHubError> {
    let (Some(app_id), Some(source)) = (env.github.app_id, &env.github.private_key) else {
        return Ok(None);
    };
    let key = source.load()?;
    let credentials = AppCredentials { app_id, key };
    GitHub::new(
        env.github.api_url.clone(),
        Some(credentials),
        Arc::new(SystemClock),
        metrics,
    )
    .map(Some)
}

pub async fn serve(env: Env, config: Config, options: ServeOptions) -> Result<(), ServeError> {
    let store = store::open(&env.database).await?;
    // The SQLite store serves one process: whatever an earlier run left
    // `processing` was interrupted and is queued again now. A shared store's
    // `processing` rows may be other running instances' work: those wait for
    // their leases to expire.
    let requeued = if store.single_process() {
        store.release(None, now_ms()).await?
    } else {
        0
    };
    if requeued > 0 {
        tracing::info!(
            requeued,
            "requeued deliveries an earlier run had not finished"
        );
    }
    let metrics = Arc::new(Metrics::new());
    let budget = Arc::new(Budget::new(config.app.github.reserve.0));
    let github = SharedGitHub::new(github_client(&env, Some(metrics.clone()))?.map(|g| {
        Arc::new(
            g.with_policy(RetryPolicy::server())
                .with_budget(budget.clone()),
        )
    }));
    if let Some(app_id) = env.github.app_id {
        tracing::info!(app_id, api = %env.github.api_url, "GitHub App configured");
    }
    let wake = Arc::new(Notify::new());
    let shutdown = CancellationToken::new();
    let slack = Arc::new(Slack::new(
        env.slack_api_url.clone(),
        env.slack_bot_token.clone(),
    ));
    let actions = Arc::new(
        Actions::new(
            store.clone(),
            slack.clone(),
            Arc::new(config.rules.clone()),
            |name| std::env::var(name).ok(),
        )
        .with_metrics(metrics.clone())
        .with_buttons(env.slack_signing_secrets.is_some()),
    );
    for problem in actions.channel_problems() {
        tracing::warn!("{problem}");
    }
    tokio::spawn(check_leads_at_start(github.clone(), actions.clone()));
    tokio::spawn(release_held(
        github.clone(),
        store.clone(),
        wake.clone(),
        shutdown.clone(),
    ));
    tokio::spawn(housekeeping(actions.clone(), shutdown.clone()));

    let mut worker_alive = WorkerAlive::default();
    let mut handoff = None;
    let worker = options.worker.then(|| {
        let settings = WorkerSettings::from_config(&config.app.worker);
        let owner = owner_name();
        let lease_ms = settings.lease.as_millis() as i64;
        let (to_worker, taker) = Handoff::new(&owner, lease_ms, settings.concurrency);
        handoff = store.leases_at_ingest().then_some(to_worker);
        let worker = Arc::new(Worker {
            store: store.clone(),
            handler: Arc::new(
                Pipeline::new(
                    github.clone(),
                    Arc::new(Actors::new(
                        store.clone(),
                        config.app.affiliation.cache.as_millis_i64(),
                        Some(metrics.clone()),
                        BatchSettings::default(),
                    )),
                    Arc::new(config.accounts.clone()),
                    Arc::new(config.rules.clone()),
                    store.clone(),
                    actions.clone(),
                )
                .with_follow_up(Arc::new(FollowUp::new(
                    store.clone(),
                    actions.clone(),
                    slack.clone(),
                    Arc::new(config.accounts.clone()),
                ))),
            ),
            metrics: metrics.clone(),
            settings,
            owner,
            wake: wake.clone(),
            in_flight: Default::default(),
        });
        let (alive, running) = WorkerAlive::started();
        worker_alive = alive;
        let (stop, grace) = (shutdown.clone(), env.shutdown_grace);
        tokio::spawn(async move {
            let _running = running;
            worker.run(taker, stop, grace).await
        })
    });

    if let Some(every) = env.recovery_interval {
        tokio::spawn(recover_periodically(
            github.clone(),
            store.clone(),
            metrics.clone(),
            every,
            shutdown.clone(),
        ));
    }
    if env.webhook_secrets.is_none() {
        tracing::warn!("WEBHOOK_SECRET is not set: the webhook endpoint answers 503 until it is");
    }
    let secrets: SecretsSlot = Arc::new(RwLock::new(env.webhook_secrets.clone().map(Arc::new)));
    let dashboard = Arc::new(Dashboard::new(store.clone(), github.clone(), &config, &env));
    let setup = Setup::new(
        config.app.clone(),
        env.github.clone(),
        env.webhook_path.clone(),
        github,
        secrets.clone(),
        metrics.clone(),
    );
    let ingress = Arc::new(Ingress {
        secrets,
        store: store.clone(),
        metrics,
        queued: wake,
        handoff,
        budget: WebhookBudget::new(&env.http),
        worker: worker_alive,
        metrics_access: env.metrics.clone(),
        slack: SlackInteractions::new(env.slack_signing_secrets.clone()),
    });
    let app = ingress::router(ingress.clone(), &env.webhook_path)
        .merge(setup::router(Arc::new(setup)))
        .merge(dashboard::router(dashboard));
    listener::fit_open_files(&env.http);
    let addr = SocketAddr::new(env.host, env.port);
    let public =
        listen(addr, env.reuse_port).map_err(|source| ServeError::Bind { addr, source })?;
    let local = public.local_addr().unwrap_or(addr);
    if let Some(addr) = env.metrics.addr {
        let private = listen(addr, false).map_err(|source| ServeError::Bind { addr, source })?;
        let local = private.local_addr().unwrap_or(addr);
        tracing::info!(address = %local, "metrics listening");
        tokio::spawn(listener::serve(
            private,
            ingress::metrics_router(ingress),
            env.http.clone(),
            shutdown.clone(),
        ));
    }
    tracing::info!(address = %local, webhook_path = %env.webhook_path, config = %config.path.display(), "orgradar listening");
    if env.github.app_id.is_none() {
        let url = setup::home_url(local);
        tracing::warn!(
            setup_url = %url,
            "the GitHub App is not registered yet (APP_ID is not set): open {url} in a browser on this machine and {}",
            setup::next_step(&env.github)
        );
    }
    if let Some(channel) = env.github.webhook_proxy_url.clone() {
        let target = crate::relay::local_target(local, &env.webhook_path);
        tokio::spawn(crate::relay::run(channel, target, shutdown.clone()));
    }

    let mut server = tokio::spawn(listener::serve(
        public,
        app,
        env.http.clone(),
        shutdown.clone(),
    ));
    let early_end = tokio::select! {
        ended = &mut server => Some(ended),
        _ = shutdown_signal() => None,
    };
    tracing::info!(
        grace_secs = env.shutdown_grace.as_secs(),
        "shutting down: no new connections; finishing what is in flight"
    );
    shutdown.cancel();
    let result = match early_end {
        Some(ended) => ended.map_err(|e| ServeError::Server(std::io::Error::other(e))),
        None => match tokio::time::timeout(env.shutdown_grace, &mut server).await {
            Ok(ended) => ended.map_err(|e| ServeError::Server(std::io::Error::other(e))),
            Err(_) => {
                tracing::warn!("requests still open after the grace period; closing them");
                server.abort();
                Ok(())
            }
        },
    };
    if let Some(worker) = worker {
        let _ = worker.await;
    }
    store.close().await;
    tracing::info!("stopped");
    result
}

fn listen(addr: SocketAddr, reuse_port: bool) -> std::io::Result<tokio::net::TcpListener> {
    let socket = if addr.is_ipv4() {
        tokio::net::TcpSocket::new_v4()?
    } else {
        tokio::net::TcpSocket::new_v6()?
    };
    socket.set_reuseaddr(true)?;
    #[cfg(unix)]
    if reuse_port {
        socket.set_reuseport(true)?;
    }
    socket.bind(addr)?;
    socket.listen(1024)
}

/// Looks for missed deliveries at start and then every `every`, while the app is configured.
async fn recover_periodically(
    github: SharedGitHub,
    store: Arc<dyn crate::store::Store>,
    metrics: Arc<Metrics>,
    every: std::time::Duration,
    shutdown: CancellationToken,
) {
    let owner = owner_name();
    loop {
        if let Some(github) = github.get() {
            match crate::recovery::run(
                &github,
                store.as_ref(),
                Some(&metrics),
                &owner,
                None,
                false,
                now_ms(),
            )
            .await
            {
                Ok(report) if !report.redelivered.is_empty() => {
                    tracing::info!(
                        redelivered = report.redelivered.len(),
                        "recovered missed deliveries"
                    )
                }
                Ok(_) => tracing::debug!("no missed deliveries"),
                Err(crate::recovery::RecoveryError::Busy) => {}
                Err(e) => {
                    tracing::warn!(error = %e, "could not look for missed deliveries; trying again later")
                }
            }
        }
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = tokio::time::sleep(every) => {}
        }
    }
}

/// Deliveries held because the app was not registered are processed as soon
/// as it is: at start when the credentials are there, else when the
/// registration completes.
async fn release_held(
    github: SharedGitHub,
    store: Arc<dyn crate::store::Store>,
    wake: Arc<Notify>,
    shutdown: CancellationToken,
) {
    tokio::select! {
        _ = github.configured() => {}
        _ = shutdown.cancelled() => return,
    }
    let filter = crate::store::ListFilter {
        status: Some(crate::store::Status::Waiting),
        limit: 100_000,
    };
    let held: Vec<String> = match store.list(&filter).await {
        Ok(rows) => rows
            .into_iter()
            .filter(|r| r.last_error.as_deref().is_some_and(crate::failure::is_held))
            .map(|r| r.id)
            .collect(),
        Err(e) => {
            tracing::warn!(error = %e, "could not list held deliveries; they are looked at again within a minute");
            return;
        }
    };
    if held.is_empty() {
        return;
    }
    match store.wake(&held, now_ms()).await {
        Ok(n) => {
            tracing::info!(
                released = n,
                "the app is registered: processing the deliveries held until now"
            );
            wake.notify_one();
        }
        Err(e) => {
            tracing::warn!(error = %e, "could not release held deliveries; they are looked at again within a minute")
        }
    }
}

/// Says at start-up, plainly, which leads repositories the app cannot write to.
async fn check_leads_at_start(github: SharedGitHub, actions: Arc<Actions>) {
    let repos = actions.leads_repositories();
    let Some(github) = github.get() else {
        return;
    };
    if repos.is_empty() {
        return;
    }
    for problem in check_leads(github.as_ref(), &repos).await {
        tracing::warn!("{problem}");
    }
}

/// Digests when they are due, and the retention purge, by one instance.
async fn housekeeping(actions: Arc<Actions>, shutdown: CancellationToken) {
    const PURGE_EVERY_MS: i64 = 60 * 60 * 1000;
    let owner = owner_name();
    let mut last_purge = 0;
    loop {
        let now = now_ms();
        if let Err(e) = run_digests(&actions, &owner, now).await {
            tracing::warn!(error = %e, "could not send a digest; trying again in a minute");
        }
        if now - last_purge >= PURGE_EVERY_MS {
            match actions.purge_old(&owner, now).await {
                Ok(_) => last_purge = now,
                Err(e) => {
                    tracing::warn!(error = %e, "could not purge old sightings; trying again later")
                }
            }
        }
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = tokio::time::sleep(std::time::Duration::from_secs(60)) => {}
        }
    }
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => tokio::select! {
                _ = term.recv() => {}
                _ = tokio::signal::ctrl_c() => {}
            },
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
