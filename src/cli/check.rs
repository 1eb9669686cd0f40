//! `orgradar check`: validate app.yml the way `serve` would load it.

use orgradar::config::Config;
use std::collections::BTreeSet;
use std::path::Path;
use std::process::ExitCode;

pub fn run(path: &Path) -> ExitCode {
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
            let tiers: BTreeSet<String> = accounts.iter().filter_map(|a| a.tier.clone()).collect();
            for warning in orgradar::rules::warnings(rules, |name| std::env::var(name).ok(), &tiers)
            {
                println!("warning: {warning}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        "(none)".into()
    } else {
        items.join(", ")
    }
}
