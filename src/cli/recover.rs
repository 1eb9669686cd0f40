//! `orgradar recover`: look for missed deliveries now and have GitHub redeliver them.

use anyhow::{Context, Result};
use orgradar::config::{Duration, Env};
use orgradar::recovery::{self, WINDOW_MS};
use orgradar::time::{now_ms, rfc3339};
use orgradar::worker::owner_name;

pub async fn run(env: &Env, since: Option<Duration>, dry_run: bool) -> Result<()> {
    let github = orgradar::serve::github_client(env, None)?.context(
        "the GitHub App is not configured: set APP_ID and PRIVATE_KEY (or run `orgradar register`)",
    )?;
    let store = orgradar::store::open(&env.database).await?;
    let now = now_ms();
    let since = since.map(|d| now - d.as_millis_i64());
    let result = recovery::run(
        &github,
        store.as_ref(),
        None,
        &owner_name(),
        since,
        dry_run,
        now,
    )
    .await;
    store.close().await;
    let report = result?;
    if since.is_some_and(|s| s < now - WINDOW_MS) {
        println!("GitHub keeps deliveries for three days; looking back that far only.");
    }
    println!(
        "Looked at {} delivery attempts since {}: {} deliveries never succeeded ({} already stored here, {} failed again after a redelivery).",
        report.examined,
        rfc3339(report.since),
        report.failed,
        report.already_stored,
        report.failed_again
    );
    if report.redelivered.is_empty() {
        println!("Nothing to redeliver.");
    }
    for (guid, event) in &report.redelivered {
        let verb = if dry_run {
            "would redeliver"
        } else {
            "redelivered"
        };
        println!("  {verb} {guid} ({event})");
    }
    if dry_run {
        println!("Dry run: nothing was redelivered and the checkpoint was not moved.");
    }
    Ok(())
}
