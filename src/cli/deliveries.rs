//! `orgradar deliveries list|show|retry`.

use anyhow::{Result, bail};
use clap::Subcommand;
use orgradar::config::Env;
use orgradar::decide::CHANGE_SUFFIX;
use orgradar::event::EventKind;
use orgradar::store::{self, DeliveryRow, ListFilter, Requeue, Status};
use orgradar::time::{now_ms, rfc3339};
use serde_json::{Value, json};
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum DeliveriesCommand {
    /// List deliveries, newest first.
    List {
        /// Only this status: queued, processing, done, failed or dead.
        #[arg(long, value_parser = parse_status)]
        status: Option<Status>,
        /// At most this many.
        #[arg(long, default_value_t = 50)]
        limit: usize,
        /// Print one JSON array.
        #[arg(long)]
        json: bool,
    },
    /// Show one delivery and each attempt at processing it.
    Show {
        /// The delivery id (GitHub's X-GitHub-Delivery), as `list` shows it.
        id: String,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Queue a failed or dead delivery again, with a fresh attempt budget.
    Retry {
        /// The delivery id (GitHub's X-GitHub-Delivery), as `list` shows it.
        id: String,
        /// Also requeue a delivery that was processed already.
        #[arg(long)]
        force: bool,
    },
}

fn parse_status(text: &str) -> Result<Status, String> {
    Status::parse(text).ok_or_else(|| {
        format!("`{text}` is not a status; use queued, processing, waiting, done, failed or dead")
    })
}

fn to_json(row: &DeliveryRow) -> Value {
    json!({
        "id": row.id,
        "event": row.event,
        "action": row.action,
        "status": row.status,
        "attempts": row.attempts,
        "received_at": rfc3339(row.received_at),
        "installation_id": row.installation_id,
        "repository": row.repository,
        "next_attempt_at": matches!(row.status, Status::Failed | Status::Waiting)
            .then(|| rfc3339(row.next_attempt_at)),
        "last_error": (row.status != Status::Done).then_some(&row.last_error),
        // Why a done delivery did nothing (or nothing more).
        "note": (row.status == Status::Done).then_some(&row.last_error),
    })
}

fn event_name(row: &DeliveryRow) -> String {
    match &row.action {
        Some(action) => format!("{}.{action}", row.event),
        None => row.event.clone(),
    }
}

pub async fn run(env: &Env, command: DeliveriesCommand) -> Result<ExitCode> {
    let store = store::open(&env.database).await?;
    let code = match command {
        DeliveriesCommand::List {
            status,
            limit,
            json,
        } => {
            let rows = store.list(&ListFilter { status, limit }).await?;
            if json {
                let list: Vec<Value> = rows.iter().map(to_json).collect();
                println!("{}", serde_json::to_string_pretty(&list)?);
            } else if rows.is_empty() {
                println!("no deliveries");
            } else {
                println!(
                    "{:<20}  {:<36}  {:<28}  {:<10}  {:>8}  REPOSITORY",
                    "RECEIVED", "ID", "EVENT", "STATUS", "ATTEMPTS"
                );
                for row in &rows {
                    println!(
                        "{:<20}  {:<36}  {:<28}  {:<10}  {:>8}  {}",
                        rfc3339(row.received_at),
                        row.id,
                        event_name(row),
                        row.status,
                        row.attempts,
                        row.repository.as_deref().unwrap_or("-")
                    );
                }
            }
            ExitCode::SUCCESS
        }
        DeliveriesCommand::Show { id, json } => {
            let Some((row, attempts)) = store.get(&id).await? else {
                bail!("no delivery with id {id}; `orgradar deliveries list` shows the stored ones");
            };
            let mut actions: Vec<_> = store.actions(&id).await?.into_iter().collect();
            actions.sort_by(|a, b| a.0.cmp(&b.0));
            // A job change the delivery raised is ledgered under its own key.
            let mut changed: Vec<_> = store
                .actions(&format!("{id}{CHANGE_SUFFIX}"))
                .await?
                .into_iter()
                .map(|(action, r)| (format!("{action} ({})", EventKind::AffiliationChanged), r))
                .collect();
            changed.sort_by(|a, b| a.0.cmp(&b.0));
            actions.extend(changed);
            if json {
                let mut value = to_json(&row);
                value["attempt_log"] = attempts
                    .iter()
                    .map(|a| {
                        json!({
                            "attempt": a.attempt,
                            "worker": a.worker,
                            "started_at": rfc3339(a.started_at),
                            "finished_at": a.finished_at.map(rfc3339),
                            "outcome": a.outcome,
                            "error": a.error,
                        })
                    })
                    .collect();
                value["actions"] = actions
                    .iter()
                    .map(|(action, r)| {
                        json!({ "action": action, "state": r.state.as_str(), "detail": r.detail })
                    })
                    .collect();
                println!("{}", serde_json::to_string_pretty(&value)?);
            } else {
                println!("delivery   {}", row.id);
                println!("event      {}", event_name(&row));
                println!("repository {}", row.repository.as_deref().unwrap_or("-"));
                println!("received   {}", rfc3339(row.received_at));
                println!("status     {}", row.status);
                if matches!(row.status, Status::Failed | Status::Waiting) {
                    println!("next try   {}", rfc3339(row.next_attempt_at));
                }
                match (&row.last_error, row.status) {
                    (Some(note), Status::Done) => println!("note       {note}"),
                    (Some(error), Status::Waiting) => println!("waiting    {error}"),
                    (Some(error), _) => println!("last error {error}"),
                    (None, _) => {}
                }
                for a in &attempts {
                    println!(
                        "  attempt {} by {} at {}: {}{}",
                        a.attempt,
                        a.worker,
                        rfc3339(a.started_at),
                        a.outcome.as_deref().unwrap_or("running"),
                        a.error
                            .as_deref()
                            .map(|e| format!(" ({e})"))
                            .unwrap_or_default()
                    );
                }
                if !actions.is_empty() {
                    println!("actions");
                }
                for (action, r) in &actions {
                    println!(
                        "  {action}: {}{}",
                        r.state,
                        r.detail
                            .as_deref()
                            .map(|d| format!(" ({d})"))
                            .unwrap_or_default()
                    );
                }
            }
            ExitCode::SUCCESS
        }
        DeliveriesCommand::Retry { id, force } => {
            match store.requeue(&id, force, now_ms()).await? {
                Requeue::Requeued => {
                    println!(
                        "delivery {id} is queued again; a running `orgradar serve` picks it up"
                    );
                    ExitCode::SUCCESS
                }
                Requeue::NotFound => {
                    bail!(
                        "no delivery with id {id}; `orgradar deliveries list` shows the stored ones"
                    )
                }
                Requeue::Pending(status) => {
                    println!("delivery {id} is {status} already; nothing to do");
                    ExitCode::SUCCESS
                }
                Requeue::Done => {
                    bail!("delivery {id} was processed already; add --force to process it again")
                }
            }
        }
    };
    store.close().await;
    Ok(code)
}
