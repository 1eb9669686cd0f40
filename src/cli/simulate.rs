//! `orgradar simulate`: makes the worker's decision for a webhook payload
//! (through the same decision core) without writing anything, and prints the
//! affiliation and the plan, with the messages each channel would get. For
//! trying rules before going live.

use super::who::{Live, Saved};
use anyhow::{Context as _, Result, bail};
use orgradar::affiliation::Affiliation;
use orgradar::config::{Config, Env};
use orgradar::decide::{self, Core, Decision};
use orgradar::event::{EventKind, Payload};
use orgradar::intent::Intent;
use orgradar::notify::{ShadowNote, moved_sentence, notice, sighting_comment, sighting_issue};
use orgradar::rules::{Channel, Miss, Plan, misses};
use orgradar::sighting::Sighting;
use orgradar::time::now_ms;
use serde::Serialize;
use std::path::Path;
use std::process::ExitCode;

#[path = "simulate_change.rs"]
mod change;

use change::{ChangeReport, FirstTime, previous_tenure, readable_change};

pub struct Options<'a> {
    /// `issues`, or `issues.opened` (the action must then match the payload's).
    pub event: &'a str,
    pub payload: &'a Path,
    pub profile: Option<&'a Path>,
    /// As if the person had been seen at this target account before.
    pub previous: Option<&'a str>,
    pub config: &'a Path,
    pub json: bool,
}

#[derive(Serialize)]
struct Report<'a> {
    affiliation: &'a Affiliation,
    sighting: &'a Sighting,
    /// The topics asked about: `[{topic, phrase, source}]`.
    intent: &'a [Intent],
    first_time: bool,
    plan: &'a Plan,
    /// Each rule that does not apply, and the first of its conditions that failed.
    misses: Vec<Miss>,
    /// Channel name → what it would receive.
    messages: Vec<(String, serde_json::Value)>,
    /// The same, as a person reads it.
    #[serde(skip)]
    texts: Vec<(String, String)>,
    /// With `--previous`: the job change, and what the rules make of it.
    #[serde(skip_serializing_if = "Option::is_none")]
    change: Option<ChangeReport<'a>>,
}

pub fn run(options: Options<'_>, env: &Env, runtime: &tokio::runtime::Runtime) -> Result<ExitCode> {
    let config = Config::load(options.config)?;
    let rules = &config.rules;
    let text = std::fs::read_to_string(options.payload)
        .with_context(|| format!("cannot read the payload {}", options.payload.display()))?;
    let payload: Payload = serde_json::from_str(&text).with_context(|| {
        format!(
            "{} is not a webhook payload (JSON as GitHub sends it)",
            options.payload.display()
        )
    })?;
    let (name, action) = match options.event.split_once('.') {
        Some((name, action)) => (name, Some(action)),
        None => (options.event, None),
    };
    if let (Some(wanted), Some(found)) = (action, payload.action.as_deref())
        && wanted != found
    {
        bail!(
            "--event says `{}` but the payload's action is `{found}`",
            options.event
        );
    }
    let (origin, event) = decide::decode(name, payload)?;
    let Some(event) = event else {
        let names: Vec<&str> = EventKind::ALL.iter().map(|k| k.as_str()).collect();
        println!(
            "orgradar does not act on `{}` events; rules can name: {}",
            options.event,
            names.join(", ")
        );
        return Ok(ExitCode::SUCCESS);
    };
    let previous = match options.previous {
        Some(id) => Some(previous_tenure(&config, id, now_ms())?),
        None => None,
    };
    let core = Core {
        accounts: &config.accounts,
        rules,
    };
    if let Err(why) = core.subject(&event) {
        println!("{why}; there is nothing to plan");
        return Ok(ExitCode::SUCCESS);
    }
    let decided = runtime.block_on(async {
        // A simulation reads no history: it plans as for the group's first
        // sighting, after the one given by `--previous`.
        let history = FirstTime { previous };
        let at = now_ms();
        match options.profile {
            Some(path) => {
                let saved = Saved::load(path)?;
                if let Some(author) = event.actor().map(|a| a.user.login.clone())
                    && !author.eq_ignore_ascii_case(&saved.0.login)
                {
                    eprintln!(
                        "note: the profile of {} ({}) stands in for the payload's author {author}",
                        saved.0.login,
                        path.display()
                    );
                }
                let decided = core.decide("simulated", at, &event, &origin, &saved, &history);
                anyhow::Ok(decided.await?)
            }
            None => {
                let live = Live::connect(env, origin.owner.as_deref()).await?;
                let decided = core.decide("simulated", at, &event, &origin, &live, &history);
                anyhow::Ok(decided.await?)
            }
        }
    })?;
    let planned = match decided {
        Decision::Planned(planned) => planned,
        Decision::Nothing(why) => {
            println!("{why}; there is nothing to plan");
            return Ok(ExitCode::SUCCESS);
        }
    };
    let (messages, texts) = previews(rules, &planned.sighting, &planned.plan);
    if let (Some(id), None) = (options.previous, &planned.change) {
        eprintln!(
            "note: no job change: {} is not a lead seen at another organization than `{id}`",
            planned.affiliation.login
        );
    }
    let change = planned.change.as_deref().map(|c| {
        let (messages, texts) = previews(rules, &c.sighting, &c.plan);
        ChangeReport {
            moved: moved_sentence(&c.sighting).unwrap_or_default(),
            sighting: &c.sighting,
            plan: &c.plan,
            misses: misses(rules, &c.sighting, &planned.affiliation, planned.first_time),
            messages,
            texts,
        }
    });
    let report = Report {
        affiliation: &planned.affiliation,
        sighting: &planned.sighting,
        intent: &planned.sighting.intent,
        first_time: planned.first_time,
        plan: &planned.plan,
        misses: misses(
            rules,
            &planned.sighting,
            &planned.affiliation,
            planned.first_time,
        ),
        messages,
        texts,
        change,
    };
    if options.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", readable(&report, rules));
        if let Some(change) = &report.change {
            print!("{}", readable_change(change));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Channel name → what it would receive, as JSON; and as text.
type Previews = (Vec<(String, serde_json::Value)>, Vec<(String, String)>);

/// What each channel of `plan` would receive, as JSON and as text.
fn previews(rules: &orgradar::rules::Rules, sighting: &Sighting, plan: &Plan) -> Previews {
    plan.notify
        .iter()
        .map(|channel| {
            let (json, text) = preview(rules, channel, sighting, plan);
            ((channel.clone(), json), (channel.clone(), text))
        })
        .unzip()
}

/// What `channel` would receive, as JSON and as text.
fn preview(
    rules: &orgradar::rules::Rules,
    channel: &str,
    sighting: &Sighting,
    plan: &Plan,
) -> (serde_json::Value, String) {
    match rules.channels.get(channel) {
        Some(Channel::GithubIssue(g)) => {
            let repo = &g.repo.value;
            if g.per_account {
                let comment = sighting_comment(sighting, &rules.intent);
                let text = format!("a comment on the tracking issue in {repo}:\n{comment}");
                (
                    serde_json::json!({ "repository": repo, "comment": comment }),
                    text,
                )
            } else {
                let (title, body) = sighting_issue(sighting, &rules.intent);
                let text = format!("a new issue in {repo}: {title}\n{body}");
                (
                    serde_json::json!({ "repository": repo, "title": title, "body": body }),
                    text,
                )
            }
        }
        _ => {
            let shadow = plan.shadow.then(|| ShadowNote {
                labels: plan.shadow_labels(),
                channels: plan.would_notify.clone(),
            });
            let message = notice(sighting, shadow.as_ref(), &rules.intent, false);
            let text = message.readable();
            (serde_json::to_value(message).unwrap_or_default(), text)
        }
    }
}

fn readable(r: &Report<'_>, rules: &orgradar::rules::Rules) -> String {
    let a = r.affiliation;
    let mut out = String::new();
    let who = r.sighting.who_for().unwrap_or("no organization found");
    out.push_str(&format!(
        "{} {} {} → {who}",
        a.login,
        r.sighting.event.verb_phrase(),
        r.sighting.repository
    ));
    if let Some(tier) = &a.tier {
        out.push_str(&format!(" (tier {tier})"));
    }
    out.push_str(&format!(
        "\n  confidence {:.2} · insider: {} · bot: {}\n  evidence: {}\n",
        a.confidence, a.insider, a.bot, r.sighting.evidence
    ));
    out.push_str(&format!(
        "  asks about: {}\n  score: {}\n",
        r.sighting
            .asks_about(&rules.intent)
            .unwrap_or_else(|| "nothing we look for".into()),
        r.plan.score.explain()
    ));
    let p = r.plan;
    if p.shadow {
        out.push_str(
            "\nmode: shadow (nothing public is written; only the review channel is told)\n",
        );
    }
    if p.rules.is_empty() {
        out.push_str("\nno rule matched: nothing would be done\n");
        if r.misses.is_empty() {
            out.push_str("  (app.yml has no rules)\n");
        }
        for miss in &r.misses {
            out.push_str(&format!("  rule `{}`: {}\n", miss.rule, miss.reason));
        }
        return out;
    }
    out.push_str(&format!("\nrules matched: {}\n", p.rules.join(", ")));
    out.push_str(&format!(
        "labels: {}\n",
        if p.labels.is_empty() {
            "none".to_string()
        } else {
            p.labels.join(", ")
        }
    ));
    for w in &p.withheld {
        out.push_str(&format!("  withheld `{}`: {}\n", w.label, w.reason));
    }
    out.push_str(&format!(
        "notify: {}\n",
        if p.notify.is_empty() {
            "nobody".to_string()
        } else {
            p.notify.join(", ")
        }
    ));
    if !p.would_notify.is_empty() {
        out.push_str(&format!(
            "  live mode would notify: {}\n",
            p.would_notify.join(", ")
        ));
    }
    out.push_str("  (simulated as the group's first sighting; the throttle is not applied)\n");
    for (channel, text) in &r.texts {
        out.push_str(&format!("\n--- {channel} ---\n{text}\n"));
    }
    out
}
