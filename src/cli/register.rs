//! `orgradar register`: the registration flow for a machine without a
//! browser of its own: it serves the setup page, says where to open it, and
//! waits for GitHub's redirect.

use anyhow::{Context, Result, bail};
use orgradar::config::{Config, Env};
use orgradar::github::SharedGitHub;
use orgradar::metrics::Metrics;
use orgradar::setup::{self, Setup};
use std::net::SocketAddr;
use std::sync::{Arc, RwLock};

pub async fn run(env: Env, config: Config) -> Result<()> {
    if let Some(app_id) = env.github.app_id {
        bail!(
            "the app is registered already (APP_ID={app_id}); to register another, remove APP_ID, PRIVATE_KEY and WEBHOOK_SECRET from the environment and .env"
        );
    }
    let (tx, mut rx) = tokio::sync::mpsc::channel(1);
    let mut setup = Setup::new(
        config.app.clone(),
        env.github.clone(),
        env.webhook_path.clone(),
        SharedGitHub::default(),
        Arc::new(RwLock::new(None)),
        Arc::new(Metrics::new()),
    );
    setup.registered = Some(tx);
    let addr = SocketAddr::new(env.host, env.port);
    let listener = tokio::net::TcpListener::bind(addr).await.with_context(|| {
        format!("cannot listen on {addr}; set PORT (and HOST) to a free address")
    })?;
    let local = listener.local_addr()?;
    let port = local.port();
    let app = setup::router(Arc::new(setup));
    let server = tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
    });
    println!(
        "Open {} in a browser on this machine and {}.",
        setup::home_url(local),
        setup::next_step(&env.github)
    );
    println!(
        "On a remote machine, forward the port first: ssh -L {port}:localhost:{port} THIS-HOST"
    );
    tokio::select! {
        registered = rx.recv() => {
            server.abort();
            match registered {
                Some(app) => {
                    println!("Registered {} (app id {}): {}", app.name, app.id, app.html_url);
                    println!("Credentials written to .env (mode 0600). Next: install the app at {}/installations/new, then run `orgradar serve`.", app.html_url);
                    Ok(())
                }
                None => bail!("the registration page stopped before GitHub called back"),
            }
        }
        _ = tokio::signal::ctrl_c() => bail!("stopped before the registration was completed"),
    }
}
