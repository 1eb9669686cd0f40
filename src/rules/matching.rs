//! Whether a rule matches a sighting: its events, repositories and `if:`.

use super::config::AnyOf;
use super::{Rule, glob};
use crate::affiliation::Affiliation;
use crate::affiliation::normalize::{core, tokens};
use crate::sighting::Sighting;

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
        let w = &self.when;
        self.on.contains(&sighting.event)
            && (self.repos.is_empty()
                || self
                    .repos
                    .iter()
                    .any(|p| glob::matches(p, &sighting.repository)))
            && affiliation.bot == w.bot
            && affiliation.insider == w.insider
            && (!w.first_time || first_time)
            && w.score.as_ref().is_none_or(|min| score >= min.value)
            && w.intent.as_ref().is_none_or(|i| match &i.value {
                AnyOf::Any => !sighting.intent.is_empty(),
                AnyOf::Of(topics) => sighting
                    .intent
                    .iter()
                    .any(|found| topics.iter().any(|t| t.trim() == found.topic)),
            })
            && w.confidence
                .as_ref()
                .is_none_or(|min| affiliation.confidence >= min.value)
            && w.tier.as_ref().is_none_or(|tiers| {
                affiliation.tier.as_deref().is_some_and(|t| {
                    tiers
                        .iter()
                        .any(|x| x.trim().eq_ignore_ascii_case(t.trim()))
                })
            })
            && w.account.as_ref().is_none_or(|a| match a {
                AnyOf::Any => affiliation.account.is_some(),
                AnyOf::Of(ids) => affiliation
                    .account
                    .as_deref()
                    .is_some_and(|id| ids.iter().any(|x| x.trim().eq_ignore_ascii_case(id))),
            })
            && w.organization.as_ref().is_none_or(|o| {
                let names = [
                    affiliation.organization.as_deref(),
                    affiliation
                        .account
                        .as_ref()
                        .and(sighting.account_name.as_deref()),
                ];
                match o {
                    AnyOf::Any => {
                        affiliation.account.is_some() || names.iter().any(Option::is_some)
                    }
                    AnyOf::Of(wanted) => wanted
                        .iter()
                        .any(|w| names.iter().flatten().any(|n| same_organization(w, n))),
                }
            })
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
