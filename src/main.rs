//! The `orgradar` command line.

mod cli;

use anyhow::Result;
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "orgradar",
    version,
    about = "Notices when people from target organizations show up in your open-source project"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Start the webhook server and the worker pool.
    #[command(after_long_help = orgradar::config::variables::help())]
    Serve {
        /// Only receive and store deliveries; another process works them off.
        #[arg(long)]
        no_worker: bool,
    },
    /// Validate app.yml and exit non-zero on any mistake.
    Check {
        /// The file to check (default: ORGRADAR_CONFIG or ./app.yml).
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Which organization a GitHub user belongs to, and the evidence for it.
    Explain {
        /// A GitHub login to look up live (needs the app's credentials).
        #[arg(conflicts_with = "profile")]
        login: Option<String>,
        /// A saved profile: {"user": <GET /users/LOGIN>, "orgs": [...], "commit_emails": [...]}.
        #[arg(long, value_name = "FILE")]
        profile: Option<PathBuf>,
        /// The app.yml with the target accounts (default: ORGRADAR_CONFIG or ./app.yml).
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// The item's author_association (OWNER, MEMBER, COLLABORATOR, ...).
        #[arg(long, value_name = "ASSOCIATION")]
        association: Option<orgradar::affiliation::Association>,
        /// The organization that installed the app; its members are insiders.
        #[arg(long, value_name = "ORG")]
        installed_by: Option<String>,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Run a webhook payload through the pipeline without writing anything:
    /// prints the affiliation, the rules that match and what each channel would get.
    Simulate {
        /// The event, as GitHub's X-GitHub-Event header names it (`issues`),
        /// or with its action (`issues.opened`).
        #[arg(long, value_name = "NAME")]
        event: String,
        /// The payload, as GitHub sends it (a repository's webhook log has them).
        #[arg(value_name = "PAYLOAD.json")]
        payload: PathBuf,
        /// A saved profile of the actor instead of a live lookup on GitHub.
        #[arg(long, value_name = "FILE")]
        profile: Option<PathBuf>,
        /// As if the person had been seen at this target account (its id)
        /// before: a job change, for rules on affiliation.changed.
        #[arg(long, value_name = "ACCOUNT")]
        previous: Option<String>,
        /// The app.yml with the rules (default: ORGRADAR_CONFIG or ./app.yml).
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Send each digest channel its digest now, covering the time since the last one.
    Digest {
        /// Only print the digests.
        #[arg(long)]
        dry_run: bool,
        /// Print one JSON object per channel.
        #[arg(long)]
        json: bool,
    },
    /// Show the leads dashboard on made-up data: a sample app.yml, a fresh
    /// SQLite file with four months of sightings, no sign-in, this machine only.
    Demo {
        /// The loopback address to listen on (127.0.0.1 or ::1).
        #[arg(long, default_value = "127.0.0.1")]
        host: std::net::IpAddr,
        /// The port (0: any free one).
        #[arg(long, default_value_t = 3000)]
        port: u16,
        /// Where to write app.yml and the database (default: a new temporary folder).
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
    /// Create or upgrade the store's schema (DATABASE_URL), say which migrations it applied, and exit.
    Migrate,
    /// Find deliveries GitHub could not deliver and have it deliver them again.
    Recover {
        /// How far back to look (e.g. 24h; at most 3d). Default: since the last run.
        #[arg(long, value_parser = parse_duration)]
        since: Option<orgradar::config::Duration>,
        /// Only say what would be redelivered.
        #[arg(long)]
        dry_run: bool,
    },
    /// Register the GitHub App from app.yml (serves the setup page and waits for GitHub).
    Register,
    /// How often orgradar named the right account, by the answers people gave (last 30 and 90 days).
    Precision {
        /// One window instead: the answers of the last N days.
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=3650))]
        days: Option<u32>,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// See and requeue stored deliveries.
    Deliveries {
        /// What to do with the stored deliveries.
        #[command(subcommand)]
        command: cli::deliveries::DeliveriesCommand,
    },
    /// Correct, look up and forget people: the answers that outweigh
    /// their profiles, what is on record about them, erasure.
    People {
        #[command(subcommand)]
        command: cli::people::PeopleCommand,
    },
}

fn parse_duration(text: &str) -> Result<orgradar::config::Duration, String> {
    orgradar::config::Duration::parse(text)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Commands that print should end quietly when their reader goes away
    // (`orgradar deliveries list | head`); servers keep ignoring SIGPIPE.
    #[cfg(unix)]
    if !matches!(
        cli.command,
        Command::Serve { .. } | Command::Register | Command::Demo { .. }
    ) {
        // SAFETY: restoring the default disposition of a signal, before any thread starts.
        unsafe {
            libc::signal(libc::SIGPIPE, libc::SIG_DFL);
        }
    }
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    // Settings from .env (written by the registration flow) fill in what the
    // environment does not set.
    match dotenvy::dotenv() {
        Ok(_) => {}
        Err(e) if e.not_found() => {}
        Err(dotenvy::Error::LineParse(_, _)) => anyhow::bail!(
            "cannot read .env: a line does not parse (not shown: it may hold a secret); quote values that contain spaces or `#`, or move the file away"
        ),
        Err(e) => anyhow::bail!("cannot read .env: {e}"),
    }
    let env = orgradar::config::Env::from_process()?;
    orgradar::telemetry::init(&env.log_level, env.log_format);
    let runtime = tokio::runtime::Runtime::new()?;
    match cli.command {
        Command::Serve { no_worker } => {
            let config = orgradar::config::Config::load(&cli::options::config_file(None, &env)?)?;
            let options = orgradar::serve::ServeOptions { worker: !no_worker };
            runtime.block_on(orgradar::serve::serve(env, config, options))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Check { config } => Ok(cli::check::run(
            &cli::options::config_file(config, &env)?,
            &env,
            &runtime,
        )),
        Command::Recover { since, dry_run } => {
            runtime.block_on(cli::recover::run(&env, since, dry_run))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Register => {
            let config = orgradar::config::Config::load(&cli::options::config_file(None, &env)?)?;
            runtime.block_on(cli::register::run(env, config))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Explain {
            login,
            profile,
            config,
            association,
            installed_by,
            json,
        } => cli::explain::run(
            cli::explain::Options {
                login: login.as_deref(),
                profile: profile.as_deref(),
                config: &cli::options::config_file(config, &env)?,
                json,
                context: orgradar::affiliation::Context {
                    author_association: association,
                    installation_account: installed_by,
                },
            },
            &env,
            &runtime,
        ),
        Command::Simulate {
            event,
            payload,
            profile,
            previous,
            config,
            json,
        } => cli::simulate::run(
            cli::simulate::Options {
                event: &event,
                payload: &payload,
                profile: profile.as_deref(),
                previous: previous.as_deref(),
                config: &cli::options::config_file(config, &env)?,
                json,
            },
            &env,
            &runtime,
        ),
        Command::Digest { dry_run, json } => {
            let config = orgradar::config::Config::load(&cli::options::config_file(None, &env)?)?;
            runtime.block_on(cli::digest::run(&env, &config, dry_run, json))
        }
        Command::Demo { host, port, dir } => {
            let options = cli::demo::Options { host, port, dir };
            runtime.block_on(cli::demo::run(options, &env))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Migrate => {
            println!(
                "{}",
                runtime.block_on(orgradar::store::migrate(&env.database))?
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Deliveries { command } => runtime.block_on(cli::deliveries::run(&env, command)),
        Command::People { command } => {
            let config = orgradar::config::Config::load(&cli::options::config_file(None, &env)?)?;
            runtime.block_on(cli::people::run(&env, &config, command))
        }
        Command::Precision { days, json } => {
            runtime.block_on(cli::precision::run(&env, days, json))
        }
    }
}
