//! Whether a phrase found is negated: "we don't need SSO", "no need for
//! SAML", "not looking for on-prem", "without Kubernetes", "SSO is not
//! required". Not negated: a lack ("no SAML support", "doesn't work with
//! Okta"), a double negation ("can't roll it out without SSO"), a phrase
//! after "but" or a new clause.

use super::defaults;
use super::tokens::{Pause, Words};
use foldhash::{HashMap, HashSet};

/// The vocabularies, folded: per word, the lists it is in.
pub struct Vocabulary {
    lists: HashMap<String, u8>,
    pub not_a_name: HashSet<String>,
}

const DETERMINER: u8 = 1;
const VERB: u8 = 1 << 1;
const WANTING: u8 = 1 << 2;
const FILLER: u8 = 1 << 3;
const CONTRAST: u8 = 1 << 4;
const GLUE: u8 = 1 << 5;
const LACKING: u8 = 1 << 6;

fn set(words: &[&str]) -> HashSet<String> {
    words.iter().flat_map(|w| Words::of(w)).collect()
}

impl Default for Vocabulary {
    fn default() -> Self {
        let mut lists: HashMap<String, u8> = HashMap::default();
        for (list, words) in [
            (DETERMINER, defaults::NEGATING_DETERMINERS),
            (VERB, defaults::NEGATING_VERBS),
            (WANTING, defaults::WANTING),
            (FILLER, defaults::FILLER),
            (CONTRAST, defaults::CONTRAST),
            (GLUE, defaults::LIST_GLUE),
            (LACKING, defaults::LACKING),
        ] {
            for word in set(words) {
                *lists.entry(word).or_default() |= list;
            }
        }
        Vocabulary {
            lists,
            not_a_name: set(defaults::NOT_A_NAME),
        }
    }
}

/// Whether each phrase found (`hits`: start, end, phrase, in order) is
/// negated, worked out when asked: by the words around it, or as part of a
/// list that a negation before it reaches.
pub struct Negated<'a> {
    vocabulary: &'a Vocabulary,
    w: &'a Words,
    hits: &'a [(usize, usize, usize)],
    known: Vec<Option<bool>>,
}

impl<'a> Negated<'a> {
    pub fn new(
        vocabulary: &'a Vocabulary,
        w: &'a Words,
        hits: &'a [(usize, usize, usize)],
    ) -> Self {
        Negated {
            vocabulary,
            w,
            hits,
            known: vec![None; hits.len()],
        }
    }

    /// Whether hit `k` continues the list of hit `k - 1`.
    fn continues(&self, k: usize) -> bool {
        k > 0
            && self
                .vocabulary
                .continues(self.w, self.hits[k - 1].1, self.hits[k].0)
    }

    /// Whether hit `k` is negated.
    pub fn at(&mut self, k: usize) -> bool {
        if let Some(negated) = self.known[k] {
            return negated;
        }
        // Back to the start of the list, or to a hit already worked out.
        let mut first = k;
        while first > 0 && self.known[first - 1].is_none() && self.continues(first) {
            first -= 1;
        }
        let mut negated = false;
        for i in first..=k {
            let (start, end, _) = self.hits[i];
            negated = (self.continues(i) && self.known[i - 1] == Some(true))
                || self.vocabulary.negated_here(self.w, start, end);
            self.known[i] = Some(negated);
        }
        negated
    }
}

enum Negation {
    None,
    /// "no SSO", "not an SSO issue".
    Plain,
    /// "don't need SSO", "no need for SAML".
    Wanting,
}

/// How far back a negation reaches, in words.
const REACH: usize = 8;

impl Vocabulary {
    /// The lists `word` is in.
    fn lists(&self, word: &str) -> u8 {
        self.lists.get(word).copied().unwrap_or(0)
    }

    /// Whether `word` is in `list`.
    fn is(&self, word: &str, list: u8) -> bool {
        self.lists(word) & list != 0
    }

    /// Whether a phrase after the one ending at word `prev_end`, starting at
    /// word `start`, continues the same list ("no SSO, LDAP or SCIM"): only
    /// list glue between them, no end of a sentence.
    fn continues(&self, w: &Words, prev_end: usize, start: usize) -> bool {
        prev_end <= start
            && (prev_end..start).all(|i| self.is(w.text(i), GLUE))
            && (prev_end..=start).all(|i| w.tokens[i].pause < Pause::Sentence)
    }

    /// Whether the phrase at words `[start, end)` is negated by the words
    /// around it.
    fn negated_here(&self, w: &Words, start: usize, end: usize) -> bool {
        match self.negation_before_phrase(w, start, end) {
            Negation::Wanting => true,
            Negation::Plain => !self.lacking_after(w, end),
            Negation::None => self.negated_after(w, end),
        }
    }

    fn negation_before_phrase(&self, w: &Words, start: usize, end: usize) -> Negation {
        let mut j = start;
        let mut wanting = false;
        let mut only_filler = true;
        let mut lacking = false;
        while j > 0 && start - j < REACH {
            if w.tokens[j].pause != Pause::None {
                break;
            }
            j -= 1;
            let lists = self.lists(w.text(j));
            if lists & CONTRAST != 0 {
                return Negation::None;
            }
            if lists & DETERMINER != 0 {
                if lacking
                    || !(start - j <= 3 || wanting)
                    || self.negation_before(w, j)
                    || self.sentence_opener_negated(w, j, end)
                {
                    return Negation::None;
                }
                return if wanting {
                    Negation::Wanting
                } else {
                    Negation::Plain
                };
            }
            if lists & VERB != 0 {
                return match (lacking, wanting, only_filler) {
                    (true, _, _) => Negation::None,
                    (false, true, _) => Negation::Wanting,
                    (false, false, true) => Negation::Plain,
                    (false, false, false) => Negation::None,
                };
            }
            wanting |= lists & WANTING != 0;
            lacking |= lists & LACKING != 0;
            only_filler &= lists & FILLER != 0;
        }
        Negation::None
    }

    /// "no SAML support", "SSO integration": the phrase names what is lacking.
    fn lacking_after(&self, w: &Words, end: usize) -> bool {
        end < w.len() && w.tokens[end].pause == Pause::None && self.is(w.text(end), LACKING)
    }

    /// A negating verb earlier in the clause than word `j`: a double negation.
    fn negation_before(&self, w: &Words, mut j: usize) -> bool {
        while j > 0 && w.tokens[j].pause == Pause::None {
            j -= 1;
            if self.is(w.text(j), VERB) {
                return true;
            }
        }
        false
    }

    /// "Without SSO we cannot adopt it": a sentence opened by the negation
    /// and negated again later.
    fn sentence_opener_negated(&self, w: &Words, j: usize, end: usize) -> bool {
        if w.tokens[j].pause == Pause::None && j > 0 {
            return false;
        }
        (end..w.len())
            .take_while(|&i| i == end || w.tokens[i].pause < Pause::Sentence)
            .any(|i| self.is(w.text(i), VERB))
    }

    /// "SSO is not required", "LDAP isn't needed for us"; not "LDAPS and
    /// can't use LDAP".
    fn negated_after(&self, w: &Words, end: usize) -> bool {
        let mut negation = None;
        for i in end..w.len().min(end + 6) {
            if w.tokens[i].pause != Pause::None {
                break;
            }
            let word = w.text(i);
            // "we need LDAPS and can't use LDAP": the negation has a subject
            // of its own, left out after the glue.
            if self.is(word, VERB) && i > end && self.is(w.text(i - 1), GLUE) {
                break;
            }
            if self.is(word, VERB) {
                negation = Some(i);
            } else if negation.is_some_and(|n| i - n <= 3) && self.is(word, WANTING) {
                return true;
            }
        }
        false
    }
}
