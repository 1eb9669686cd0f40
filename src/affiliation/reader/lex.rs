//! Cutting a text into what the reader sees: words (as tokens), `@login`
//! mentions, URLs, separators, parentheses and arrows.

use super::Mode;
use crate::affiliation::normalize::fold_words;

/// One thing in the text, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tok {
    /// Token `words[i]`.
    Word(usize),
    /// `@login` or `github.com/login`: `pieces[i]` holds the login.
    Mention(usize),
    /// A URL or bare domain: `pieces[i]`.
    Url(usize),
    /// `,` `/` `:` `-` `+`: ends a phrase.
    Soft,
    /// `;` `|` `•` a line break (and, in a bio, the end of a sentence):
    /// ends a phrase and a clause.
    Hard,
    Open,
    Close,
    Arrow,
}

/// The text, lexed.
#[derive(Debug, Default)]
pub struct Lexed<'a, 'b> {
    pub toks: Vec<Tok>,
    /// Normalized tokens, in order.
    pub words: Vec<&'b str>,
    /// Per token: how it was written.
    pub spelled: Vec<Spelled>,
    /// The pieces of text as written (a word, a mention's login, a URL).
    pub pieces: Vec<Piece<'a>>,
    pub chunks: Vec<&'a str>,
}

/// How a token was written. (One vector of these rather than one per
/// field: a text is lexed for every profile, and each vector is an
/// allocation.)
#[derive(Debug, Clone, Copy)]
pub struct Spelled {
    /// The piece of text it was read from.
    pub piece: usize,
    /// Written with dots between letters (`G.E.`).
    pub dotted: bool,
}

/// A piece of text as written, and the white-space separated chunk it
/// came from.
#[derive(Debug, Clone, Copy)]
pub struct Piece<'a> {
    pub text: &'a str,
    pub chunk: usize,
}

/// A text being lexed: the normalized tokens go to one buffer, `spans`
/// says where each one is.
struct Lexer<'a, 'b, 'c> {
    lx: Lexed<'a, 'b>,
    buf: &'c mut String,
    spans: Vec<(usize, usize)>,
}

impl<'a, 'b> Lexed<'a, 'b> {
    /// Lexes `text`; the normalized tokens are kept in `buf`.
    pub fn new(text: &'a str, mode: Mode, buf: &'b mut String) -> Self {
        let words = text.len() / 4 + 4;
        buf.clear();
        buf.reserve(text.len());
        let mut lexer = Lexer {
            lx: Lexed {
                toks: Vec::with_capacity(words + 4),
                words: Vec::new(),
                spelled: Vec::with_capacity(words),
                pieces: Vec::with_capacity(words),
                chunks: Vec::with_capacity(words),
            },
            buf: &mut *buf,
            spans: Vec::with_capacity(words),
        };
        for line in text.lines() {
            for chunk in line.split_whitespace() {
                lexer.lx.chunks.push(chunk);
                lexer.chunk(chunk, mode);
            }
            lexer.lx.toks.push(Tok::Hard);
        }
        let Lexer { mut lx, spans, .. } = lexer;
        let buf: &'b str = buf;
        // (`into_iter`: the words take over the spans' allocation.)
        lx.words = spans.into_iter().map(|(s, e)| &buf[s..e]).collect();
        lx
    }
}

impl<'a> Lexer<'a, '_, '_> {
    fn piece(&mut self, text: &'a str) -> usize {
        self.lx.pieces.push(Piece {
            text,
            chunk: self.lx.chunks.len() - 1,
        });
        self.lx.pieces.len() - 1
    }

    fn chunk(&mut self, chunk: &'a str, mode: Mode) {
        // (`matches!` rather than a string of characters: this runs for
        // every chunk, and a pattern is a few comparisons, not a search.)
        let mut core = chunk;
        while let Some(c) = core
            .chars()
            .next()
            .filter(|c| matches!(c, '(' | '[' | '{' | '"' | '\'' | '“' | '‘' | '«'))
        {
            if matches!(c, '(' | '[' | '{') {
                self.lx.toks.push(Tok::Open);
            }
            core = &core[c.len_utf8()..];
        }
        let mut end = core.len();
        while let Some(c) = core[..end].chars().next_back().filter(|c| {
            matches!(
                c,
                ')' | ']'
                    | '}'
                    | '"'
                    | '\''
                    | '”'
                    | '’'
                    | '»'
                    | ','
                    | ';'
                    | ':'
                    | '.'
                    | '!'
                    | '?'
                    | '|'
            )
        }) {
            end -= c.len_utf8();
        }
        let trailing = &core[end..];
        core = &core[..end];
        match core {
            "" => {}
            "->" | "→" | "=>" | "⇒" | ">" | "»" | "⟶" => self.lx.toks.push(Tok::Arrow),
            "-" | "–" | "—" | "/" | "+" | "·" | "," | ":" | "&" => {
                self.lx.toks.push(Tok::Soft)
            }
            "|" | "•" | ";" => self.lx.toks.push(Tok::Hard),
            "@" => self.words_of("at"),
            _ if looks_like_url(core) => match github_org(core) {
                Some(login) => {
                    let at = self.piece(login);
                    self.lx.toks.push(Tok::Mention(at));
                }
                None => {
                    let at = self.piece(core);
                    self.lx.toks.push(Tok::Url(at));
                }
            },
            _ => self.split(core),
        }
        let ends_sentence = || mode == Mode::Bio && !abbreviation(core);
        for c in trailing.chars() {
            match c {
                ')' | ']' | '}' => self.lx.toks.push(Tok::Close),
                ',' | ':' => self.lx.toks.push(Tok::Soft),
                ';' | '|' => self.lx.toks.push(Tok::Hard),
                '.' | '!' | '?' if ends_sentence() => self.lx.toks.push(Tok::Hard),
                _ => {}
            }
        }
    }

    /// The tokens of a piece of text, as words.
    fn words_of(&mut self, text: &'a str) {
        let at = self.piece(text);
        let Lexer { lx, buf, spans } = self;
        fold_words(text, buf, |buf, start, dots| {
            lx.toks.push(Tok::Word(spans.len()));
            spans.push((start, buf.len()));
            lx.spelled.push(Spelled {
                piece: at,
                dotted: dots,
            });
        });
    }

    /// Splits a chunk with no white space at `,;|/()[]+:` ("Acme/Globex").
    fn split(&mut self, chunk: &'a str) {
        // Most chunks are one plain word: no byte of a separator (the
        // non-ASCII ones, `·` and `•`, have only bytes above 127). The
        // ASCII ones are bits of a mask: a test per byte, not a branch.
        const SEPARATORS: u128 = {
            let bytes = b",/+:;|([)]";
            let mut mask = 0;
            let mut i = 0;
            while i < bytes.len() {
                mask |= 1 << bytes[i];
                i += 1;
            }
            mask
        };
        if !chunk.is_empty()
            && chunk
                .bytes()
                .all(|b| b.is_ascii() && SEPARATORS & (1 << b) == 0)
        {
            self.word(chunk);
            return;
        }
        let mut start = 0;
        for (at, c) in chunk.char_indices() {
            let tok = match c {
                ',' | '/' | '+' | ':' | '·' => Some(Tok::Soft),
                ';' | '|' | '•' => Some(Tok::Hard),
                '(' | '[' => Some(Tok::Open),
                ')' | ']' => Some(Tok::Close),
                _ => None,
            };
            if let Some(tok) = tok {
                if start < at {
                    self.word(&chunk[start..at]);
                }
                self.lx.toks.push(tok);
                start = at + c.len_utf8();
            }
        }
        if start < chunk.len() {
            self.word(&chunk[start..]);
        }
    }

    fn word(&mut self, word: &'a str) {
        match word.strip_prefix('@') {
            Some(rest) if rest.contains('.') => {
                let at = self.piece(rest);
                self.lx.toks.push(Tok::Url(at));
            }
            Some(rest) if !rest.is_empty() => {
                let at = self.piece(possessive(rest));
                self.lx.toks.push(Tok::Mention(at));
            }
            _ => self.words_of(possessive(word)),
        }
    }
}

/// "Globex's" → "Globex": the owner, as in "Globex's platform team".
fn possessive(word: &str) -> &str {
    word.strip_suffix("'s")
        .or_else(|| word.strip_suffix("’s"))
        .filter(|w| !w.is_empty())
        .unwrap_or(word)
}

/// A word a full stop follows without ending the sentence: "Inc.", "Sr.",
/// "prev.", an initial.
fn abbreviation(word: &str) -> bool {
    word.chars().nth(1).is_none()
        || word.contains('.')
        || ABBREVIATIONS.iter().any(|a| a.eq_ignore_ascii_case(word))
}

const ABBREVIATIONS: &[&str] = &[
    "inc", "corp", "co", "ltd", "llc", "prev", "sr", "jr", "st", "dr", "mr", "ms", "mrs", "vs",
    "etc", "eg", "ie", "approx", "ex", "dept", "no", "bros", "intl", "assoc", "univ", "gmbh", "ag",
    "sa", "bv", "plc",
];

/// `https://…`, `www.…`, or `host.tld[/path]` with a known suffix.
pub fn looks_like_url(chunk: &str) -> bool {
    // Every form below has a `.` or a `:`; most words have neither.
    if !chunk.bytes().any(|b| b == b'.' || b == b':') {
        return false;
    }
    if chunk.contains("://")
        || chunk
            .get(..4)
            .is_some_and(|p| p.eq_ignore_ascii_case("www."))
    {
        return true;
    }
    let host = chunk.split('/').next().unwrap_or_default();
    host.contains('.')
        && host.rsplit('.').next().is_some_and(|tld| {
            tld.chars().count() >= 2
                && (tld.bytes().all(|b| b.is_ascii_alphabetic())
                    || tld.starts_with("xn--")
                    || tld.chars().all(char::is_alphabetic))
        })
        && crate::affiliation::domains::Host::parse(host).is_some()
}

/// The organization of a `github.com/LOGIN` URL.
fn github_org(url: &str) -> Option<&str> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let rest = rest.strip_prefix("www.").unwrap_or(rest);
    let (host, path) = rest.split_once('/')?;
    if !host.eq_ignore_ascii_case("github.com") {
        return None;
    }
    let login = path.split(['/', '?', '#']).next()?;
    (!login.is_empty()).then_some(login)
}
