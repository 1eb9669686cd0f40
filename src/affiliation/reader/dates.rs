//! Date ranges: "2016–2020", "2019-22", "Jan 2019 – Mar 2022", "until 2021",
//! "bis 2021", "2021年まで" (closed: past); "2021–present", "since 2020",
//! "seit 2020", "desde 2020", "2020年〜現在" (open: current); a lone year
//! says neither.

use super::lex::{Lexed, Tok};
use super::{Part, What};
use crate::affiliation::markers::{DateWord, date_word_at, short_year, year};

/// What a date range says about the name it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Range {
    Closed,
    Open,
    Neither,
}

impl Range {
    pub fn apply(self, part: &mut Part<'_>) {
        if matches!(
            part.what,
            What::Phrase { .. } | What::Mention(_) | What::Url(_)
        ) {
            match self {
                Range::Closed => {
                    part.past = true;
                    part.now = false;
                }
                Range::Open => {
                    part.now = true;
                    part.past = false;
                }
                Range::Neither => {}
            }
        }
    }
}

/// What the token at `toks[at]` is, for a date range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Year,
    ShortYear,
    Word(DateWord, usize),
    Other,
}

fn kind(lx: &Lexed<'_, '_>, at: usize) -> Kind {
    let Some(&Tok::Word(w)) = lx.toks.get(at) else {
        return Kind::Other;
    };
    let t = lx.words[w];
    if year(t) {
        return Kind::Year;
    }
    if short_year(t) {
        return Kind::ShortYear;
    }
    match date_word_at(&lx.words[w..], 0) {
        Some((d, len)) => Kind::Word(d, len),
        None => Kind::Other,
    }
}

/// Whether a year (after an optional month) starts at `toks[at]`.
fn year_at(lx: &Lexed<'_, '_>, at: usize) -> bool {
    match kind(lx, at) {
        Kind::Year => true,
        Kind::Word(DateWord::Month, len) => kind(lx, at + len) == Kind::Year,
        _ => false,
    }
}

/// Whether `toks[at]` is the word `w`.
fn word_is(lx: &Lexed<'_, '_>, at: usize, w: &str) -> bool {
    matches!(lx.toks.get(at), Some(&Tok::Word(i)) if lx.words[i] == w)
}

fn present_at(lx: &Lexed<'_, '_>, at: usize) -> bool {
    matches!(kind(lx, at), Kind::Word(DateWord::Present, _))
}

/// The date range starting at `toks[at]`, and where reading goes on.
pub fn range_at(lx: &Lexed<'_, '_>, at: usize) -> Option<(Range, usize)> {
    let starts = match kind(lx, at) {
        Kind::Year => true,
        // "’16–’20": two short years, with at most a separator between.
        Kind::ShortYear => {
            kind(lx, at + 1) == Kind::ShortYear
                || (lx.toks.get(at + 1) == Some(&Tok::Soft) && kind(lx, at + 2) == Kind::ShortYear)
        }
        Kind::Word(
            DateWord::Month | DateWord::Since | DateWord::Until | DateWord::From | DateWord::To,
            len,
        ) => year_at(lx, at + len),
        _ => false,
    };
    if !starts {
        return None;
    }
    let (mut years, mut closing, mut since, mut from, mut present) =
        (0, false, false, false, false);
    let mut j = at;
    let mut last_year = false;
    loop {
        let next = match kind(lx, j) {
            Kind::Year => {
                years += 1;
                last_year = true;
                j + 1
            }
            Kind::ShortYear if (last_year && years == 1) || (years == 0 && j == at) => {
                years += 1;
                last_year = true;
                j + 1
            }
            Kind::Word(DateWord::Month, len) if year_at(lx, j) => {
                last_year = false;
                j + len
            }
            // "2016 and 2020" is a range, "in 2022 and now" is not.
            Kind::Word(DateWord::To | DateWord::Until, len)
                if year_at(lx, j + len)
                    || (years > 0 && present_at(lx, j + len) && !word_is(lx, j, "and")) =>
            {
                closing = true;
                last_year = false;
                j + len
            }
            // "2021年まで", "2021년까지": the word after the year.
            Kind::Word(DateWord::Until, len) if last_year => {
                closing = true;
                j + len
            }
            Kind::Word(DateWord::Since, len) if year_at(lx, j + len) || last_year => {
                since = true;
                last_year = false;
                j + len
            }
            Kind::Word(DateWord::From, len) if year_at(lx, j + len) => {
                from = true;
                j + len
            }
            Kind::Word(DateWord::Present, len) if years > 0 => {
                present = true;
                j + len
            }
            _ if lx.toks.get(j) == Some(&Tok::Soft)
                && years == 1
                && !present
                && (year_at(lx, j + 1)
                    || present_at(lx, j + 1)
                    || (last_year && kind(lx, j + 1) == Kind::ShortYear)) =>
            {
                j + 1
            }
            _ => break,
        };
        j = next;
    }
    if years == 0 {
        return None;
    }
    let range = if present || (since && years == 1) || (from && years == 1 && !closing) {
        Range::Open
    } else if years >= 2 || closing {
        Range::Closed
    } else {
        Range::Neither
    };
    Some((range, j))
}
