//! Where a mistake in app.yml is: the checks of the rules part report each
//! at the line and column of the value that is wrong.

use super::ConfigError;
use crate::rules::{Channel, closest};
use serde_saphyr::{Location, Spanned};
use std::collections::BTreeMap;
use std::path::Path;

pub(super) struct Checker<'a> {
    pub(super) path: &'a Path,
}

impl Checker<'_> {
    pub(super) fn at(&self, loc: Location, message: String) -> ConfigError {
        ConfigError::Invalid {
            path: self.path.to_path_buf(),
            line: loc.line(),
            column: loc.column(),
            message,
        }
    }

    pub(super) fn channel_ref(
        &self,
        channels: &BTreeMap<String, Channel>,
        name: &Spanned<String>,
        whose: &str,
    ) -> Result<String, ConfigError> {
        let n = name.value.trim();
        if channels.contains_key(n) {
            return Ok(n.to_string());
        }
        let hint = closest(n, channels.keys().map(String::as_str))
            .map(|c| format!(" (did you mean `{c}`?)"))
            .unwrap_or_default();
        let defined = if channels.is_empty() {
            "none is defined yet".to_string()
        } else {
            format!(
                "defined: {}",
                channels.keys().cloned().collect::<Vec<_>>().join(", ")
            )
        };
        Err(self.at(
            name.referenced,
            format!(
                "{whose} names channel `{n}`, which `channels:` does not define{hint}; {defined}"
            ),
        ))
    }
}
