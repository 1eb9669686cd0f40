//! `orgradar demo`: the leads dashboard on made-up data, in one command. It
//! writes a sample app.yml, seeds a fresh SQLite file with four months of
//! sightings through the store's own API, and serves the dashboard without
//! sign-in on this machine only.

mod seed;

use anyhow::{Context, Result, bail};
use axum::Router;
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use orgradar::config::{Config, DatabaseUrl, Env};
use orgradar::dashboard::{self, Dashboard};
use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio_util::sync::CancellationToken;

/// The sample configuration the demo starts from.
pub const APP_YML: &str = include_str!("app.yml");

/// The SQLite file the demo seeds, inside its folder.
const DATABASE: &str = "orgradar-demo.db";

pub struct Options {
    pub host: IpAddr,
    pub port: u16,
    /// Where app.yml and the database go; a new temporary folder without it.
    pub dir: Option<PathBuf>,
}

pub async fn run(options: Options, env: &Env) -> Result<()> {
    if !options.host.is_loopback() {
        bail!(
            "the demo serves the dashboard without sign-in, so it listens on this machine only, not on {}; use --host 127.0.0.1 (or ::1), and to show it from elsewhere forward the port (ssh -L {port}:127.0.0.1:{port} THIS-HOST)",
            options.host,
            port = options.port
        );
    }
    let (dir, temporary) = match options.dir {
        Some(dir) => (dir, false),
        None => {
            let stamp = orgradar::time::now_ms();
            let dir =
                std::env::temp_dir().join(format!("orgradar-demo-{}-{stamp}", std::process::id()));
            (dir, true)
        }
    };
    std::fs::create_dir_all(&dir).with_context(|| {
        format!(
            "cannot create the demo's folder {}; choose another with --dir",
            dir.display()
        )
    })?;
    let config_path = dir.join("app.yml");
    // A folder given again keeps its app.yml, so an edited one is shown.
    if !config_path.exists() {
        std::fs::write(&config_path, APP_YML).with_context(|| {
            format!(
                "cannot write {}; choose another folder with --dir",
                config_path.display()
            )
        })?;
    }
    let config = Config::load(&config_path)?;
    let database = fresh_database(&dir)?;
    let store = orgradar::store::open(&DatabaseUrl::Sqlite(database.clone())).await?;
    let sightings = seed::sightings(
        orgradar::time::now_ms(),
        &config.accounts,
        &config.rules.intent,
    );
    for s in &sightings {
        store.record_sighting(s, &[]).await?;
    }

    let addr = SocketAddr::new(options.host, options.port);
    let listener = tokio::net::TcpListener::bind(addr).await.with_context(|| {
        format!("cannot listen on {addr}; is the port taken? choose another with --port")
    })?;
    let local = listener.local_addr().unwrap_or(addr);
    let app = Router::new()
        .route("/", get(|| async { Redirect::to("/dashboard") }))
        .merge(dashboard::router(Arc::new(Dashboard::demo(
            store.clone(),
            &config,
        ))))
        .layer(middleware::from_fn(loopback_names_only));

    // Whoever reads this may go away (`orgradar demo | head`); the server stays.
    let _ = write!(
        std::io::stdout().lock(),
        "orgradar demo: {} made-up sightings of the target accounts in {}\n\
         (the database is {}; nothing is sent anywhere)\n\n\
         Open the dashboard: http://{local}/dashboard\n\n\
         Press Ctrl-C to stop.\n",
        sightings.len(),
        config_path.display(),
        database.display(),
    );
    let _ = std::io::stdout().flush();

    let shutdown = CancellationToken::new();
    let stop = shutdown.clone();
    tokio::spawn(async move {
        let _ = tokio::signal::ctrl_c().await;
        stop.cancel();
    });
    orgradar::listener::serve(listener, app, env.http.clone(), shutdown).await;
    store.close().await;
    if temporary {
        let _ = std::fs::remove_dir_all(&dir);
    }
    Ok(())
}

/// The demo's database in `dir`, removed first if an earlier run left one.
fn fresh_database(dir: &Path) -> Result<PathBuf> {
    let database = dir.join(DATABASE);
    for suffix in ["", "-wal", "-shm"] {
        let file = PathBuf::from(format!("{}{suffix}", database.display()));
        match std::fs::remove_file(&file) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => bail!(
                "cannot remove the earlier demo database {}: {e}; remove it or choose another --dir",
                file.display()
            ),
        }
    }
    Ok(database)
}

/// Answers only requests addressed to this machine by a loopback name, so
/// a web page elsewhere cannot read the demo by pointing its own name at
/// 127.0.0.1.
async fn loopback_names_only(request: Request, next: Next) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default();
    let name = match host.rsplit_once(':') {
        Some((name, port)) if port.chars().all(|c| c.is_ascii_digit()) => name,
        _ => host,
    };
    let loopback = name.eq_ignore_ascii_case("localhost")
        || name
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    if loopback {
        next.run(request).await
    } else {
        (
            StatusCode::MISDIRECTED_REQUEST,
            "the demo answers only at localhost, 127.0.0.1 or [::1]; open the address it printed\n",
        )
            .into_response()
    }
}
