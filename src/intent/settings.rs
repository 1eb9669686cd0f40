//! `intent:` in app.yml: more topics and phrases, and default topics
//! switched off. Each mistake is reported at its line and column.
//!
//! ```yaml
//! intent:
//!   disable: [integration]
//!   topics:
//!     sso: { phrases: [PingOne] }                       # more phrases for a default topic
//!     gitops: { label: GitOps, phrases: [Argo CD, Flux CD], not: [flux capacitor] }
//! ```

use super::{Taxonomy, TopicSpec, tokens::Words};
use serde::Deserialize;
use serde_saphyr::{Location, Spanned};
use std::collections::BTreeMap;

/// `intent:` as written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IntentSettings {
    /// Topic id → more phrases for a default topic, or a new topic.
    #[serde(default)]
    pub topics: BTreeMap<String, TopicSettings>,
    /// Default topics not to look for.
    #[serde(default)]
    pub disable: Vec<Spanned<String>>,
}

/// One entry of `intent.topics`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TopicSettings {
    /// How messages name the topic; a new topic's id by default.
    pub label: Option<Spanned<String>>,
    pub phrases: Spanned<Vec<Spanned<String>>>,
    /// Phrases that contain one of `phrases` but mean something else.
    #[serde(default)]
    pub not: Vec<Spanned<String>>,
}

/// A mistake in `intent:`, at `line`:`column` of app.yml.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct IntentError {
    pub line: u64,
    pub column: u64,
    pub message: String,
}

fn at(loc: Location, message: String) -> IntentError {
    IntentError {
        line: loc.line(),
        column: loc.column(),
        message,
    }
}

impl IntentSettings {
    /// The topics to look for: the defaults less `disable`, with `topics` added.
    pub fn specs(&self) -> Result<Vec<TopicSpec>, IntentError> {
        let mut specs = TopicSpec::defaults();
        let known: Vec<String> = specs.iter().map(|s| s.id.clone()).collect();
        for name in &self.disable {
            let id = name.value.trim();
            if !known.iter().any(|k| k == id) {
                return Err(at(
                    name.referenced,
                    format!(
                        "intent.disable names `{id}`, which is no default topic; the default topics are {}",
                        known.join(", ")
                    ),
                ));
            }
            specs.retain(|s| s.id != id);
        }
        for (id, topic) in &self.topics {
            let place = topic.phrases.referenced;
            let id = id.trim();
            if id.is_empty()
                || !id
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
            {
                return Err(at(
                    place,
                    format!(
                        "intent.topics: `{id}` is not a topic id: use lowercase letters, digits, `-` and `_`, e.g. gitops"
                    ),
                ));
            }
            if topic.phrases.value.is_empty() {
                return Err(at(
                    place,
                    format!(
                        "intent.topics.{id}.phrases is empty: list what people write when they ask about it, e.g. [Argo CD, Flux]"
                    ),
                ));
            }
            let mut phrases = Vec::new();
            for p in topic.phrases.value.iter().chain(&topic.not) {
                let words = Words::of(p.value.trim().trim_end_matches('*'));
                if words.is_empty() {
                    return Err(at(
                        p.referenced,
                        format!(
                            "intent.topics.{id}: the phrase `{}` has no letter or digit to match; write words, e.g. Argo CD",
                            p.value
                        ),
                    ));
                }
                phrases.push(p.value.trim().to_string());
            }
            let not = phrases.split_off(topic.phrases.value.len());
            match specs.iter_mut().find(|s| s.id == id) {
                Some(existing) => {
                    existing.phrases.extend(phrases);
                    existing.not.extend(not);
                    if let Some(label) = &topic.label {
                        existing.label = label.value.trim().to_string();
                    }
                }
                None => specs.push(TopicSpec {
                    id: id.to_string(),
                    label: topic
                        .label
                        .as_ref()
                        .map_or_else(|| id.to_string(), |l| l.value.trim().to_string()),
                    phrases,
                    not,
                }),
            }
        }
        Ok(specs)
    }

    /// The compiled taxonomy.
    pub fn taxonomy(&self) -> Result<Taxonomy, IntentError> {
        Ok(Taxonomy::new(&self.specs()?))
    }
}
