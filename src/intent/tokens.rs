//! Folding and splitting prose into words: case and accents folded
//! (`Sécurité` is `securite`), apostrophes inside words dropped (`don't` is
//! `dont`), `.` and `_` inside a word kept (`com.okta.sdk` and `saml_enabled`
//! are identifiers, not words), CJK characters one word each. Between words
//! the tokenizer records how strong the pause is: none, a comma, or the end
//! of a sentence or line.

/// The pause before a word.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum Pause {
    #[default]
    None,
    Comma,
    Sentence,
}

/// One word: its folded text is `folded[start..end]`.
#[derive(Debug, Clone, Copy)]
pub struct Token {
    pub start: u32,
    pub end: u32,
    /// The pause between the previous word and this one.
    pub pause: Pause,
    /// The word was written with a capital (or in a script without case).
    pub capital: bool,
}

/// Words of one or more lines, folded into one buffer.
#[derive(Debug, Default)]
pub struct Words {
    pub folded: String,
    pub tokens: Vec<Token>,
    /// The pause before the next word.
    pending: Pause,
    open: Option<usize>,
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF)
}

fn is_latin_letter(c: char) -> bool {
    matches!(c as u32, 0x00C0..=0x024F | 0x1E00..=0x1EFF)
}

const UPPER: u8 = 2;

/// Per byte: 1 for an ASCII lowercase letter or digit, [`UPPER`] for an
/// uppercase one, 0 for anything else.
const ASCII_WORD: [u8; 256] = {
    let mut table = [0; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        if c.is_ascii_uppercase() {
            table[b] = UPPER;
        } else if c.is_ascii_alphanumeric() {
            table[b] = 1;
        }
        b += 1;
    }
    table
};

/// Where the run of ASCII letters and digits at `at` in `ascii` (ASCII
/// only) ends. Eight bytes are tested at a time: a word's end is found by
/// one test, where a loop byte by byte guesses wrong at the end of every
/// word.
fn run_end(ascii: &[u8], mut at: usize) -> usize {
    while let Some(chunk) = ascii.get(at..at + 8) {
        let mut eight = [0; 8];
        eight.copy_from_slice(chunk);
        let not_word = not_alphanumeric(u64::from_le_bytes(eight));
        if not_word != 0 {
            return at + (not_word.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    while ascii
        .get(at)
        .is_some_and(|&b| ASCII_WORD[usize::from(b)] != 0)
    {
        at += 1;
    }
    at
}

/// For eight ASCII bytes (each below 0x80): the high bit of each byte that
/// is not a letter or digit. A byte `x` is at least `lo` when `x + 0x80 - lo`
/// has its high bit set, and above `hi` when `x + 0x7F - hi` has; no sum
/// carries into the next byte, since `x` is below 0x80.
fn not_alphanumeric(x: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let between = |x: u64, lo: u8, hi: u8| {
        let at_least = x + ONES * u64::from(0x80 - lo);
        let above = x + ONES * u64::from(0x7F - hi);
        at_least & !above & HIGH
    };
    let letter = between(x | (ONES * 0x20), b'a', b'z');
    let digit = between(x, b'0', b'9');
    !(letter | digit) & HIGH
}

/// Whether a letter or digit starts `line[at..]`.
fn next_is_word(line: &str, at: usize) -> bool {
    match line.as_bytes().get(at) {
        Some(n) if n.is_ascii() => n.is_ascii_alphanumeric(),
        Some(_) => line[at..].chars().next().is_some_and(char::is_alphanumeric),
        None => false,
    }
}

impl Words {
    /// Room for the words of `bytes` bytes of text.
    pub fn with_capacity(bytes: usize) -> Words {
        Words {
            folded: String::with_capacity(bytes),
            tokens: Vec::with_capacity(bytes / 5),
            ..Words::default()
        }
    }

    pub fn clear(&mut self) {
        self.folded.clear();
        self.tokens.clear();
        self.pending = Pause::Sentence;
        self.open = None;
    }

    pub fn text(&self, i: usize) -> &str {
        let t = self.tokens[i];
        &self.folded[t.start as usize..t.end as usize]
    }

    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    /// A pause at least as strong as `pause` before the next word.
    pub fn pause(&mut self, pause: Pause) {
        self.pause_at(pause, self.folded.len());
    }

    fn close(&mut self) {
        self.close_at(self.folded.len());
    }

    /// Ends the open word, if any, at `end` in `folded`.
    fn close_at(&mut self, end: usize) {
        if let Some(start) = self.open.take()
            && end > start
            && let Some(last) = self.tokens.last_mut()
            && last.start as usize == start
        {
            last.end = end as u32;
        }
    }

    fn begin(&mut self, capital: bool) {
        self.begin_at(self.folded.len(), capital);
    }

    /// Opens a word at `start` in `folded`, unless one is open.
    fn begin_at(&mut self, start: usize, capital: bool) {
        if self.open.is_none() {
            self.tokens.push(Token {
                start: start as u32,
                end: start as u32,
                pause: self.pending,
                capital,
            });
            self.pending = Pause::None;
            self.open = Some(start);
        }
    }

    fn open_len(&self) -> usize {
        self.open.map_or(0, |s| self.folded.len() - s)
    }

    /// Adds the words of `line` (one line of prose).
    pub fn push_line(&mut self, line: &str) {
        if line.is_ascii() {
            self.push_ascii_line(line);
        } else {
            self.push_any_line(line);
        }
    }

    /// [`Words::push_line`] for a line of ASCII, the common case, with the
    /// same words and pauses as [`Words::push_any_line`]: the line is copied
    /// once and lowercased in place, and its words are ranges of the copy
    /// (the bytes between them stay, unused). Copying word by word costs a
    /// copy call per word; this costs one per line.
    fn push_ascii_line(&mut self, line: &str) {
        let base = self.folded.len();
        self.folded.push_str(line);
        self.folded[base..].make_ascii_lowercase();
        let bytes = line.as_bytes();
        let next_is_word = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_alphanumeric);
        // Apostrophes dropped from the copy so far: byte `i` of the line is
        // at `base + i - dropped` in `folded`.
        let mut dropped = 0;
        let mut i = 0;
        while let Some(&b) = bytes.get(i) {
            let at = base + i - dropped;
            if ASCII_WORD[usize::from(b)] != 0 {
                self.begin_at(at, b.is_ascii_uppercase() || b.is_ascii_digit());
                i = run_end(bytes, i + 1);
                continue;
            }
            i += 1;
            let open_len = self.open.map_or(0, |s| at - s);
            match b {
                b' ' => self.close_at(at),
                // "don't" is `dont`.
                b'\'' if open_len >= 2 && next_is_word(i) => {
                    self.folded.remove(at);
                    dropped += 1;
                }
                // Kept inside a word: `com.okta.sdk`, `saml_enabled`.
                b'.' | b'_' if self.open.is_some() && next_is_word(i) => {}
                b'.' | b'!' | b'?' | b';' | b':' => self.pause_at(Pause::Sentence, at),
                b',' => self.pause_at(Pause::Comma, at),
                _ => self.close_at(at),
            }
        }
        self.pause_at(Pause::Sentence, self.folded.len());
    }

    /// A pause at least as strong as `pause` before the next word, the open
    /// word ending at `end` in `folded`.
    fn pause_at(&mut self, pause: Pause, end: usize) {
        self.close_at(end);
        self.pending = self.pending.max(pause);
    }

    /// [`Words::push_line`] for any line.
    fn push_any_line(&mut self, line: &str) {
        let bytes = line.as_bytes();
        let mut i = 0;
        while let Some(&b) = bytes.get(i) {
            if b.is_ascii_alphanumeric() {
                // A run of ASCII letters and digits, lowercased at once.
                self.begin(b.is_ascii_uppercase() || b.is_ascii_digit());
                let start = i;
                let mut kinds = 0;
                while let Some(&b) = bytes.get(i) {
                    let kind = ASCII_WORD[usize::from(b)];
                    if kind == 0 {
                        break;
                    }
                    kinds |= kind;
                    i += 1;
                }
                let at = self.folded.len();
                self.folded.push_str(&line[start..i]);
                if kinds & UPPER != 0 {
                    self.folded[at..].make_ascii_lowercase();
                }
                continue;
            }
            if b.is_ascii() {
                i += 1;
                match b {
                    b' ' => self.close(),
                    b'\'' | b'.' | b'_' => self.push_char(char::from(b), next_is_word(line, i)),
                    _ => self.push_char(char::from(b), false),
                }
                continue;
            }
            let Some(c) = line[i..].chars().next() else {
                break;
            };
            i += c.len_utf8();
            self.push_char(c, next_is_word(line, i));
        }
        self.pause(Pause::Sentence);
    }

    /// Adds `c`, which is no ASCII letter or digit; `next_is_word`: a letter
    /// or digit follows it.
    fn push_char(&mut self, c: char, next_is_word: bool) {
        if c.is_ascii() {
            match c {
                '\'' if self.open_len() >= 2 && next_is_word => {}
                '.' | '_' if self.open.is_some() && next_is_word => self.folded.push(c),
                '.' | '!' | '?' | ';' | ':' => self.pause(Pause::Sentence),
                ',' => self.pause(Pause::Comma),
                _ => self.close(),
            }
        } else if is_cjk(c) {
            self.close();
            self.begin(true);
            self.folded.push(c);
            self.close();
        } else if c == '’' && self.open_len() >= 2 && next_is_word {
        } else if is_latin_letter(c) {
            self.begin(c.is_uppercase());
            for f in deunicode::deunicode_char(c).unwrap_or("").chars() {
                if f.is_ascii_alphanumeric() {
                    self.folded.push(f.to_ascii_lowercase());
                }
            }
        } else if c.is_alphanumeric() {
            self.begin(true);
            self.folded.extend(c.to_lowercase());
        } else if matches!(c, '。' | '！' | '？' | '；' | '：' | '…') {
            self.pause(Pause::Sentence);
        } else if matches!(c, '，' | '、') {
            self.pause(Pause::Comma);
        } else {
            self.close();
        }
    }

    /// The words of a short text, for phrases and vocabularies.
    pub fn of(text: &str) -> Vec<String> {
        let mut w = Words::default();
        w.clear();
        w.push_line(text);
        (0..w.len()).map(|i| w.text(i).to_string()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_accents_apostrophes_and_keeps_identifiers_whole() {
        assert_eq!(
            Words::of("We DON'T need Sécurité; see com.okta.sdk and saml_enabled, l'audit"),
            [
                "we",
                "dont",
                "need",
                "securite",
                "see",
                "com.okta.sdk",
                "and",
                "saml_enabled",
                "l",
                "audit"
            ]
        );
        assert_eq!(Words::of("单点登录 SSO"), ["单", "点", "登", "录", "sso"]);
        assert_eq!(
            Words::of("SOC-2, ISO/IEC 27001."),
            ["soc", "2", "iso", "iec", "27001"]
        );
    }

    /// Reads `line` twice (after itself) by the ASCII path and by the
    /// general one, and checks that both give the same words and pauses.
    fn reads_as_any_line(line: &str) {
        let (mut ascii, mut any) = (Words::default(), Words::default());
        ascii.clear();
        any.clear();
        for _ in 0..2 {
            ascii.push_ascii_line(line);
            any.push_any_line(line);
        }
        let read = |w: &Words| {
            (0..w.len())
                .map(|i| {
                    (
                        w.text(i).to_string(),
                        w.tokens[i].pause,
                        w.tokens[i].capital,
                    )
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(read(&ascii), read(&any), "{line:?}");
    }

    #[test]
    fn ascii_lines_read_as_any_line() {
        let lines = [
            "We DON'T need SSO, LDAP. Okta; see com.okta.sdk and saml_enabled!",
            "l'audit isn't o'clock 'quoted' it's x'y 2.0 v1.2.3 a._b. .net _x_ 'tis",
            "  Trailing.   dots... and,commas;colons: SOC-2 ISO/IEC 27001?",
            "",
            "'",
            "ab'",
        ];
        for line in lines {
            reads_as_any_line(line);
        }
    }

    #[test]
    fn generated_ascii_lines_read_as_any_line() {
        // Lines of words, digits and the punctuation the tokenizer treats
        // apart, from a fixed-seed generator.
        let alphabet = b"aZ9 .,'_;:!?-/()@x";
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        for _ in 0..2000 {
            let mut line = String::new();
            for _ in 0..(state % 40) {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                line.push(char::from(
                    alphabet[(state % alphabet.len() as u64) as usize],
                ));
            }
            reads_as_any_line(&line);
        }
    }

    #[test]
    fn runs_of_letters_and_digits_end_where_a_byte_by_byte_reading_ends_them() {
        let bytes: Vec<u8> = (0u8..0x80).collect();
        for &b in &bytes {
            let expected = u64::from(ASCII_WORD[usize::from(b)] == 0) << 7;
            assert_eq!(not_alphanumeric(u64::from(b)) & 0x80, expected, "{b:#x}");
        }
        let line = "Azaz09 x@[`{/:\x10\x19SSO_saml.v2 ok abcdefghijklmnopqrstuvwxyz0123456789ABCD!";
        for at in 0..line.len() {
            let expected = at
                + line[at..]
                    .bytes()
                    .take_while(|&b| ASCII_WORD[usize::from(b)] != 0)
                    .count();
            assert_eq!(run_end(line.as_bytes(), at), expected, "{at}");
        }
    }

    #[test]
    fn records_pauses_between_words() {
        let mut w = Words::default();
        w.clear();
        w.push_line("no SSO, LDAP. Okta");
        let pauses: Vec<Pause> = w.tokens.iter().map(|t| t.pause).collect();
        assert_eq!(
            pauses,
            [Pause::Sentence, Pause::None, Pause::Comma, Pause::Sentence]
        );
    }
}
