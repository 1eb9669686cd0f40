//! `previous_account:` in a rule's `if:`: where a person was before a job
//! change. Checked with the rule, and its account ids once the accounts
//! (`accounts_file:` too) are read.

use super::checker::Checker;
use super::{AppFile, ConfigError};
use crate::affiliation::Accounts;
use crate::rules::{AnyOf, closest};
use crate::sighting::EventKind;
use serde_saphyr::Spanned;
use std::path::Path;

/// `previous_account:` lists accounts, and belongs to a rule on job changes:
/// no other event has a previous account, so without `affiliation.changed`
/// in `on:` the rule could never match.
pub(super) fn check(
    c: &Checker<'_>,
    name: &str,
    previous: &Spanned<AnyOf>,
    on: &[EventKind],
) -> Result<(), ConfigError> {
    if previous.value == AnyOf::Of(Vec::new()) {
        return Err(c.at(
            previous.referenced,
            format!(
                "rule `{name}` has an empty `previous_account`: write `any` or list account ids, e.g. [globex]"
            ),
        ));
    }
    let changed = EventKind::AffiliationChanged;
    if !on.contains(&changed) {
        return Err(c.at(
            previous.referenced,
            format!(
                "rule `{name}` asks for `previous_account`, which only a job change has, but its `on:` does not list {changed}: add {changed} to `on:`, or drop `previous_account`"
            ),
        ));
    }
    Ok(())
}

/// Each account id a rule's `previous_account:` names is one of `accounts`
/// (the accounts are known only once `accounts_file:` is read).
pub(super) fn check_ids(
    app: &AppFile,
    accounts: &Accounts,
    path: &Path,
) -> Result<(), ConfigError> {
    let c = Checker { path };
    let ids: Vec<&str> = accounts.iter().map(|a| a.id.as_str()).collect();
    let mut problems = Vec::new();
    for entry in &app.rules {
        let Some(Spanned {
            value: AnyOf::Of(named),
            referenced,
            ..
        }) = &entry.when.previous_account
        else {
            continue;
        };
        for id in named.iter().map(|id| id.trim()) {
            if ids.iter().any(|known| known.eq_ignore_ascii_case(id)) {
                continue;
            }
            let hint = closest(id, ids.iter().copied())
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            let known = if ids.is_empty() {
                "there are no target accounts yet".to_string()
            } else {
                format!("the accounts are {}", ids.join(", "))
            };
            problems.push(c.at(
                *referenced,
                format!(
                    "rule `{}` asks for previous_account `{id}`, which is not among the accounts{hint}; {known}: use one of their ids or add the account",
                    entry.name.value.trim()
                ),
            ));
        }
    }
    ConfigError::all(problems)
}
