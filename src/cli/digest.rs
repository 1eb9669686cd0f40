//! `orgradar digest`: the digest of each digest channel, from the last one
//! up to now; sent at once, or only printed with `--dry-run`.

use anyhow::{Result, bail};
use orgradar::actions::{Actions, digest_now, product_digest_now};
use orgradar::config::{Config, Env};
use orgradar::notify::{Slack, digest, product_digest};
use orgradar::time::now_ms;
use std::process::ExitCode;
use std::sync::Arc;

pub async fn run(env: &Env, config: &Config, dry_run: bool, json: bool) -> Result<ExitCode> {
    let rules = config.rules.clone();
    if rules.digest.is_none() && rules.product_digest.is_none() {
        bail!(
            "app.yml has no digest: add e.g. `digest: {{ channels: [marketing], every: monday 09:00, timezone: Europe/Berlin }}` or `product_digest: {{ channels: [product], every: monday 09:00 }}`"
        );
    }
    let store = orgradar::store::open(&env.database).await?;
    let actions = Actions::new(
        store.clone(),
        Arc::new(Slack::new(
            env.slack_api_url.clone(),
            env.slack_bot_token.clone(),
        )),
        Arc::new(rules),
        |name| std::env::var(name).ok(),
    );
    let owner = format!("digest-cli-{}", std::process::id());
    let now = now_ms();
    let result = digest_now(&actions, &owner, now, dry_run).await;
    let product = product_digest_now(&actions, &owner, now, dry_run).await;
    store.close().await;
    let digests = result?;
    let product = product?;
    for d in &digests {
        let message = digest(d);
        if json {
            println!(
                "{}",
                serde_json::to_string(&serde_json::json!({
                    "channel": d.channel, "accounts": d.accounts.len(), "sent": !dry_run && !d.accounts.is_empty(), "message": message
                }))?
            );
        } else {
            let state = match (dry_run, d.accounts.is_empty()) {
                (_, true) => "nothing to send",
                (true, false) => "not sent (--dry-run)",
                (false, false) => "sent",
            };
            println!("--- {} ({state}) ---\n{}\n", d.channel, message.readable());
        }
    }
    for d in &product {
        let message = product_digest(d);
        let empty = d.topics.is_empty();
        if json {
            println!(
                "{}",
                serde_json::to_string(&serde_json::json!({
                    "channel": d.channel, "kind": "product", "topics": d.topics.len(), "sent": !dry_run && !empty, "message": message
                }))?
            );
        } else {
            let state = match (dry_run, empty) {
                (_, true) => "nothing to send",
                (true, false) => "not sent (--dry-run)",
                (false, false) => "sent",
            };
            println!(
                "--- {} (product digest, {state}) ---\n{}\n",
                d.channel,
                message.readable()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
