//! Reading free text (the company field, the bio) into what it names, each
//! marked current or past, disclaimed, or named as a parent company.
//!
//! Past: after a past marker ("ex-", "formerly", "worked at", "früher bei",
//! "бывший", …) until "now", the end of the clause or of a parenthesis;
//! before a past suffix ("alum", "verlassen"); before an arrow ("Acme →
//! Globex"); next to a closed date range ("Globex (2016–2020)", "Acme
//! 2019-2022", "until 2021"). An open range ("2021–present", "since 2020")
//! marks it current. A clause that says "not affiliated", "not an
//! employee" or "unofficial" disclaims what it names.

mod dates;
mod lex;
#[cfg(test)]
mod tests;
mod words;

use super::markers::{Marker, marker_at};
use lex::{Lexed, Tok};
use words::{is_article, is_employee_word, is_negation, parent_noun};

/// How the text is cut into clauses: a bio also ends them at `.`, `!`, `?`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Company,
    Bio,
}

/// One thing the text names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum What<'b> {
    /// `@login`, or a `github.com/login` URL.
    Mention(String),
    /// A URL or bare domain, as written.
    Url(String),
    /// A run of words: `raw` as written, `tokens` normalized, and per token
    /// whether it was written with dots (`G.E.`; empty when none was).
    Phrase {
        raw: String,
        tokens: Vec<&'b str>,
        dotted: Vec<bool>,
    },
}

/// What a part names, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part<'b> {
    pub what: What<'b>,
    /// Named as past.
    pub past: bool,
    /// Named as current in so many words ("now", "since 2020", "2021–present").
    pub now: bool,
    /// Named as the parent company ("part of Y", "a Y company").
    pub parent: bool,
    /// The clause it is in (an index into [`Reading::clauses`]).
    pub clause: usize,
    /// The word before it in its clause, if any.
    pub prev: Option<&'b str>,
}

/// A clause (a sentence of the bio, a `|`-separated part of the company
/// field) and what it says about employment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Clause {
    pub text: String,
    /// "not affiliated with", "not an employee", ...
    pub not_employee: bool,
    /// "unofficial", ...
    pub unofficial: bool,
}

/// A text, read.
#[derive(Debug, Clone, Default)]
pub struct Reading<'b> {
    pub parts: Vec<Part<'b>>,
    pub clauses: Vec<Clause>,
}

/// Reads `text` into parts, in the order written; the words of its parts
/// are kept in `buf`.
pub fn read<'b>(text: &str, mode: Mode, buf: &'b mut String) -> Reading<'b> {
    let cleaned = super::clean::clean(text);
    let lexed = Lexed::new(&cleaned, mode, buf);
    let mut b = Builder::new(&lexed, mode);
    let mut i = 0;
    while i < lexed.toks.len() {
        i = b.step(i);
    }
    b.end_clause();
    b.out
}

struct Builder<'l, 'a, 'b> {
    lx: &'l Lexed<'a, 'b>,
    mode: Mode,
    out: Reading<'b>,
    past: bool,
    now: bool,
    parent: bool,
    stack: Vec<(bool, bool)>,
    /// The phrase being read: token indexes.
    phrase: Vec<usize>,
    phrase_past: bool,
    phrase_parent: bool,
    /// Where the parts of the current segment (since the last `;`, `|`,
    /// clause end or parenthesis) and clause start.
    segment: usize,
    clause_start: usize,
    clause: Clause,
    clause_chunks: Option<(usize, usize)>,
    /// The last word token read in this clause.
    last_word: Option<usize>,
    /// Nothing but an opening parenthesis since the last part.
    touching: bool,
    /// A date range read before any part of its clause: it applies to the
    /// next part, or else to the last one.
    pending_date: Option<dates::Range>,
    /// A negation read in this clause ("not", "kein", "не").
    negated: bool,
    /// How many parts there were when a past marker was read: if none
    /// follows it before its parenthesis or clause ends, it is about the
    /// part before it ("Acme (former)", "Acme until recently").
    dangling: Option<usize>,
}

impl<'l, 'a, 'b> Builder<'l, 'a, 'b> {
    fn new(lx: &'l Lexed<'a, 'b>, mode: Mode) -> Self {
        Self {
            lx,
            mode,
            out: Reading::default(),
            past: false,
            now: false,
            parent: false,
            stack: Vec::new(),
            // Room for a long phrase: it seldom grows.
            phrase: Vec::with_capacity(8),
            phrase_past: false,
            phrase_parent: false,
            segment: 0,
            clause_start: 0,
            clause: Clause::default(),
            clause_chunks: None,
            last_word: None,
            touching: false,
            pending_date: None,
            negated: false,
            dangling: None,
        }
    }

    fn see_chunk(&mut self, chunk: usize) {
        self.clause_chunks = Some(match self.clause_chunks {
            Some((first, _)) => (first, chunk),
            None => (chunk, chunk),
        });
    }

    /// Reads the token at `i`; returns where to go on.
    fn step(&mut self, i: usize) -> usize {
        let tok = self.lx.toks[i];
        match tok {
            Tok::Word(w) => return self.word(i, w),
            Tok::Mention(p) | Tok::Url(p) => {
                self.see_chunk(self.lx.pieces[p].chunk);
                self.flush();
                let text = self.lx.pieces[p].text.to_string();
                let what = match tok {
                    Tok::Mention(_) => What::Mention(text),
                    _ => What::Url(text),
                };
                let (past, parent) = (self.past, self.parent);
                self.push(what, past, parent);
            }
            Tok::Soft => {
                self.flush();
                self.parent = false;
                self.touching = false;
            }
            Tok::Hard => {
                self.separate();
                self.end_clause();
            }
            Tok::Open => {
                self.separate();
                self.stack.push((self.past, self.parent));
                self.dangling = None;
            }
            Tok::Close => {
                self.separate();
                self.settle_dangling();
                (self.past, self.parent) = self.stack.pop().unwrap_or((false, false));
                self.touching = false;
            }
            Tok::Arrow => {
                self.flush();
                for part in &mut self.out.parts[self.clause_start..] {
                    part.past = true;
                }
                self.past = false;
            }
        }
        i + 1
    }

    /// A word token at `toks[i]` (`words[w]`).
    fn word(&mut self, i: usize, w: usize) -> usize {
        let lx = self.lx;
        self.see_chunk(lx.pieces[lx.spelled[w].piece].chunk);
        let t = lx.words[w];
        if is_negation(t) {
            self.negated = true;
        } else if self.negated && is_employee_word(t) {
            self.clause.not_employee = true;
        }
        if let Some((range, next)) = dates::range_at(lx, i) {
            self.flush();
            self.date(range);
            self.last_word = Some(w);
            return next;
        }
        let run_len = |from: usize| {
            (from..lx.toks.len())
                .find(|&j| !matches!(lx.toks[j], Tok::Word(_)))
                .unwrap_or(lx.toks.len())
                - from
        };
        if let Some((marker, len)) = marker_at(&lx.words[w..], 0)
            && len <= run_len(i)
        {
            self.marker(marker);
            self.last_word = Some(w + len - 1);
            return i + len;
        }
        if let Some(noun) = is_article(t)
            .then(|| parent_noun(&lx.words[w..w + run_len(i)]))
            .flatten()
        {
            // "a Salesforce company": the words between are the parent.
            self.flush();
            self.phrase.extend(w + 1..w + noun);
            self.phrase_past = self.past;
            self.phrase_parent = true;
            self.flush();
            self.last_word = Some(w + noun);
            return i + noun + 1;
        }
        if !self.phrase.is_empty()
            && (self.phrase_past != self.past || self.phrase_parent != self.parent)
        {
            self.flush();
        }
        if self.phrase.is_empty() {
            self.phrase_past = self.past;
            self.phrase_parent = self.parent;
        }
        self.phrase.push(w);
        i + 1
    }

    fn marker(&mut self, marker: Marker) {
        self.flush();
        match marker {
            Marker::PastBefore => {
                self.past = true;
                self.now = false;
                self.dangling = Some(self.out.parts.len());
            }
            // "Alumni: Acme, Globex": with nothing before it, it leads in.
            Marker::PastAfter if self.out.parts.len() == self.segment => {
                self.past = true;
                self.now = false;
                self.dangling = Some(self.out.parts.len());
            }
            Marker::PastAfter => {
                for part in &mut self.out.parts[self.segment..] {
                    part.past = true;
                }
            }
            Marker::Now => {
                self.past = false;
                self.now = true;
            }
            Marker::NotEmployee => self.clause.not_employee = true,
            Marker::Unofficial => self.clause.unofficial = true,
            Marker::ParentBefore => self.parent = true,
        }
    }

    fn date(&mut self, range: dates::Range) {
        let clause_parts = self.out.parts.len() > self.clause_start;
        if self.touching && clause_parts {
            if let Some(last) = self.out.parts.last_mut() {
                range.apply(last);
            }
        } else {
            self.pending_date = Some(range);
        }
    }

    fn push(&mut self, what: What<'b>, past: bool, parent: bool) {
        let mut part = Part {
            what,
            past,
            now: self.now,
            parent,
            clause: self.out.clauses.len(),
            prev: None,
        };
        if let Some(range) = self.pending_date.take() {
            range.apply(&mut part);
        }
        if matches!(part.what, What::Mention(_)) {
            part.prev = self.last_word.map(|w| self.lx.words[w]);
        }
        self.out.parts.push(part);
        self.touching = true;
    }

    fn separate(&mut self) {
        self.flush();
        self.segment = self.out.parts.len();
    }

    /// A past marker with nothing after it makes the part before it past.
    fn settle_dangling(&mut self) {
        if let Some(at) = self.dangling.take()
            && at == self.out.parts.len()
            && at > self.clause_start
        {
            self.out.parts[at - 1].past = true;
        }
    }

    fn end_clause(&mut self) {
        self.flush();
        self.settle_dangling();
        if let Some(range) = self.pending_date.take()
            && let Some(last) = self.out.parts[self.clause_start..].last_mut()
        {
            range.apply(last);
        }
        let mut clause = std::mem::take(&mut self.clause);
        let chunks = self.clause_chunks.take();
        if let Some((first, last)) = chunks
            && (self.mode == Mode::Bio || clause.not_employee || clause.unofficial)
        {
            // The text is shown as evidence for a bio and for a disclaimer.
            clause.text = self.lx.chunks[first..=last].join(" ");
        }
        if chunks.is_some() || self.out.parts.len() > self.clause_start {
            self.out.clauses.push(clause);
        }
        self.past = false;
        self.now = false;
        self.parent = false;
        self.stack.clear();
        self.segment = self.out.parts.len();
        self.clause_start = self.out.parts.len();
        self.last_word = None;
        self.touching = false;
        self.negated = false;
        self.dangling = None;
    }

    fn flush(&mut self) {
        if self.phrase.is_empty() {
            self.phrase_past = self.past;
            self.phrase_parent = self.parent;
            return;
        }
        let lx = self.lx;
        let mut words = std::mem::take(&mut self.phrase);
        let mut raw = String::with_capacity(
            words
                .iter()
                .map(|&w| lx.pieces[lx.spelled[w].piece].text.len() + 1)
                .sum(),
        );
        let mut last_piece = usize::MAX;
        for &w in &words {
            let p = lx.spelled[w].piece;
            if p != last_piece {
                if !raw.is_empty() {
                    raw.push(' ');
                }
                raw.push_str(lx.pieces[p].text);
                last_piece = p;
            }
        }
        let not_alphanumeric = |c: char| !c.is_alphanumeric();
        raw.truncate(raw.trim_end_matches(not_alphanumeric).len());
        raw.drain(..raw.len() - raw.trim_start_matches(not_alphanumeric).len());
        let dotted = if words.iter().any(|&w| lx.spelled[w].dotted) {
            words.iter().map(|&w| lx.spelled[w].dotted).collect()
        } else {
            Vec::new()
        };
        let what = What::Phrase {
            raw,
            tokens: words.iter().map(|&w| lx.words[w]).collect(),
            dotted,
        };
        let (past, parent) = (self.phrase_past, self.phrase_parent);
        self.push(what, past, parent);
        self.last_word = words.last().copied();
        words.clear();
        self.phrase = words;
        self.phrase_past = self.past;
        self.phrase_parent = self.parent;
    }
}
