//! The part of a company's name that identifies it: without a leading
//! "the", legal forms and (for the distinctive part) generic words.

use super::vocabulary::{is_generic_word, is_legal_suffix};

/// The part of a name that identifies it: without a leading "the" and
/// without trailing legal suffixes ("The Acme Company, Inc." → `acme`).
/// Never empty unless `tokens` is.
pub fn core<T: AsRef<str>>(tokens: &[T]) -> &[T] {
    let mut t = tokens;
    if t.len() > 1 && t[0].as_ref() == "the" {
        t = &t[1..];
    }
    loop {
        let n = t.len();
        if n > 1 && is_legal_suffix(t[n - 1].as_ref()) {
            t = &t[..n - 1];
        } else if n > 2 && t[n - 1].as_ref() == "de" && is_legal_suffix(t[n - 2].as_ref()) {
            // "S.A. de C.V.": the `de` between two legal forms.
            t = &t[..n - 2];
        } else {
            return t;
        }
    }
}

/// `core` without trailing generic words ("Cisco Systems" → `cisco`), when
/// what is left is still at least three letters long.
pub fn distinctive<T: AsRef<str>>(tokens: &[T]) -> &[T] {
    let mut t = core(tokens);
    while t.len() > 1 && t.last().is_some_and(|w| is_generic_word(w.as_ref())) {
        t = &t[..t.len() - 1];
    }
    if t.iter().map(|w| w.as_ref().len()).sum::<usize>() < 3 {
        return core(tokens);
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::affiliation::normalize::tokens as t;

    #[test]
    fn legal_suffixes_and_a_leading_the_are_not_part_of_the_name() {
        for (name, expected) in [
            ("Acme Inc.", vec!["acme"]),
            ("Acme, Inc", vec!["acme"]),
            ("The Acme Company", vec!["acme"]),
            ("Acme GmbH & Co. KG", vec!["acme"]),
            ("Acme S.A. de C.V.", vec!["acme"]),
            ("Acme Pty Ltd", vec!["acme"]),
            ("Acme Corporation", vec!["acme"]),
            ("Acme B.V.", vec!["acme"]),
            ("Acme PLC", vec!["acme"]),
            ("Co", vec!["co"]),
            ("The", vec!["the"]),
        ] {
            let tokens = t(name);
            assert_eq!(core(&tokens), expected.as_slice(), "{name}");
        }
    }

    #[test]
    fn generic_words_give_way_to_the_distinctive_name() {
        let cisco = t("Cisco Systems, Inc.");
        assert_eq!(distinctive(&cisco), ["cisco"]);
        let hp = t("HP Labs");
        assert_eq!(distinctive(&hp), ["hp", "labs"]);
        let labs = t("Labs");
        assert_eq!(distinctive(&labs), ["labs"]);
    }
}
