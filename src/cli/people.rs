//! `orgradar people set|show|list|forget`: answers from the command line,
//! what is on record about a person, and erasure.

use anyhow::{Result, bail};
use clap::Subcommand;
use orgradar::config::{Config, Env};
use orgradar::feedback::{new_id, submit};
use orgradar::people::{Correction, Verdict, Via};
use orgradar::sighting::Sighting;
use orgradar::store::{self, Store};
use orgradar::time::{now_ms, rfc3339};
use serde_json::{Value, json};
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum PeopleCommand {
    /// Say which account a person belongs to. It outweighs everything
    /// orgradar reads from their profile from now on (`people:` in app.yml
    /// still wins), and what their latest sighting did on the strength of a
    /// wrong answer is put right by the running server.
    Set {
        /// The person's GitHub login.
        login: String,
        /// An account id from app.yml, `none` (no target account) or
        /// `ignore` (never look them up or notify about them).
        account: String,
        /// Why, for the record.
        #[arg(long)]
        note: Option<String>,
        /// The sighting (its delivery id) the answer is about; default: the
        /// person's latest.
        #[arg(long)]
        sighting: Option<String>,
        /// Who answers (default: $USER).
        #[arg(long)]
        by: Option<String>,
    },
    /// What is on record about a person: the answer in force and every
    /// earlier one, the organizations they were seen at, their sightings.
    Show {
        /// The person's GitHub login.
        login: String,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// The people someone answered about, with the answer in force.
    List {
        /// Only those with an answer (the only list kept today).
        #[arg(long)]
        corrected: bool,
        /// Print one JSON array.
        #[arg(long)]
        json: bool,
    },
    /// Erase what is kept about a person (sightings, cached profile, answers,
    /// the organizations they were seen at, their deliveries' payloads) and
    /// keep only a salted hash of the login, so they are not collected again.
    Forget {
        /// The person's GitHub login.
        login: String,
    },
}

pub async fn run(env: &Env, config: &Config, command: PeopleCommand) -> Result<ExitCode> {
    let store = store::open(&env.database).await?;
    let code = match command {
        PeopleCommand::Set {
            login,
            account,
            note,
            sighting,
            by,
        } => set(store.as_ref(), config, &login, &account, note, sighting, by).await?,
        PeopleCommand::Show { login, json } => show(store.as_ref(), config, &login, json).await?,
        PeopleCommand::List { corrected: _, json } => list(store.as_ref(), config, json).await?,
        PeopleCommand::Forget { login } => {
            let f = store.forget(&login, now_ms()).await?;
            println!(
                "forgot {login}: {} sightings, {} answers, {} organizations seen at, {} cached profiles erased; only a salted hash of the login is kept, so orgradar does not collect them again",
                f.sightings, f.corrections, f.tenures, f.profiles
            );
            if config.accounts.listed(&login).is_some() {
                println!("note: app.yml still lists {login} under people:; remove that line too");
            }
            ExitCode::SUCCESS
        }
    };
    store.close().await;
    Ok(code)
}

fn account_name(config: &Config, id: &str) -> String {
    config
        .accounts
        .by_id(id)
        .map_or_else(|| id.to_string(), |a| a.name.clone())
}

async fn set(
    store: &dyn Store,
    config: &Config,
    login: &str,
    account: &str,
    note: Option<String>,
    sighting: Option<String>,
    by: Option<String>,
) -> Result<ExitCode> {
    let (verdict, account) = match account {
        "none" => (Verdict::None, None),
        "ignore" => (Verdict::Ignore, None),
        id => {
            if config.accounts.by_id(id).is_none() {
                let ids: Vec<&str> = config.accounts.iter().map(|a| a.id.as_str()).collect();
                bail!(
                    "`{id}` is no account in app.yml; use one of {}, `none` or `ignore`",
                    if ids.is_empty() {
                        "(app.yml lists no accounts)".to_string()
                    } else {
                        ids.join(", ")
                    }
                );
            }
            (Verdict::Account, Some(id.to_string()))
        }
    };
    let sighted = match &sighting {
        Some(id) => match store.sighting(id).await? {
            Some(s) if s.login.eq_ignore_ascii_case(login) => Some(s),
            Some(s) => bail!(
                "the sighting {id} is of {}, not {login}; `orgradar people show {login}` lists theirs",
                s.login
            ),
            None => bail!(
                "no sighting {id} is kept; `orgradar people show {login}` lists the kept ones"
            ),
        },
        None => store.person_sightings(login).await?.into_iter().next(),
    };
    let mut verdict = verdict;
    if verdict == Verdict::Account
        && sighted
            .as_ref()
            .is_some_and(|s| s.account.is_some() && s.account == account)
    {
        verdict = Verdict::Confirm;
    }
    let by = by
        .or_else(|| std::env::var("USER").ok())
        .filter(|b| !b.trim().is_empty())
        .unwrap_or_else(|| "the command line".into());
    let correction = Correction {
        id: new_id(Via::Cli),
        login: login.to_lowercase(),
        verdict,
        account,
        sighting: sighted.as_ref().map(|s| s.delivery_id.clone()),
        sighted: sighted.as_ref().map(Sighting::sighted).unwrap_or_default(),
        by,
        via: Via::Cli,
        note,
        at: now_ms(),
    };
    submit(store, &correction, None).await?;
    let decided = correction.decided(|id| account_name(config, id));
    println!("{decided} for {login} (answer {})", correction.id);
    if let Some(s) = &sighted {
        println!(
            "its latest sighting ({}, {}) is put right by the running server",
            s.delivery_id,
            rfc3339(s.at)
        );
    }
    if let Some(listed) = config.accounts.listed(login) {
        println!(
            "note: app.yml lists {login} under people: as `{listed}`, which still wins; change or remove that line for this answer to count"
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn correction_json(c: &Correction, config: &Config) -> Value {
    json!({
        "id": c.id,
        "decided": c.decided(|id| account_name(config, id)),
        "verdict": c.verdict,
        "account": c.account,
        "sighting": c.sighting,
        "sighted_account": c.sighted.account,
        "signal": c.sighted.signal,
        "by": c.by,
        "via": c.via,
        "note": c.note,
        "at": rfc3339(c.at),
    })
}

async fn show(store: &dyn Store, config: &Config, login: &str, json: bool) -> Result<ExitCode> {
    let standing = store.standing(login).await?;
    if standing.forgotten {
        println!("{login} asked to be forgotten: nothing about them is kept");
        return Ok(ExitCode::SUCCESS);
    }
    let answers = store.corrections(login).await?;
    let sightings = store.person_sightings(login).await?;
    let tenures = &standing.tenures;
    if json {
        let value = json!({
            "login": login,
            "in_force": standing.correction.as_ref().map(|c| correction_json(c, config)),
            "corrections": answers.iter().map(|c| correction_json(c, config)).collect::<Vec<_>>(),
            "history": tenures.iter().map(|t| json!({
                "organization": t.name,
                "account": t.account,
                "first_seen": rfc3339(t.first_at),
                "last_seen": rfc3339(t.last_at),
            })).collect::<Vec<_>>(),
            "sightings": sightings.iter().map(|s| json!({
                "delivery": s.delivery_id,
                "at": rfc3339(s.at),
                "event": s.event,
                "repository": s.repository,
                "url": s.url,
                "account": s.account,
                "organization": s.organization,
                "evidence": s.evidence,
            })).collect::<Vec<_>>(),
        });
        println!("{}", serde_json::to_string_pretty(&value)?);
        return Ok(ExitCode::SUCCESS);
    }
    if answers.is_empty() && sightings.is_empty() && tenures.is_empty() {
        println!(
            "nothing is on record about {login}: no sighting, no answer; `orgradar explain {login}` shows how orgradar would classify them"
        );
        return Ok(ExitCode::SUCCESS);
    }
    println!("{login}");
    match &standing.correction {
        Some(c) => println!(
            "answer in force: {} (by {} via {}, {})",
            c.decided(|id| account_name(config, id)),
            c.by,
            c.via.phrase(),
            rfc3339(c.at)
        ),
        None => println!("answer in force: none (orgradar decides from the profile)"),
    }
    if !answers.is_empty() {
        println!("\nanswers, oldest first:");
        for c in &answers {
            let note = c
                .note
                .as_deref()
                .map(|n| format!(" ({n})"))
                .unwrap_or_default();
            println!(
                "  {}  {} by {} via {}{note}",
                rfc3339(c.at),
                c.decided(|id| account_name(config, id)),
                c.by,
                c.via.phrase()
            );
        }
    }
    if !tenures.is_empty() {
        println!("\nseen at, latest first:");
        for t in tenures {
            println!(
                "  {}  from {} to {}",
                t.name,
                rfc3339(t.first_at),
                rfc3339(t.last_at)
            );
        }
    }
    if !sightings.is_empty() {
        println!("\nsightings, latest first:");
        for s in &sightings {
            println!(
                "  {}  {} {}  {}  ({})",
                rfc3339(s.at),
                s.event,
                s.repository,
                s.group_name(),
                s.delivery_id
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn list(store: &dyn Store, config: &Config, json: bool) -> Result<ExitCode> {
    let corrected = store.corrected().await?;
    if json {
        let list: Vec<Value> = corrected
            .iter()
            .map(|c| {
                let mut v = correction_json(c, config);
                v["login"] = json!(c.login);
                v
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&list)?);
    } else if corrected.is_empty() {
        println!(
            "nobody was corrected yet; answers come from the Slack buttons, the dashboard and `orgradar people set`"
        );
    } else {
        println!("{:<30}  {:<40}  {:<20}  AT", "LOGIN", "ANSWER", "BY");
        for c in &corrected {
            println!(
                "{:<30}  {:<40}  {:<20}  {}",
                c.login,
                c.decided(|id| account_name(config, id)),
                format!("{} ({})", c.by, c.via.as_str()),
                rfc3339(c.at)
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
