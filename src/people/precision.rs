//! How often orgradar named the right account, measured by the answers
//! people gave on its sightings (Slack buttons, the dashboard, `orgradar
//! people set`). Pure: answers and a window in, figures out.
//!
//! What counts:
//! - An answer judges the sighting it was given on ([`Correction::judged`]):
//!   right when it confirms the account the sighting named, wrong otherwise.
//!   Answers about no sighting, or about a sighting that named no account,
//!   judge nothing ("unjudged"); "ignore" judges nothing either ("ignored").
//! - A sighting is counted once: when several answers judge it, the latest
//!   one given in the window stands (a later "not Acme" overrules an earlier
//!   "confirm").
//! - Figures are kept overall, per deciding signal (`unknown` when the
//!   sighting carried none), per sighted account and per matched rule (a
//!   sighting that matched two rules counts for each; one that matched none
//!   counts for no rule).

use super::{Correction, Judged, Verdict};
use crate::time::Millis;
use serde::Serialize;
use std::collections::BTreeMap;

/// A day, in milliseconds.
pub const DAY: Millis = 24 * 60 * 60 * 1000;

/// The signal a sighting is counted under when it carried none.
pub const UNKNOWN_SIGNAL: &str = "unknown";

/// How answers are given, for a reader who sees none yet.
pub const HOW_TO_ANSWER: &str = "Answers are given with the buttons under orgradar's Slack messages, \
     the Confirm / Not / Ignore buttons on an account page of the dashboard, \
     and `orgradar people set` on the command line.";

/// Sightings judged right and wrong.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub right: u64,
    pub wrong: u64,
}

impl Tally {
    pub fn judged(&self) -> u64 {
        self.right + self.wrong
    }

    /// Right among judged, from 0 to 1; `None` when nothing was judged.
    pub fn ratio(&self) -> Option<f64> {
        let judged = self.judged();
        (judged > 0).then(|| self.right as f64 / judged as f64)
    }

    fn add(&mut self, judged: Judged) {
        match judged {
            Judged::Right => self.right += 1,
            Judged::Wrong => self.wrong += 1,
        }
    }
}

impl Serialize for Tally {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut out = s.serialize_struct("Tally", 4)?;
        out.serialize_field("right", &self.right)?;
        out.serialize_field("wrong", &self.wrong)?;
        out.serialize_field("judged", &self.judged())?;
        // Four decimals: stable across platforms, and finer than anyone reads.
        out.serialize_field(
            "precision",
            &self.ratio().map(|r| (r * 10_000.0).round() / 10_000.0),
        )?;
        out.end()
    }
}

/// The figures of one window.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Precision {
    /// The window: answers given in the last `days` days, at or after `since`.
    pub days: u32,
    #[serde(skip)]
    pub since: Millis,
    /// Every answer given in the window.
    pub answers: u64,
    /// The sightings judged, each once.
    pub overall: Tally,
    /// Answers that said to leave a person alone.
    pub ignored: u64,
    /// Answers about no sighting, or about one that named no account.
    pub unjudged: u64,
    pub by_signal: BTreeMap<String, Tally>,
    pub by_account: BTreeMap<String, Tally>,
    pub by_rule: BTreeMap<String, Tally>,
}

impl Precision {
    /// Whether any answer was given in the window.
    pub fn is_empty(&self) -> bool {
        self.answers == 0
    }
}

/// The figures of the answers given in the `days` days before `now`.
/// `answers` may hold older ones (they are left out) and need not be sorted.
pub fn measure(answers: &[Correction], now: Millis, days: u32) -> Precision {
    let since = now - i64::from(days) * DAY;
    let mut window: Vec<&Correction> = answers.iter().filter(|c| c.at >= since).collect();
    window.sort_by(|a, b| a.at.cmp(&b.at).then_with(|| a.id.cmp(&b.id)));
    let mut p = Precision {
        days,
        since,
        answers: window.len() as u64,
        ..Precision::default()
    };
    // The latest judging answer per sighting.
    let mut latest: BTreeMap<&str, (&Correction, Judged)> = BTreeMap::new();
    for c in window {
        match (c.judged(), c.sighting.as_deref()) {
            (Some(judged), Some(sighting)) => {
                latest.insert(sighting, (c, judged));
            }
            _ if c.verdict == Verdict::Ignore => p.ignored += 1,
            _ => p.unjudged += 1,
        }
    }
    for (c, judged) in latest.into_values() {
        p.overall.add(judged);
        let signal = c.sighted.signal.as_deref().unwrap_or(UNKNOWN_SIGNAL);
        p.by_signal
            .entry(signal.to_string())
            .or_default()
            .add(judged);
        if let Some(account) = &c.sighted.account {
            p.by_account.entry(account.clone()).or_default().add(judged);
        }
        for rule in &c.sighted.rules {
            p.by_rule.entry(rule.clone()).or_default().add(judged);
        }
    }
    p
}

/// What an answer says of orgradar, for `orgradar_feedback_total`'s
/// `verdict` label: `right`, `wrong`, `ignored` or `unjudged` (see the
/// module's notes).
pub fn outcome(c: &Correction) -> &'static str {
    match c.judged() {
        Some(judged) => judged.as_str(),
        None if c.verdict == Verdict::Ignore => "ignored",
        None => "unjudged",
    }
}

/// Every answer counted by `(outcome, signal)`: each answer once, a later
/// one about the same sighting included (these count answers given, not
/// sightings judged).
pub fn feedback_counts(answers: &[Correction]) -> BTreeMap<(&'static str, String), u64> {
    let mut counts = BTreeMap::new();
    for c in answers {
        let signal = c.sighted.signal.as_deref().unwrap_or(UNKNOWN_SIGNAL);
        *counts.entry((outcome(c), signal.to_string())).or_default() += 1;
    }
    counts
}

#[cfg(test)]
#[path = "precision_tests.rs"]
mod tests;
