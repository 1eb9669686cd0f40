//! `orgradar check`: validate app.yml the way `serve` would load it.

use orgradar::config::{Config, Env};
use orgradar::rules::Channel;
use std::collections::BTreeSet;
use std::path::Path;
use std::process::ExitCode;

/// Validates the file; with the app's credentials in `env`, also checks that
/// the app can write to each leads repository.
pub fn run(path: &Path, env: &Env, runtime: &tokio::runtime::Runtime) -> ExitCode {
    match Config::load(path) {
        Ok(config) => {
            let app = &config.app;
            println!("{} is valid", path.display());
            println!("  app: {}", app.name.value);
            println!("  events: {}", list(&app.default_events));
            let permissions: Vec<String> = app
                .default_permissions
                .iter()
                .map(|(name, level)| format!("{name}: {}", format!("{level:?}").to_lowercase()))
                .collect();
            println!("  permissions: {}", list(&permissions));
            println!(
                "  worker: {} at a time, {} attempts, retries from {} up to {}",
                app.worker.concurrency.value,
                app.worker.max_attempts.value,
                app.worker.retry_base,
                app.worker.retry_max
            );
            let accounts = &config.accounts;
            println!(
                "  accounts: {} (people: {})",
                accounts.len(),
                accounts.people_len()
            );
            for (name, ids) in accounts.ambiguous_names() {
                println!(
                    "  warning: the name `{name}` answers to several accounts ({}); a company field with it matches none of them",
                    ids.join(", ")
                );
            }
            let rules = &config.rules;
            println!(
                "  rules: {} ({} mode), channels: {}",
                rules.rules.len(),
                if rules.shadow() { "shadow" } else { "live" },
                list(&rules.channels.keys().cloned().collect::<Vec<_>>())
            );
            for warning in orgradar::setup::manifest::warnings(app) {
                println!("warning: {warning}");
            }
            for warning in orgradar::rules::reach(rules, accounts.len()) {
                println!("warning: {warning}");
            }
            if !app.dashboard.allow_orgs.is_empty()
                && (env.github_client_id.is_none() || env.github_client_secret.is_none())
            {
                println!(
                    "warning: dashboard.allow_orgs is set, but GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET are not: nobody can sign in to the dashboard; register the app (`orgradar register` writes them to .env) or copy them from the app's settings on GitHub"
                );
            }
            let slack = rules
                .channels
                .values()
                .any(|c| matches!(c, Channel::SlackWebhookEnv(_) | Channel::SlackChannel(_)));
            if slack && env.slack_signing_secrets.is_none() {
                println!(
                    "note: SLACK_SIGNING_SECRET is not set, so Slack notices go out without Confirm / Not … / Ignore … buttons; to turn them on, set SLACK_SIGNING_SECRET to the Slack app's Basic Information → Signing Secret, and set the app's Interactivity & Shortcuts → Request URL to https://YOUR-HOST/api/slack/interactions"
                );
            }
            let tiers: BTreeSet<String> = accounts.iter().filter_map(|a| a.tier.clone()).collect();
            for warning in orgradar::rules::warnings(rules, |name| std::env::var(name).ok(), &tiers)
            {
                println!("warning: {warning}");
            }
            for warning in runtime.block_on(answers_against_people(env, accounts)) {
                println!("warning: {warning}");
            }
            let leads = rules.leads_repositories();
            if !leads.is_empty() {
                // The GitHub client's transport needs the runtime to exist.
                let _runtime = runtime.enter();
                match orgradar::serve::github_client(env, None) {
                    Ok(Some(github)) => {
                        let problems =
                            runtime.block_on(orgradar::actions::check_leads(&github, &leads));
                        for problem in &problems {
                            println!("warning: {problem}");
                        }
                        if problems.is_empty() {
                            println!(
                                "  leads repositories: {} (the app can write there)",
                                leads.join(", ")
                            );
                        }
                    }
                    _ => println!(
                        "  leads repositories: {} (not checked: set APP_ID and PRIVATE_KEY to check that the app is installed there)",
                        leads.join(", ")
                    ),
                }
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            // Every mistake found, one a line.
            for line in e.to_string().lines() {
                eprintln!("error: {line}");
            }
            ExitCode::FAILURE
        }
    }
}

/// Where app.yml's `people:` and an answer kept in the store disagree
/// (app.yml wins). Only a store that exists is read: check creates none.
async fn answers_against_people(
    env: &Env,
    accounts: &orgradar::affiliation::Accounts,
) -> Vec<String> {
    if accounts.people_len() == 0 {
        return Vec::new();
    }
    if let orgradar::config::DatabaseUrl::Sqlite(path) = &env.database
        && !path.exists()
    {
        return Vec::new();
    }
    let store = match orgradar::store::open(&env.database).await {
        Ok(store) => store,
        Err(e) => {
            return vec![format!(
                "cannot compare people: with the answers kept in the store ({e})"
            )];
        }
    };
    let answers = store.corrected().await;
    store.close().await;
    let Ok(answers) = answers else {
        return vec!["cannot read the answers kept in the store".into()];
    };
    let name = |id: &str| {
        accounts
            .by_id(id)
            .map_or_else(|| id.to_string(), |a| a.name.clone())
    };
    answers
        .iter()
        .filter_map(|c| {
            let listed = accounts.listed(&c.login)?;
            (c.belongs_to() != Some(Some(listed))).then(|| {
                format!(
                    "people: lists {} as `{listed}`, but {} answered \"{}\" via {} ({}); app.yml wins: change or remove the people: entry if the answer is right",
                    c.login,
                    c.by,
                    c.decided(name),
                    c.via.phrase(),
                    orgradar::time::rfc3339(c.at)
                )
            })
        })
        .collect()
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        "(none)".into()
    } else {
        items.join(", ")
    }
}
