//! `orgradar explain`: which organization a person belongs to, and why.
//! Offline: the profile comes from a file (`--profile`), saved from GitHub's
//! `GET /users/{login}` (plus `orgs` and `commit_emails` if known).

use anyhow::{Context as _, Result};
use orgradar::actor::Actors;
use orgradar::affiliation::{self, Affiliation, Context, Evidence, Profile};
use orgradar::config::{Config, Env};
use orgradar::time::now_ms;
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
    let Some(profile_path) = options.profile else {
        let Some(login) = options.login else {
            eprintln!(
                "error: say whom to explain: `orgradar explain LOGIN` (live, with the app's credentials) or \
                 `orgradar explain --profile FILE` with a saved profile \
                 ({{\"user\": <GET /users/LOGIN>, \"orgs\": [...], \"commit_emails\": [...]}})"
            );
            return Ok(ExitCode::from(2));
        };
        let config = Config::load(options.config)?;
        if config.rules.ignores(login) {
            println!(
                "{login} is listed under ignore: in app.yml; orgradar neither looks them up nor acts on what they do"
            );
            return Ok(ExitCode::SUCCESS);
        }
        let answer = runtime.block_on(live(env, &config, login, options.context))?;
        print_answer(&answer, options.json)?;
        return Ok(ExitCode::SUCCESS);
    };
    let config = Config::load(options.config)?;
    let profile = load_profile(profile_path)?;
    let answer = affiliation::classify(&profile, &config.accounts, &options.context);
    print_answer(&answer, options.json)?;
    Ok(ExitCode::SUCCESS)
}

/// Reads a saved profile.
pub(super) fn load_profile(path: &Path) -> Result<Profile> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the profile {}", path.display()))?;
    Profile::from_json(&text).with_context(|| {
        format!(
            "{} is not a profile: save GitHub's answer to GET /users/LOGIN (e.g. `gh api users/LOGIN > profile.json`), or wrap it as {{\"user\": <that answer>, \"orgs\": [...], \"commit_emails\": [...]}} to add organizations and commit emails (both optional)",
            path.display()
        )
    })
}

fn print_answer(answer: &Affiliation, json: bool) -> Result<()> {
    if json {
        println!("{}", serde_json::to_string_pretty(answer)?);
    } else {
        print!("{}", readable(answer));
    }
    Ok(())
}

/// Looks `login` up on GitHub now, as the app's installation on the
/// organization named by `--installed-by` (or its first installation).
pub(super) async fn live(
    env: &Env,
    config: &Config,
    login: &str,
    mut context: Context,
) -> Result<Affiliation> {
    let github = orgradar::serve::github_client(env, None)?.context(
        "looking someone up on GitHub needs the app's credentials: set APP_ID and PRIVATE_KEY (or run `orgradar register`), or use --profile FILE",
    )?;
    let installations = github.installations().await?;
    let wanted = context.installation_account.clone();
    let installation = installations
        .iter()
        .find(|i| {
            wanted
                .as_deref()
                .is_none_or(|w| i.account.login.eq_ignore_ascii_case(w))
        })
        .with_context(|| match &wanted {
            Some(org) => format!(
                "the app is not installed on {org}; install it there or leave out --installed-by"
            ),
            None => "the app is not installed anywhere yet; install it on an organization first"
                .to_string(),
        })?;
    context.installation_account = Some(installation.account.login.clone());
    let store = orgradar::store::open(&env.database).await?;
    // cache_ms 0: what is cached is too old by definition, so GitHub is asked now.
    let actors = Actors::new(store.clone(), 0, None, Default::default());
    let facts = actors
        .facts(
            &std::sync::Arc::new(github),
            installation.id,
            login,
            Some(&installation.account.login),
            now_ms(),
        )
        .await;
    store.close().await;
    let facts = facts?;
    if !facts.found {
        anyhow::bail!("GitHub knows no user `{login}`");
    }
    if facts.member_of_installer && context.author_association.is_none() {
        context.author_association = Some("MEMBER".into());
    }
    Ok(affiliation::classify(
        &facts.profile(),
        &config.accounts,
        &context,
    ))
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
