//! Whether a phrase found is negated: "we don't need SSO", "no need for
//! SAML", "not looking for on-prem", "without Kubernetes", "SSO is not
//! required". Not negated: a lack ("no SAML support", "doesn't work with
//! Okta"), a double negation ("can't roll it out without SSO"), a phrase
//! after "but" or a new clause.

use super::defaults;
use super::tokens::{Pause, Words};
use foldhash::HashSet;

/// The vocabularies, folded.
pub struct Vocabulary {
    determiners: HashSet<String>,
    verbs: HashSet<String>,
    wanting: HashSet<String>,
    filler: HashSet<String>,
    contrast: HashSet<String>,
    glue: HashSet<String>,
    lacking: HashSet<String>,
    pub not_a_name: HashSet<String>,
}

fn set(words: &[&str]) -> HashSet<String> {
    words.iter().flat_map(|w| Words::of(w)).collect()
}

impl Default for Vocabulary {
    fn default() -> Self {
        Vocabulary {
            determiners: set(defaults::NEGATING_DETERMINERS),
            verbs: set(defaults::NEGATING_VERBS),
            wanting: set(defaults::WANTING),
            filler: set(defaults::FILLER),
            contrast: set(defaults::CONTRAST),
            glue: set(defaults::LIST_GLUE),
            lacking: set(defaults::LACKING),
            not_a_name: set(defaults::NOT_A_NAME),
        }
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
    /// Whether the phrase at words `[start, end)` is negated. `previous` is
    /// the phrase found before it, with whether that one was negated.
    pub fn negated(
        &self,
        w: &Words,
        start: usize,
        end: usize,
        previous: Option<(usize, bool)>,
    ) -> bool {
        if let Some((prev_end, true)) = previous
            && prev_end <= start
            && (prev_end..start).all(|i| self.glue.contains(w.text(i)))
            && (prev_end..=start).all(|i| w.tokens[i].pause < Pause::Sentence)
        {
            return true;
        }
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
            let word = w.text(j);
            if self.contrast.contains(word) {
                return Negation::None;
            }
            if self.determiners.contains(word) {
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
            if self.verbs.contains(word) {
                return match (lacking, wanting, only_filler) {
                    (true, _, _) => Negation::None,
                    (false, true, _) => Negation::Wanting,
                    (false, false, true) => Negation::Plain,
                    (false, false, false) => Negation::None,
                };
            }
            wanting |= self.wanting.contains(word);
            lacking |= self.lacking.contains(word);
            only_filler &= self.filler.contains(word);
        }
        Negation::None
    }

    /// "no SAML support", "SSO integration": the phrase names what is lacking.
    fn lacking_after(&self, w: &Words, end: usize) -> bool {
        end < w.len() && w.tokens[end].pause == Pause::None && self.lacking.contains(w.text(end))
    }

    /// A negating verb earlier in the clause than word `j`: a double negation.
    fn negation_before(&self, w: &Words, mut j: usize) -> bool {
        while j > 0 && w.tokens[j].pause == Pause::None {
            j -= 1;
            if self.verbs.contains(w.text(j)) {
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
            .any(|i| self.verbs.contains(w.text(i)))
    }

    /// "SSO is not required", "LDAP isn't needed for us".
    fn negated_after(&self, w: &Words, end: usize) -> bool {
        let mut negation = None;
        for i in end..w.len().min(end + 6) {
            if w.tokens[i].pause != Pause::None {
                break;
            }
            let word = w.text(i);
            if self.verbs.contains(word) {
                negation = Some(i);
            } else if negation.is_some_and(|n| i - n <= 3) && self.wanting.contains(word) {
                return true;
            }
        }
        false
    }
}
