//! `orgradar simulate --previous ACCOUNT`: the simulation of a job change.
//! A simulation reads no store, so `--previous` stands in for where the
//! person was seen before.

use anyhow::{Result, bail};
use orgradar::config::Config;
use orgradar::decide::History;
use orgradar::failure::ProcessError;
use orgradar::people::{BOTH_WITHIN_MS, Standing, Tenure};
use orgradar::rules::{Miss, Plan};
use orgradar::sighting::Sighting;
use orgradar::time::Millis;
use serde::Serialize;

/// A job change, simulated.
#[derive(Serialize)]
pub(super) struct ChangeReport<'a> {
    /// "jane-dev moved from Globex Corporation to Acme Corporation (...)".
    pub(super) moved: String,
    pub(super) sighting: &'a Sighting,
    pub(super) plan: &'a Plan,
    pub(super) misses: Vec<Miss>,
    pub(super) messages: Vec<(String, serde_json::Value)>,
    #[serde(skip)]
    pub(super) texts: Vec<(String, String)>,
}

/// A simulation plans as for the group's first sighting; with `--previous`,
/// the person was seen at that account before.
pub(super) struct FirstTime {
    pub(super) previous: Option<Tenure>,
}

#[async_trait::async_trait]
impl History for FirstTime {
    async fn first_sighting(&self, _: &Sighting) -> Result<bool, ProcessError> {
        Ok(true)
    }

    async fn standing(&self, _: &str) -> Result<Standing, ProcessError> {
        Ok(Standing {
            tenures: self.previous.iter().cloned().collect(),
            ..Standing::default()
        })
    }

    fn known(&self) -> Option<bool> {
        Some(true)
    }
}

/// The account `--previous` names, as a tenure that ended before the
/// person could be taken to work at both (its months are made up).
pub(super) fn previous_tenure(config: &Config, id: &str, now: Millis) -> Result<Tenure> {
    let Some(account) = config
        .accounts
        .iter()
        .find(|a| a.id.eq_ignore_ascii_case(id.trim()))
    else {
        let ids: Vec<&str> = config.accounts.iter().map(|a| a.id.as_str()).collect();
        bail!(
            "--previous names `{id}`, which is no target account in {}; use one of their ids: {}",
            config.path.display(),
            if ids.is_empty() {
                "(none)".to_string()
            } else {
                ids.join(", ")
            }
        );
    };
    let before = now - BOTH_WITHIN_MS - DAY_MS;
    Ok(Tenure {
        key: format!("account:{}", account.id),
        name: account.name.clone(),
        account: Some(account.id.clone()),
        first_at: before - 365 * DAY_MS,
        last_at: before,
    })
}

const DAY_MS: Millis = 86_400_000;

/// The job change of `--previous`: what happened, and what the rules on
/// `affiliation.changed` would do.
pub(super) fn readable_change(c: &ChangeReport<'_>) -> String {
    let mut out = format!(
        "\njob change (affiliation.changed): {}\n  (simulated: the months at the previous account are made up)\n",
        c.moved
    );
    let p = c.plan;
    if p.rules.is_empty() {
        out.push_str("no rule matched the job change: nothing would be done\n");
        for miss in &c.misses {
            out.push_str(&format!("  rule `{}`: {}\n", miss.rule, miss.reason));
        }
        return out;
    }
    out.push_str(&format!("rules matched: {}\n", p.rules.join(", ")));
    let notify = if p.notify.is_empty() {
        "nobody".to_string()
    } else {
        p.notify.join(", ")
    };
    out.push_str(&format!("notify: {notify}\n"));
    if !p.would_notify.is_empty() {
        out.push_str(&format!(
            "  live mode would notify: {}\n",
            p.would_notify.join(", ")
        ));
    }
    for (channel, text) in &c.texts {
        out.push_str(&format!("\n--- {channel} (job change) ---\n{text}\n"));
    }
    out
}
