//! `orgradar explain`: which organization a person belongs to, and why.
//! Offline: the profile comes from a file (`--profile`), saved from GitHub's
//! `GET /users/{login}` (plus `orgs` and `commit_emails` if known).

use anyhow::{Context as _, Result};
use orgradar::affiliation::{self, Affiliation, Context, Evidence, Profile};
use orgradar::config::Config;
use std::path::Path;
use std::process::ExitCode;

pub struct Options<'a> {
    pub login: Option<&'a str>,
    pub profile: Option<&'a Path>,
    pub config: &'a Path,
    pub json: bool,
    pub context: Context,
}

pub fn run(options: Options<'_>) -> Result<ExitCode> {
    let Some(profile_path) = options.profile else {
        let Some(login) = options.login else {
            eprintln!(
                "error: say whom to explain: `orgradar explain --profile FILE` with a saved profile \
                 ({{\"user\": <GET /users/LOGIN>, \"orgs\": [...], \"commit_emails\": [...]}})"
            );
            return Ok(ExitCode::from(2));
        };
        eprintln!(
            "error: looking up `{login}` on GitHub needs the app's credentials, and live lookups are not available yet; \
             save the profile as JSON ({{\"user\": <GET /users/{login}>, \"orgs\": [...], \"commit_emails\": [...]}}) \
             and run `orgradar explain --profile FILE`"
        );
        return Ok(ExitCode::from(2));
    };
    let config = Config::load(options.config)?;
    let text = std::fs::read_to_string(profile_path)
        .with_context(|| format!("cannot read the profile {}", profile_path.display()))?;
    let profile = Profile::from_json(&text).with_context(|| {
        format!(
            "{} is not a profile: expected {{\"user\": <GET /users/LOGIN answer>, \"orgs\": [...], \"commit_emails\": [...]}} (orgs and commit_emails optional)",
            profile_path.display()
        )
    })?;
    let answer = affiliation::classify(&profile, &config.accounts, &options.context);
    if options.json {
        println!("{}", serde_json::to_string_pretty(&answer)?);
    } else {
        print!("{}", readable(&answer));
    }
    Ok(ExitCode::SUCCESS)
}

/// The answer as a person reads it.
fn readable(a: &Affiliation) -> String {
    let mut out = String::new();
    let headline = match (&a.account, &a.organization) {
        _ if a.bot => "a bot; bots are never matched to an organization".to_string(),
        (Some(id), Some(name)) => match &a.tier {
            Some(tier) => format!("{name} (target account `{id}`, tier {tier})"),
            None => format!("{name} (target account `{id}`)"),
        },
        (None, Some(name)) => format!("{name} (not a target account)"),
        _ => "no organization found".to_string(),
    };
    out.push_str(&format!("{} → {headline}\n", a.login));
    let yes_no = |b: bool| if b { "yes" } else { "no" };
    out.push_str(&format!(
        "  confidence {:.2} · insider: {} · bot: {}\n",
        a.confidence,
        yes_no(a.insider),
        yes_no(a.bot)
    ));
    if a.evidence.is_empty() {
        out.push_str(
            "\nno evidence: the profile has no company, email, website or organizations\n",
        );
        return out;
    }
    out.push_str(
        "\nevidence (+ supports the answer, ~ points elsewhere, - names no organization)\n",
    );
    for e in &a.evidence {
        out.push_str(&line(e, a));
    }
    out
}

fn line(e: &Evidence, a: &Affiliation) -> String {
    let mark = match (&e.account, &e.organization) {
        (Some(id), _) if Some(id) == a.account.as_ref() => '+',
        (None, Some(org)) if a.account.is_none() && Some(org) == a.organization.as_ref() => '+',
        (Some(_), _) | (None, Some(_)) => '~',
        (None, None) => '-',
    };
    let points_to = match (&e.account, &e.organization) {
        (Some(id), _) => format!("→ account `{id}` ({:.2})", e.strength),
        (None, Some(org)) => format!("→ {org} ({:.2})", e.strength),
        (None, None) => String::new(),
    };
    let note = e
        .note
        .as_deref()
        .map(|n| format!("  {n}"))
        .unwrap_or_default();
    format!(
        "  {mark} {:<16} {:<28} from {:<18} {points_to}{note}\n",
        e.signal.to_string(),
        e.value,
        e.source.to_string()
    )
    .replace("  \n", "\n")
}
