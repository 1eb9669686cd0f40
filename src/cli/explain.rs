//! `orgradar explain`: which organization a person belongs to, and why,
//! decided as the worker decides. The profile comes from GitHub now (LOGIN)
//! or from a file (`--profile`, saved from `GET /users/{login}`, plus `orgs`
//! and `commit_emails` if known). Nothing is written.

use super::who::{Live, Saved};
use anyhow::Result;
use orgradar::affiliation::{Affiliation, Context, Evidence};
use orgradar::config::{Config, Env};
use orgradar::decide::{Core, Who};
use std::path::Path;
use std::process::ExitCode;

pub struct Options<'a> {
    pub login: Option<&'a str>,
    pub profile: Option<&'a Path>,
    pub config: &'a Path,
    pub json: bool,
    pub context: Context,
}

pub fn run(options: Options<'_>, env: &Env, runtime: &tokio::runtime::Runtime) -> Result<ExitCode> {
    let config = Config::load(options.config)?;
    let core = Core {
        accounts: &config.accounts,
        rules: &config.rules,
    };
    let mut context = options.context;
    let answer = match (options.profile, options.login) {
        (Some(path), _) => {
            let saved = Saved::load(path)?;
            let login = saved.0.login.clone();
            let person = runtime.block_on(saved.person(&login, None))?;
            core.affiliation(&login, context, Some(&person))
        }
        (None, Some(login)) => {
            if config.rules.ignores(login) {
                println!(
                    "{login} is listed under ignore: in app.yml; orgradar neither looks them up nor acts on what they do"
                );
                return Ok(ExitCode::SUCCESS);
            }
            let person = runtime.block_on(async {
                let live = Live::connect(env, context.installation_account.as_deref()).await?;
                context.installation_account = Some(live.installer.clone());
                anyhow::Ok(live.person(login, None).await?)
            })?;
            core.affiliation(login, context, Some(&person))
        }
        (None, None) => {
            eprintln!(
                "error: say whom to explain: `orgradar explain LOGIN` (live, with the app's credentials) or \
                 `orgradar explain --profile FILE` with a saved profile \
                 ({{\"user\": <GET /users/LOGIN>, \"orgs\": [...], \"commit_emails\": [...]}})"
            );
            return Ok(ExitCode::from(2));
        }
    };
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
        "\nevidence (+ supports the answer, ~ points elsewhere, x outweighed, - names no organization)\n",
    );
    for e in &a.evidence {
        out.push_str(&line(e, a));
    }
    out
}

fn line(e: &Evidence, a: &Affiliation) -> String {
    let outweighed = e.account.is_some() && e.strength == 0.0 && e.note.is_some();
    let mark = match (&e.account, &e.organization) {
        _ if outweighed => 'x',
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
