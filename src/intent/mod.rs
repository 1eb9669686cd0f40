//! Intent topics: what a person asks about in an issue, a pull request, a
//! discussion or a comment (SSO, an air-gapped install, SOC 2, pricing...).
//!
//! The taxonomy is data ([`defaults`], extended and trimmed by app.yml's
//! `intent:`). Detection is pure: no I/O, no clock. It reads the title and
//! the author's own prose of the body (not code, quoted replies, stack
//! traces or logs, see [`prose`]), matches phrases on word boundaries with
//! case and accents folded ([`tokens`]), and drops phrases a negation turns
//! around ([`negation`]). The evidence kept is the topic, the phrase as the
//! taxonomy writes it, and where it was found: never more of the text.

pub mod defaults;
mod negation;
mod prose;
mod settings;
mod starts;
mod tokens;

pub use settings::{IntentError, IntentSettings, TopicSettings};

use foldhash::{HashMap, HashMapExt};
use negation::{Negated, Vocabulary};
use serde::{Deserialize, Serialize};
use starts::{Starts, singulars};
use std::fmt;
use tokens::{Pause, Words};

/// Where a phrase was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    Title,
    Body,
    Comment,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Title => "title",
            Source::Body => "body",
            Source::Comment => "comment",
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One topic found: `{topic: sso, phrase: SAML, source: title}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Intent {
    pub topic: String,
    pub phrase: String,
    pub source: Source,
}

/// A topic of the taxonomy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Topic {
    /// `sso`, as rules and app.yml name it.
    pub id: String,
    /// `SSO`, as messages name it.
    pub label: String,
}

/// A topic as written: its id, label, phrases and `not` phrases.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicSpec {
    pub id: String,
    pub label: String,
    pub phrases: Vec<String>,
    pub not: Vec<String>,
}

impl TopicSpec {
    /// The default topics.
    pub fn defaults() -> Vec<TopicSpec> {
        defaults::TOPICS
            .iter()
            .map(|t| TopicSpec {
                id: t.id.to_string(),
                label: t.label.to_string(),
                phrases: t.phrases.iter().map(|p| p.to_string()).collect(),
                not: t.not.iter().map(|p| p.to_string()).collect(),
            })
            .collect()
    }
}

struct Phrase {
    /// `None`: a `not` phrase.
    topic: Option<usize>,
    shown: String,
    words: Vec<String>,
    /// Written `migrating from *`: a name must follow.
    needs_name: bool,
}

/// The compiled taxonomy: topics and an index of their phrases.
pub struct Taxonomy {
    topics: Vec<Topic>,
    /// Per topic: the first topic with its id (the same topic, found once).
    same_topic: Vec<usize>,
    phrases: Vec<Phrase>,
    /// First word → phrases.
    first: HashMap<String, Vec<usize>>,
    /// A phrase of several words written as one (`soc2`) → phrases.
    joined: HashMap<String, Vec<usize>>,
    /// Words of a text → the phrases they may start.
    starts: Starts,
    vocabulary: Vocabulary,
}

impl fmt::Debug for Taxonomy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Taxonomy")
            .field("topics", &self.topics)
            .field("phrases", &self.phrases.len())
            .finish()
    }
}

impl Default for Taxonomy {
    fn default() -> Self {
        Taxonomy::new(&TopicSpec::defaults())
    }
}

impl Taxonomy {
    /// Compiles `specs`. Phrases with no letter or digit are skipped
    /// (app.yml's validation refuses them first).
    pub fn new(specs: &[TopicSpec]) -> Taxonomy {
        let mut taxonomy = Taxonomy {
            topics: Vec::new(),
            same_topic: Vec::new(),
            phrases: Vec::new(),
            first: HashMap::new(),
            joined: HashMap::new(),
            starts: Starts::default(),
            vocabulary: Vocabulary::default(),
        };
        for (index, spec) in specs.iter().enumerate() {
            let same = taxonomy.topics.iter().position(|t| t.id == spec.id);
            taxonomy.same_topic.push(same.unwrap_or(index));
            taxonomy.topics.push(Topic {
                id: spec.id.clone(),
                label: spec.label.clone(),
            });
            for p in &spec.phrases {
                taxonomy.add(Some(index), p);
            }
            for p in &spec.not {
                taxonomy.add(None, p);
            }
        }
        taxonomy.starts = Starts::new(&taxonomy.first, &taxonomy.joined);
        taxonomy
    }

    fn add(&mut self, topic: Option<usize>, text: &str) {
        let text = text.trim();
        let (shown, needs_name) = match text.strip_suffix('*') {
            Some(rest) => (rest.trim(), true),
            None => (text, false),
        };
        let words = Words::of(shown);
        let Some(first) = words.first().cloned() else {
            return;
        };
        let index = self.phrases.len();
        if words.len() > 1
            && words
                .iter()
                .all(|w| w.bytes().all(|b| b.is_ascii_alphanumeric()))
        {
            let joined = words.concat();
            self.joined.entry(joined).or_default().push(index);
        }
        self.first.entry(first).or_default().push(index);
        self.phrases.push(Phrase {
            topic,
            shown: shown.to_string(),
            words,
            needs_name,
        });
    }

    pub fn topics(&self) -> &[Topic] {
        &self.topics
    }

    /// How messages name topic `id`: its label, else the id itself.
    pub fn label<'a>(&'a self, id: &'a str) -> &'a str {
        self.topics
            .iter()
            .find(|t| t.id == id)
            .map_or(id, |t| t.label.as_str())
    }

    /// The topics asked about in `title` and `body` (found in the body, they
    /// are said to come from `body_source`: the body or a comment), in the
    /// order they first appear, at most one finding a topic.
    /// Nothing is asked in an automated dependency update or a pull
    /// request that only tidies (see [`is_maintenance`]).
    pub fn detect(&self, title: &str, body: Option<&str>, body_source: Source) -> Vec<Intent> {
        let mut found = Vec::new();
        if is_maintenance(title) {
            return found;
        }
        let mut seen = vec![false; self.topics.len()];
        let mut words = Words::with_capacity(title.len().max(body.map_or(0, str::len)));
        words.clear();
        words.push_line(title);
        self.scan(&words, Source::Title, &mut found, &mut seen);
        if let Some(body) = body {
            words.clear();
            prose::for_each_prose(body, |p| words.push_line(p));
            self.scan(&words, body_source, &mut found, &mut seen);
        }
        found
    }

    /// Adds to `found` the topics of `w` not `seen` yet (per topic index).
    fn scan(&self, w: &Words, source: Source, found: &mut Vec<Intent>, seen: &mut [bool]) {
        let mut hits: Vec<(usize, usize, usize)> = Vec::new();
        let mut excluded: Vec<(usize, usize)> = Vec::new();
        for i in 0..w.len() {
            let Some((end, phrase)) = self.longest_at(w, i) else {
                continue;
            };
            match self.phrases[phrase].topic {
                Some(_) => hits.push((i, end, phrase)),
                None => excluded.push((i, end)),
            }
        }
        hits.retain(|&(start, end, _)| !excluded.iter().any(|&(s, e)| s < end && start < e));
        let mut negated = Negated::new(&self.vocabulary, w, &hits);
        for (k, &(_, _, phrase)) in hits.iter().enumerate() {
            let p = &self.phrases[phrase];
            let Some(topic) = p.topic else {
                continue;
            };
            let same = self.same_topic[topic];
            if !seen[same] && !negated.at(k) {
                seen[same] = true;
                found.push(Intent {
                    topic: self.topics[topic].id.clone(),
                    phrase: p.shown.clone(),
                    source,
                });
            }
        }
    }

    /// The longest phrase starting at word `i`: where it ends, and which.
    fn longest_at(&self, w: &Words, i: usize) -> Option<(usize, usize)> {
        let mut best: Option<(usize, usize)> = None;
        for start in self.starts.of(w.text(i)) {
            let p = start.phrase;
            let phrase = &self.phrases[p];
            let end = if start.joined {
                (!phrase.needs_name || self.name_follows(w, i + 1)).then_some(i + 1)
            } else if !start.plural || phrase.words.len() == 1 {
                self.match_at(w, i, phrase)
            } else {
                None
            };
            if let Some(end) = end
                && best.is_none_or(|(e, _)| end > e)
            {
                best = Some((end, p));
            }
        }
        best
    }

    fn match_at(&self, w: &Words, i: usize, phrase: &Phrase) -> Option<usize> {
        let n = phrase.words.len();
        if i + n > w.len() {
            return None;
        }
        for k in 1..n {
            if w.tokens[i + k].pause != Pause::None {
                return None;
            }
            let text = w.text(i + k);
            let word = &phrase.words[k];
            // A singular form cuts the end of `text`: neither it nor `text`
            // can be `word` if `text` is shorter or starts otherwise.
            if text.len() < word.len() || text.as_bytes()[0] != word.as_bytes()[0] {
                return None;
            }
            let same =
                text == word || (k == n - 1 && singulars(text).skip(1).any(|(s, _)| s == word));
            if !same {
                return None;
            }
        }
        (!phrase.needs_name || self.name_follows(w, i + n)).then_some(i + n)
    }

    /// A product's name at word `i`: capitalized, not a version, not "the old".
    fn name_follows(&self, w: &Words, i: usize) -> bool {
        if i >= w.len() || w.tokens[i].pause != Pause::None || !w.tokens[i].capital {
            return false;
        }
        let text = w.text(i);
        let versionish = text.starts_with(|c: char| c.is_ascii_digit())
            || (text.starts_with('v') && text[1..].starts_with(|c: char| c.is_ascii_digit()));
        !versionish && !self.vocabulary.not_a_name.contains(text)
    }
}

/// A title that asks for nothing: an automated dependency update ("Bump
/// lodash from 4.17.20 to 4.17.21", "Update dependency helm to v3.14") or
/// a change that only tidies ("refactor: ...", "chore(deps): ...", "ci:
/// ...", "style: ...", "build: ..."), whatever packages or modules it names.
fn is_maintenance(title: &str) -> bool {
    let title = title.trim_start();
    let (head, rest) = title.split_once(' ').unwrap_or((title, ""));
    if head.eq_ignore_ascii_case("bump") {
        return rest.contains(" from ") && rest.contains(" to ");
    }
    if head.eq_ignore_ascii_case("update") {
        return rest.starts_with("dependency ") || rest.starts_with("dependencies ");
    }
    let Some(kind) = head.strip_suffix(':') else {
        return false;
    };
    let kind = match kind.split_once('(') {
        Some((kind, scope)) if scope.ends_with(')') || scope.ends_with(")!") => kind,
        Some(_) => return false,
        None => kind.trim_end_matches('!'),
    };
    ["refactor", "chore", "style", "ci", "build"]
        .iter()
        .any(|k| kind.eq_ignore_ascii_case(k))
}

#[cfg(test)]
mod tests;
