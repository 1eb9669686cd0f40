//! The index of account names and aliases, found as whole words inside a
//! longer text: "Cisco Systems" is Cisco, "San Francisco" is not.

use super::name_core::{core, distinctive};
use super::normalize::{starts_with, tokens};
use super::vocabulary::{
    is_generic_word, is_lead_in, is_legal_suffix, is_org_type, is_program_word, is_role_word,
};
use foldhash::HashMap;

/// One way of writing an account's name, as tokens, and the accounts that
/// answer to it (more than one: ambiguous, so never taken).
#[derive(Debug, Clone)]
struct Entry {
    tokens: Box<[String]>,
    accounts: Vec<usize>,
    /// Only a shortened name ("cisco" of "Cisco Systems"): taken only where
    /// it stands alone, not inside a longer name ("Wayne State University").
    partial: bool,
    /// An acronym ("GE", "IBM"): not taken where the text spells it with
    /// dots ("G.E. Roofing" abbreviates another name).
    acronym: bool,
}

/// Names and aliases by their first token.
#[derive(Debug, Clone, Default)]
pub struct NameIndex {
    by_first: HashMap<String, Vec<Entry>>,
}

/// A name found in a text: tokens `start..end` name `accounts`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameHit<'a> {
    pub start: usize,
    pub end: usize,
    pub accounts: &'a [usize],
    pub partial: bool,
    pub acronym: bool,
}

impl NameIndex {
    /// Adds the ways of writing `name` for account `account`: its core
    /// (without legal suffixes), the core written as one word ("Red Hat" →
    /// `redhat`), and its distinctive part ("Cisco Systems" → `cisco`).
    /// A name ending in a possessive ("McDonald's") is also found without
    /// it, the way the reader drops a possessive ("Globex's team").
    pub fn add(&mut self, name: &str, account: usize) {
        let trimmed = name.trim();
        let acronym = (2..=5).contains(&trimmed.len())
            && trimmed
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
            && trimmed.bytes().filter(u8::is_ascii_uppercase).count() >= 2;
        self.add_form(trimmed, account, acronym);
        let unpossessive = trimmed.replace("'s", "").replace("’s", "");
        if unpossessive != trimmed {
            self.add_form(&unpossessive, account, acronym);
        }
    }

    fn add_form(&mut self, name: &str, account: usize, acronym: bool) {
        let all = tokens(name);
        let core = core(&all);
        if core.is_empty() {
            return;
        }
        self.insert(core, account, false, acronym);
        if core.len() > 1 {
            self.insert(&[core.concat()], account, false, false);
        }
        let distinctive = distinctive(&all);
        if distinctive.len() < core.len() {
            self.insert(distinctive, account, true, false);
        }
    }

    fn insert(&mut self, tokens: &[String], account: usize, partial: bool, acronym: bool) {
        let entries = self.by_first.entry(tokens[0].clone()).or_default();
        match entries.iter_mut().find(|e| *e.tokens == *tokens) {
            Some(entry) => {
                if let Err(at) = entry.accounts.binary_search(&account) {
                    entry.accounts.insert(at, account);
                }
                entry.partial &= partial;
                entry.acronym &= acronym;
            }
            None => {
                entries.push(Entry {
                    tokens: tokens.into(),
                    accounts: vec![account],
                    partial,
                    acronym,
                });
                // Longest first, so that a search takes the longest name.
                entries.sort_by(|a, b| {
                    b.tokens
                        .len()
                        .cmp(&a.tokens.len())
                        .then_with(|| a.tokens.cmp(&b.tokens))
                });
            }
        }
    }

    /// Every name in `text` (already tokenized), left to right; where names
    /// overlap, the longest one starting first.
    pub fn find<'a, T: AsRef<str>>(&'a self, text: &[T]) -> Vec<NameHit<'a>> {
        let mut hits = Vec::new();
        let mut i = 0;
        while i < text.len() {
            let found = self
                .by_first
                .get(text[i].as_ref())
                .and_then(|entries| entries.iter().find(|e| starts_with(&text[i..], &e.tokens)));
            match found {
                Some(entry) => {
                    hits.push(NameHit {
                        start: i,
                        end: i + entry.tokens.len(),
                        accounts: &entry.accounts,
                        partial: entry.partial,
                        acronym: entry.acronym,
                    });
                    i += entry.tokens.len();
                }
                None => i += 1,
            }
        }
        hits
    }

    /// Names that more than one account answers to, as written tokens and
    /// account indexes, sorted.
    pub fn ambiguous(&self) -> Vec<(String, Vec<usize>)> {
        let mut out: Vec<_> = self
            .by_first
            .values()
            .flatten()
            .filter(|e| e.accounts.len() > 1)
            .map(|e| (e.tokens.join(" "), e.accounts.clone()))
            .collect();
        out.sort();
        out
    }
}

/// Whether `phrase` (tokens) occurs in `text` overlapping `start..end`.
pub fn occurs_over<T: AsRef<str>>(text: &[T], phrase: &[String], start: usize, end: usize) -> bool {
    if phrase.is_empty() || phrase.len() > text.len() {
        return false;
    }
    (0..=text.len() - phrase.len())
        .filter(|&at| at < end && at + phrase.len() > start)
        .any(|at| starts_with(&text[at..], phrase))
}

/// A word that can be part of an organization's name: no job title, lead-in,
/// generic word, legal form, program word, number, article or preposition.
pub fn is_name_word(t: &str) -> bool {
    !(is_lead_in(t)
        || is_role_word(t)
        || is_generic_word(t)
        || is_legal_suffix(t)
        || is_program_word(t)
        || t.bytes().all(|b| b.is_ascii_digit())
        || FUNCTION_WORDS.contains(&t))
}

/// Articles and prepositions: no part of a name before it.
const FUNCTION_WORDS: &[&str] = &[
    "the", "a", "an", "and", "de", "da", "do", "di", "der", "die", "das", "del", "della", "von",
    "van", "la", "le", "el", "en", "em", "na", "no", "w", "v", "u", "of", "in", "on", "to",
];

/// Why tokens `start..end` of `text` are not the account's name but part
/// of a longer name of another organization: the name continues with name
/// words up to an organization-type word ("Target Valley Credit Union",
/// "Apple Hotels", "Target of Springfield Hospital"), or a name word stands
/// right before it ("Blue Target Partners", "Big Apple Bagels").
pub fn longer_name<T: AsRef<str>>(text: &[T], start: usize, end: usize) -> bool {
    if start > 0 && is_name_word(text[start - 1].as_ref()) {
        return true;
    }
    for t in text[end..].iter().take(5) {
        let t = t.as_ref();
        if is_org_type(t) {
            return true;
        }
        if is_legal_suffix(t) || t == "at" {
            break;
        }
    }
    // "Apple Leisure Group", "Slack Water Brewing Co.": other name words
    // and then a legal form or a generic word close a name of their own.
    // A division ("Google Cloud", "IBM Research Labs") does not.
    for (own_words, t) in text[end..].iter().take(4).enumerate() {
        let t = t.as_ref();
        // A company's lab or studio keeps its name ("Meta Reality Labs").
        let closes = is_legal_suffix(t)
            || (is_generic_word(t)
                && !matches!(t, "labs" | "laboratories" | "studios" | "interactive"));
        if closes && own_words > 0 {
            return true;
        }
        // "Target Data Solutions": a word of trade is part of that name.
        let own = is_name_word(t) || (is_role_word(t) && !is_lead_in(t) && t.len() > 2);
        if DIVISION_WORDS.contains(&t) || !own || FUNCTION_WORDS.contains(&t) {
            return false;
        }
    }
    false
}

/// Words that name a part of a company after its name ("Google Cloud",
/// "Microsoft Research", "Amazon Retail"), not another organization.
const DIVISION_WORDS: &[&str] = &[
    "cloud",
    "research",
    "retail",
    "devices",
    "consumer",
    "commercial",
    "federal",
    "government",
    "public",
    "sector",
    "digital",
    "advanced",
    "applied",
    "emerging",
    "corporate",
    "business",
    "operations",
    "health",
    "financial",
    "media",
    "gaming",
    "games",
    "entertainment",
    "energy",
    "mobility",
    "automation",
    "japan",
    "china",
    "india",
    "germany",
    "france",
    "uk",
    "europe",
    "emea",
    "apac",
    "asia",
    "americas",
    "usa",
    "us",
    "canada",
    "australia",
    "brasil",
    "brazil",
    "korea",
    "deutschland",
    "nederland",
    "italia",
    "espana",
    "polska",
    "schweiz",
    "suisse",
    "austria",
    "nordic",
    "north",
    "america",
    "latin",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn index(names: &[(&str, usize)]) -> NameIndex {
        let mut index = NameIndex::default();
        for (name, account) in names {
            index.add(name, *account);
        }
        index
    }

    fn found(index: &NameIndex, text: &str) -> Vec<Vec<usize>> {
        index
            .find(&tokens(text))
            .into_iter()
            .map(|h| h.accounts.to_vec())
            .collect()
    }

    #[test]
    fn whole_words_only() {
        let idx = index(&[("Cisco Systems, Inc.", 0), ("Meta", 1)]);
        assert_eq!(found(&idx, "Cisco Systems"), [[0]]);
        assert_eq!(found(&idx, "cisco"), [[0]]);
        assert_eq!(found(&idx, "Engineer at CISCO"), [[0]]);
        assert!(found(&idx, "San Francisco").is_empty());
        assert!(found(&idx, "Metadata Inc").is_empty());
        assert!(found(&idx, "Ciscos").is_empty());
    }

    #[test]
    fn one_word_spelling_and_suffixes() {
        let idx = index(&[("Red Hat", 0), ("Société Générale S.A.", 1)]);
        assert_eq!(found(&idx, "RedHat"), [[0]]);
        assert_eq!(found(&idx, "red-hat"), [[0]]);
        assert_eq!(found(&idx, "SOCIETE GENERALE"), [[1]]);
        assert!(found(&idx, "Red").is_empty());
    }

    #[test]
    fn longest_name_wins_and_shared_names_are_ambiguous() {
        let idx = index(&[("Acme Software", 0), ("Acme Labs", 1)]);
        assert_eq!(found(&idx, "Acme Labs"), [[1]]);
        assert_eq!(found(&idx, "Acme"), [[0, 1]]);
        assert_eq!(idx.ambiguous(), [("acme".to_string(), vec![0, 1])]);
    }

    #[test]
    fn a_name_inside_a_longer_name_of_another_organization() {
        let longer = |text: &str, name: &str| {
            let text = tokens(text);
            let name = tokens(name);
            let start = (0..text.len())
                .find(|&i| text[i..].starts_with(&name))
                .unwrap();
            longer_name(&text, start, start + name.len())
        };
        assert!(longer("Target Valley Credit Union", "Target"));
        assert!(longer("Blue Target Partners", "Target"));
        assert!(longer("Target of Springfield Hospital", "Target"));
        assert!(longer("Apple Hotels", "Apple"));
        assert!(longer("Big Apple Bagels", "Apple"));
        assert!(!longer("Target", "Target"));
        assert!(!longer("Senior Engineer at Target", "Target"));
        assert!(!longer("Target Corporation", "Target"));
        assert!(!longer("Google Cloud", "Google"));
        assert!(!longer("Bank of America Merrill Lynch", "Bank of America"));
        assert!(longer("Apple Leisure Group", "Apple"));
        assert!(longer("Slack Water Brewing Co.", "Slack"));
        assert!(longer("Target Point Consulting", "Target"));
        assert!(!longer("Microsoft Research Labs", "Microsoft"));
        assert!(!longer("Siemens Japan K.K.", "Siemens"));
        assert!(!longer("Cisco Systems", "Cisco"));
        assert!(!longer("Meta Reality Labs", "Meta"));
        assert!(longer("Target Data Solutions Inc.", "Target"));
    }

    #[test]
    fn acronyms_are_marked() {
        let idx = index(&[("GE", 0), ("Genesis", 1)]);
        let hits = idx.find(&tokens("GE Aerospace"));
        assert!(hits[0].acronym);
        assert!(!idx.find(&tokens("Genesis"))[0].acronym);
    }

    #[test]
    fn phrases_overlapping_a_hit() {
        let text = tokens("Apple Bank for Savings");
        assert!(occurs_over(&text, &tokens("Apple Bank"), 0, 1));
        assert!(!occurs_over(&text, &tokens("for Savings"), 0, 1));
        assert!(!occurs_over(&text, &tokens("Savings and Loan"), 0, 1));
    }
}
