//! Whether a rule matches a sighting: its events, repositories and `if:`.

use super::config::AnyOf;
use super::{Rule, glob};
use crate::affiliation::name_core::core;
use crate::affiliation::normalize::tokens;
use crate::affiliation::{Affiliation, Signal, Source};
use crate::sighting::{EventKind, Sighting};

impl Rule {
    /// Whether this rule applies to `sighting` of a person with
    /// `affiliation`; `score` is the sighting's lead score.
    pub fn matches(
        &self,
        sighting: &Sighting,
        affiliation: &Affiliation,
        first_time: bool,
        score: u32,
    ) -> bool {
        self.first_miss(sighting, affiliation, first_time, score)
            .is_none()
    }

    /// The first of this rule's conditions that `sighting` fails, in words;
    /// `None` when the rule applies.
    pub fn first_miss(
        &self,
        sighting: &Sighting,
        affiliation: &Affiliation,
        first_time: bool,
        score: u32,
    ) -> Option<String> {
        let w = &self.when;
        let a = affiliation;
        if !self.on.contains(&sighting.event) {
            let on: Vec<&str> = self.on.iter().map(|k| k.as_str()).collect();
            return Some(format!(
                "`on:` lists {}, not {}",
                on.join(", "),
                sighting.event
            ));
        }
        let repo = &sighting.repository;
        if !self.repos.is_empty() && !self.repos.iter().any(|p| glob::matches(p, repo)) {
            return Some(format!(
                "{repo} matches none of `repos:` ({})",
                self.repos.join(", ")
            ));
        }
        if a.bot != w.bot {
            return Some(match a.bot {
                true => "the person is a bot, and the rule does not say `bot: true`".into(),
                false => "the rule is for bots (`bot: true`), and the person is not one".into(),
            });
        }
        if a.insider != w.insider {
            return Some(match a.insider {
                true => format!(
                    "the person is an insider ({}), and the rule does not say `insider: true`",
                    insider_because(a)
                ),
                false => {
                    "the rule is for insiders (`insider: true`), and the person is not one".into()
                }
            });
        }
        if w.first_time && !first_time {
            return Some(format!(
                "`first_time: true`, and {} was seen before",
                sighting.group_name()
            ));
        }
        if let Some(min) = w.score.as_ref().filter(|min| score < min.value) {
            return Some(format!("the score {score} is below `score: {}`", min.value));
        }
        if let Some(intent) = &w.intent {
            let asked = match &intent.value {
                AnyOf::Any => !sighting.intent.is_empty(),
                AnyOf::Of(topics) => sighting
                    .intent
                    .iter()
                    .any(|found| topics.iter().any(|t| t.trim() == found.topic)),
            };
            if !asked {
                return Some(match &intent.value {
                    AnyOf::Any => "`intent: any`, and the item asks about no topic".into(),
                    AnyOf::Of(topics) => {
                        format!(
                            "`intent:` asks for {}, and the item asks about none",
                            topics.join(", ")
                        )
                    }
                });
            }
        }
        if let Some(min) = w.confidence.as_ref().filter(|min| a.confidence < min.value) {
            return Some(format!(
                "the confidence {:.2} is below `confidence: {}`",
                a.confidence, min.value
            ));
        }
        if let Some(tiers) = &w.tier {
            let tier_ok = a.tier.as_deref().is_some_and(|t| {
                tiers
                    .iter()
                    .any(|x| x.trim().eq_ignore_ascii_case(t.trim()))
            });
            if !tier_ok {
                return Some(format!(
                    "`tier:` is {}, and the person's is {}",
                    tiers.join(", "),
                    a.tier.as_deref().unwrap_or("none (no target account)")
                ));
            }
        }
        if let Some(account) = &w.account {
            let ok = match account {
                AnyOf::Any => a.account.is_some(),
                AnyOf::Of(ids) => a
                    .account
                    .as_deref()
                    .is_some_and(|id| ids.iter().any(|x| x.trim().eq_ignore_ascii_case(id))),
            };
            if !ok {
                let theirs = a.account.as_deref().unwrap_or("none");
                return Some(match account {
                    AnyOf::Any => "`account: any`, and no target account was found".into(),
                    AnyOf::Of(ids) => {
                        format!(
                            "`account:` is {}, and the person's is {theirs}",
                            ids.join(", ")
                        )
                    }
                });
            }
        }
        if let Some(previous) = &w.previous_account
            && let Some(miss) = previous_miss(&previous.value, sighting)
        {
            return Some(miss);
        }
        if let Some(o) = &w.organization {
            let names = [
                a.organization.as_deref(),
                a.account.as_ref().and(sighting.account_name.as_deref()),
            ];
            let ok = match o {
                AnyOf::Any => a.account.is_some() || names.iter().any(Option::is_some),
                AnyOf::Of(wanted) => wanted
                    .iter()
                    .any(|w| names.iter().flatten().any(|n| same_organization(w, n))),
            };
            if !ok {
                let theirs = a.organization.as_deref().unwrap_or("none found");
                return Some(match o {
                    AnyOf::Any => "`organization: any`, and no organization was found".into(),
                    AnyOf::Of(wanted) => format!(
                        "`organization:` is {}, and the person's is {theirs}",
                        wanted.join(", ")
                    ),
                });
            }
        }
        None
    }
}

/// Why `previous_account:` does not hold for `sighting`: it is no job
/// change, or the person was not at one of the accounts before.
fn previous_miss(previous: &AnyOf, sighting: &Sighting) -> Option<String> {
    let Some(from) = &sighting.moved_from else {
        return Some(format!(
            "`previous_account:` holds only for {}, and this is {}",
            EventKind::AffiliationChanged,
            sighting.event
        ));
    };
    let ok = match previous {
        AnyOf::Any => from.account.is_some(),
        AnyOf::Of(ids) => from
            .account
            .as_deref()
            .is_some_and(|id| ids.iter().any(|x| x.trim().eq_ignore_ascii_case(id))),
    };
    if ok {
        return None;
    }
    let theirs = match &from.account {
        Some(id) => id.clone(),
        None => format!("none ({} is no target account)", from.name),
    };
    Some(match previous {
        AnyOf::Any => format!(
            "`previous_account: any`, and the person was at {}, no target account",
            from.name
        ),
        AnyOf::Of(ids) => format!(
            "`previous_account:` is {}, and the person's was {theirs}",
            ids.join(", ")
        ),
    })
}

/// Where an insider's standing came from: the item's author_association,
/// or membership of the organization that installed the app.
fn insider_because(a: &Affiliation) -> String {
    let why: Vec<String> = a
        .evidence
        .iter()
        .filter(|e| e.signal == Signal::Insider)
        .map(|e| match e.source {
            Source::AuthorAssociation => format!("author_association {}", e.value),
            _ => format!("a member of {}", e.value),
        })
        .collect();
    match why.is_empty() {
        true => "a member or collaborator of the project".into(),
        false => why.join(", "),
    }
}

/// Whether two names name the same organization: equal but for case,
/// punctuation and legal suffixes (`Acme, Inc.` = `acme`).
pub(super) fn same_organization(a: &str, b: &str) -> bool {
    if a.trim().eq_ignore_ascii_case(b.trim()) {
        return true;
    }
    let (ta, tb) = (tokens(a), tokens(b));
    let (ka, kb) = (core(&ta), core(&tb));
    !ka.is_empty() && ka == kb
}
