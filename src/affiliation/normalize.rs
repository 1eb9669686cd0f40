//! Company names folded into comparable tokens: case, white space,
//! punctuation, diacritics (Société = Societe), legal suffixes (Inc, GmbH, ...),
//! and the words that name no organization (Freelance, Student, ...).

use std::borrow::Cow;

/// `text` as lowercase ASCII words. Diacritics and other scripts are
/// transliterated (`Société` → `societe`, `ß` → `ss`), and the common Latin
/// transliterations of umlauts and ligatures fold to the same word
/// (`Müller`, `Mueller` and `Muller` → `muller`; `Ærø`, `Aeroe` → `aro`;
/// `Århus`, `Aarhus` → `arhus`); `&`, `'` and `.` between two letters join
/// them (`AT&T` → `att`, `O'Reilly` → `oreilly`); any other punctuation
/// separates words (`T-Mobile` → `t mobile`). Invisible characters, full-width
/// forms and trademark signs are cleaned first (see `clean.rs`).
pub fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    push_tokens(text, &mut out);
    out
}

/// [`tokens`], appended to `out`.
pub fn push_tokens(text: &str, out: &mut Vec<String>) {
    push_marked(text, out, None);
}

/// [`tokens`], appended to `out`; for each token, whether it was written
/// with dots between its letters (`G.E.`), appended to `dotted`.
pub fn push_marked(text: &str, out: &mut Vec<String>, mut dotted: Option<&mut Vec<bool>>) {
    let mut word = String::new();
    fold_words(text, &mut word, |word, _, dots| {
        out.push(std::mem::take(word));
        if let Some(d) = dotted.as_deref_mut() {
            d.push(dots);
        }
    });
}

/// The tokens of `text`, borrowed from one buffer, handed to `f`.
pub fn with_tokens<R>(text: &str, f: impl FnOnce(&[&str]) -> R) -> R {
    // Sized up front: growing them a word at a time costs more than the rest.
    let mut buf = String::with_capacity(text.len());
    let mut spans = Vec::with_capacity(text.len() / 4 + 4);
    fold_words(text, &mut buf, |buf, start, _| {
        spans.push((start, buf.len()))
    });
    // (`into_iter`: the words take over the spans' allocation.)
    let words: Vec<&str> = spans.into_iter().map(|(s, e)| &buf[s..e]).collect();
    f(&words)
}

/// The tokens of `text`, each appended to `buf`: after each one, `word` is
/// called with `buf`, where the token starts in it, and whether it was
/// written with dots between its letters (`G.E.`).
pub fn fold_words(text: &str, buf: &mut String, mut word: impl FnMut(&mut String, usize, bool)) {
    // Text below DEL (most words) is what cleaning and transliterating
    // would both hand back as it is: skip the two passes over it.
    let (cleaned, folded): (Cow<'_, str>, Cow<'_, str>);
    let b = if text.bytes().all(|b| b < 0x7F) {
        text.as_bytes()
    } else {
        cleaned = super::clean::clean(text);
        folded = deunicode::deunicode_with_tofu_cow(&cleaned, " ");
        folded.as_bytes()
    };
    let alnum = |i: usize| b.get(i).is_some_and(u8::is_ascii_alphanumeric);
    let mut i = 0;
    // One pass: each token is found and folded into `buf` byte by byte.
    while i < b.len() {
        if !b[i].is_ascii_alphanumeric() {
            i += 1;
            continue;
        }
        let at = buf.len();
        let mut dots = false;
        let mut last = 0u8;
        while i < b.len() {
            let c = b[i];
            if c.is_ascii_alphanumeric() {
                let c = c.to_ascii_lowercase();
                // ue, oe, ae, aa inside a word: the second letter of a
                // transliteration goes ("Ciscoe" keeps its end). (A byte
                // after the token is never a letter.)
                let inside = b.get(i + 1).is_some_and(u8::is_ascii_alphabetic);
                if inside
                    && ((c == b'e' && matches!(last, b'u' | b'o' | b'a'))
                        || (c == b'a' && last == b'a'))
                {
                    last = 0;
                } else {
                    buf.push(char::from(c));
                    last = c;
                }
            } else if matches!(c, b'&' | b'\'' | b'.') && alnum(i + 1) {
                // `&`, `'` and `.` between two letters join them.
                dots |= c == b'.';
            } else {
                break;
            }
            i += 1;
        }
        word(buf, at, dots);
    }
}

/// Whether the tokens `text` start with the tokens `prefix`.
pub fn starts_with<T: AsRef<str>, U: AsRef<str>>(text: &[T], prefix: &[U]) -> bool {
    text.len() >= prefix.len()
        && text
            .iter()
            .zip(prefix)
            .all(|(t, p)| t.as_ref() == p.as_ref())
}

/// A phrase that reads like a sentence ("A lifestyle company in Cupertino",
/// "I love Rust"), not a name: names inside it are not taken as an employer.
pub fn reads_like_sentence<T: AsRef<str>>(tokens: &[T]) -> bool {
    let starters = [
        "a", "an", "i", "im", "my", "our", "we", "you", "your", "just", "not", "no", "making",
        "building", "helping", "love", "loving", "trying", "living", "doing",
    ];
    let function_words = [
        "a", "an", "the", "in", "on", "to", "is", "are", "am", "my", "our", "your", "i", "we",
        "it", "that", "this", "from",
    ];
    let Some(first) = tokens.first() else {
        return false;
    };
    starters.contains(&first.as_ref())
        || tokens
            .iter()
            .filter(|t| function_words.contains(&t.as_ref()))
            .count()
            >= 2
        || tokens.len() >= 8
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(text: &str) -> Vec<String> {
        tokens(text)
    }

    #[test]
    fn case_space_and_punctuation_fold_away() {
        assert_eq!(t("  ACME   Corp. "), ["acme", "corp"]);
        assert_eq!(t("AT&T"), ["att"]);
        assert_eq!(t("O'Reilly Media"), ["oreilly", "media"]);
        assert_eq!(t("O’Reilly"), ["oreilly"]);
        assert_eq!(t("T-Mobile"), ["t", "mobile"]);
        assert_eq!(t("Johnson & Johnson"), ["johnson", "johnson"]);
        assert_eq!(t("S.A."), ["sa"]);
        assert_eq!(t("---"), Vec::<String>::new());
    }

    #[test]
    fn diacritics_and_other_scripts_are_transliterated() {
        assert_eq!(t("Société Générale"), ["societe", "generale"]);
        assert_eq!(t("SOCIETE GENERALE"), t("Société Générale"));
        assert_eq!(t("Straße"), ["strasse"]);
        assert_eq!(t("Strasse"), t("Straße"));
        assert_eq!(t("Müller"), t("Mueller"));
        assert_eq!(t("Århus"), t("Aarhus"));
        assert_eq!(t("Ærøskøbing"), t("Aeroeskoebing"));
        assert_eq!(t("Ciscoe"), ["ciscoe"]);
        assert_eq!(t("Ａｃｍｅ\u{200B}™"), ["acme"]);
        assert_eq!(t("Nestlé"), ["nestle"]);
        assert_eq!(t("Ørsted"), ["orsted"]);
        assert_eq!(t("Łódź"), ["lodz"]);
        assert!(!t("北京").is_empty());
    }

    #[test]
    fn sentences_are_told_from_names() {
        assert!(reads_like_sentence(&t("A lifestyle company in Cupertino")));
        assert!(reads_like_sentence(&t("I love Apple")));
        assert!(reads_like_sentence(&t("Making the world a better place")));
        assert!(!reads_like_sentence(&t("Bank of America")));
        assert!(!reads_like_sentence(&t("Software Engineer at Globex")));
        assert!(!reads_like_sentence(&t("The Acme Company")));
    }
}
