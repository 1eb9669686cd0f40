//! Reading the free-text company field: `@org` mentions, URLs and names,
//! each marked current or past. Past-employer phrases ("ex-", "former",
//! "formerly", "previously", "prev.", "... alum") make what follows them
//! past until "now"/"currently", a `;` or `|`, or the end of a parenthesis;
//! an arrow ("Acme → Globex") makes what came before it past.

use super::normalize::push_tokens;

/// One thing the company field names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// `@login`, or a `github.com/login` URL.
    Mention { login: String, past: bool },
    /// A URL or bare domain, by its host (lowercased) as written.
    Url { host: String, past: bool },
    /// A run of words: `raw` as written, `tokens` normalized.
    Phrase {
        raw: String,
        tokens: Vec<String>,
        past: bool,
    },
}

fn is_past_prefix(token: &str) -> bool {
    matches!(
        token,
        "ex" | "former"
            | "formerly"
            | "previously"
            | "prev"
            | "previous"
            | "past"
            | "was"
            | "retired"
            | "used"
            | "earlier"
    )
}

fn is_past_suffix(token: &str) -> bool {
    matches!(token, "alum" | "alumni" | "alumnus" | "alumna" | "emeritus")
}

fn is_now(token: &str) -> bool {
    matches!(
        token,
        "now" | "currently" | "current" | "presently" | "today"
    )
}

/// What the lexer sees in the field.
enum Item<'a> {
    Word(&'a str),
    Mention(&'a str),
    Url(&'a str),
    /// `,` `/` `:` `-` `+`: ends a phrase.
    Soft,
    /// `;` `|` `•` a line break: ends a phrase and any past-employer phrase.
    Hard,
    Open,
    Close,
    Arrow,
}

/// Reads a company field into parts, in the order written.
pub fn read(text: &str) -> Vec<Part> {
    let mut builder = Builder::default();
    for line in text.lines() {
        for chunk in line.split_whitespace() {
            lex_chunk(chunk, &mut builder);
        }
        builder.item(Item::Hard);
    }
    builder.flush();
    builder.parts
}

fn lex_chunk<'a>(chunk: &'a str, b: &mut Builder<'a>) {
    let mut core = chunk;
    while let Some(c) = core.chars().next().filter(|c| "([{\"'“‘«".contains(*c)) {
        if "([{".contains(c) {
            b.item(Item::Open);
        }
        core = &core[c.len_utf8()..];
    }
    let mut trailing = Vec::new();
    while let Some(c) = core
        .chars()
        .last()
        .filter(|c| ")]}\"'”’»,;:.!?|".contains(*c))
    {
        trailing.push(c);
        core = &core[..core.len() - c.len_utf8()];
    }
    match core {
        "" => {}
        "->" | "→" | "=>" | "⇒" | ">" | "»" | "⟶" => b.item(Item::Arrow),
        "-" | "–" | "—" | "/" | "+" | "·" | "," | ":" => b.item(Item::Soft),
        "|" | "•" | ";" => b.item(Item::Hard),
        "@" => b.item(Item::Word("at")),
        _ if looks_like_url(core) => match github_org(core) {
            Some(login) => b.item(Item::Mention(login)),
            None => b.item(Item::Url(core)),
        },
        _ => lex_words(core, b),
    }
    for c in trailing.into_iter().rev() {
        match c {
            ')' | ']' | '}' => b.item(Item::Close),
            ',' | ':' => b.item(Item::Soft),
            ';' | '|' => b.item(Item::Hard),
            _ => {}
        }
    }
}

/// Splits a chunk with no white space at `,;|/()[]+:` ("Acme/Globex").
fn lex_words<'a>(chunk: &'a str, b: &mut Builder<'a>) {
    let piece = |word: &'a str, b: &mut Builder<'a>| match word.strip_prefix('@') {
        Some(rest) if rest.contains('.') => b.item(Item::Url(rest)),
        Some(rest) if !rest.is_empty() => {
            let login = rest.trim_end_matches("'s").trim_end_matches("’s");
            b.item(Item::Mention(login))
        }
        _ => b.item(Item::Word(word)),
    };
    let mut start = 0;
    for (at, c) in chunk.char_indices() {
        let item = match c {
            ',' | '/' | '+' | ':' | '·' => Some(Item::Soft),
            ';' | '|' | '•' => Some(Item::Hard),
            '(' | '[' => Some(Item::Open),
            ')' | ']' => Some(Item::Close),
            _ => None,
        };
        if let Some(item) = item {
            if start < at {
                piece(&chunk[start..at], b);
            }
            b.item(item);
            start = at + c.len_utf8();
        }
    }
    if start < chunk.len() {
        piece(&chunk[start..], b);
    }
}

/// `https://…`, `www.…`, or `host.tld[/path]` with a known suffix.
fn looks_like_url(chunk: &str) -> bool {
    if chunk.contains("://")
        || chunk
            .get(..4)
            .is_some_and(|p| p.eq_ignore_ascii_case("www."))
    {
        return true;
    }
    let host = chunk.split('/').next().unwrap_or_default();
    host.contains('.')
        && host
            .rsplit('.')
            .next()
            .is_some_and(|tld| tld.len() >= 2 && tld.bytes().all(|b| b.is_ascii_alphabetic()))
        && super::domains::Host::parse(host).is_some()
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

#[derive(Default)]
struct Builder<'a> {
    parts: Vec<Part>,
    past: bool,
    stack: Vec<bool>,
    /// The words of the phrase being read, and their tokens.
    words: Vec<&'a str>,
    tokens: Vec<String>,
    phrase_past: bool,
    /// Reused for the tokens of one word.
    scratch: Vec<String>,
    /// Where the parts of the current segment (since the last `;`, `|`,
    /// line break or parenthesis) start.
    segment: usize,
}

impl<'a> Builder<'a> {
    fn item(&mut self, item: Item<'a>) {
        match item {
            Item::Word(word) => self.word(word),
            Item::Mention(login) => {
                self.flush();
                self.parts.push(Part::Mention {
                    login: login.to_string(),
                    past: self.past,
                });
            }
            Item::Url(host) => {
                self.flush();
                self.parts.push(Part::Url {
                    host: host.to_string(),
                    past: self.past,
                });
            }
            // A soft separator ends a phrase, not a segment: "Acme, Inc. alum"
            // is past as a whole.
            Item::Soft => self.flush(),
            Item::Hard => {
                self.separate();
                self.past = false;
            }
            Item::Open => {
                self.separate();
                self.stack.push(self.past);
            }
            Item::Close => {
                self.separate();
                self.past = self.stack.pop().unwrap_or(false);
            }
            Item::Arrow => {
                self.flush();
                for part in &mut self.parts {
                    set_past(part);
                }
                self.past = false;
            }
        }
    }

    fn word(&mut self, word: &'a str) {
        let mut toks = std::mem::take(&mut self.scratch);
        push_tokens(word, &mut toks);
        for t in toks.drain(..) {
            if is_past_prefix(&t) {
                self.flush();
                self.past = true;
            } else if is_now(&t) {
                self.flush();
                self.past = false;
            } else if is_past_suffix(&t) {
                // "Acme alum", "@acme alumni": the whole segment is past.
                self.phrase_past = true;
                self.flush();
                for part in &mut self.parts[self.segment..] {
                    set_past(part);
                }
            } else {
                self.token(t, word);
            }
        }
        self.scratch = toks;
    }

    /// Adds token `t` (from `word`) to the phrase being read.
    fn token(&mut self, t: String, word: &'a str) {
        if !self.tokens.is_empty() && self.phrase_past != self.past {
            self.flush();
        }
        if self.tokens.is_empty() {
            self.phrase_past = self.past;
        }
        if self.words.last() != Some(&word) {
            self.words.push(word);
        }
        self.tokens.push(t);
    }

    fn separate(&mut self) {
        self.flush();
        self.segment = self.parts.len();
    }

    fn flush(&mut self) {
        if self.tokens.is_empty() {
            self.words.clear();
            self.phrase_past = self.past;
            return;
        }
        let mut raw = self.words.join(" ");
        let trimmed = raw.trim_matches(|c: char| !c.is_alphanumeric());
        if trimmed.len() != raw.len() {
            raw = trimmed.to_string();
        }
        self.parts.push(Part::Phrase {
            raw,
            tokens: std::mem::take(&mut self.tokens),
            past: self.phrase_past,
        });
        self.words.clear();
        self.phrase_past = self.past;
    }
}

fn set_past(part: &mut Part) {
    match part {
        Part::Mention { past, .. } | Part::Url { past, .. } | Part::Phrase { past, .. } => {
            *past = true
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parts as `now:` / `was:` and what they name.
    fn read_out(text: &str) -> Vec<String> {
        read(text)
            .into_iter()
            .map(|p| match p {
                Part::Mention { login, past } => format!("{}@{login}", tense(past)),
                Part::Url { host, past } => format!("{}<{host}>", tense(past)),
                Part::Phrase { raw, past, .. } => format!("{}{raw}", tense(past)),
            })
            .collect()
    }

    fn tense(past: bool) -> &'static str {
        if past { "was:" } else { "now:" }
    }

    #[test]
    fn mentions_urls_and_names() {
        assert_eq!(read_out("@foo @bar"), ["now:@foo", "now:@bar"]);
        assert_eq!(read_out("@foo/@bar"), ["now:@foo", "now:@bar"]);
        assert_eq!(read_out("@acme's"), ["now:@acme"]);
        assert_eq!(read_out("@acme."), ["now:@acme"]);
        assert_eq!(read_out("Acme Corp, Inc."), ["now:Acme Corp", "now:Inc"]);
        assert_eq!(
            read_out("https://acme.com/about"),
            ["now:<https://acme.com/about>"]
        );
        assert_eq!(read_out("https://github.com/acme"), ["now:@acme"]);
        assert_eq!(read_out("@acme.io"), ["now:<acme.io>"]);
        assert_eq!(read_out("Acme/Globex"), ["now:Acme", "now:Globex"]);
        assert_eq!(read_out("Node.js"), ["now:Node.js"]);
    }

    #[test]
    fn past_employers_are_marked() {
        assert_eq!(
            read_out("@globex, previously @acme"),
            ["now:@globex", "was:@acme"]
        );
        assert_eq!(read_out("ex-Google"), ["was:ex-Google"]);
        assert_eq!(read_out("Ex Google, now Acme"), ["was:Google", "now:Acme"]);
        assert_eq!(
            read_out("Formerly: Acme, Initech"),
            ["was:Acme", "was:Initech"]
        );
        assert_eq!(read_out("Globex (prev. Acme)"), ["now:Globex", "was:Acme"]);
        assert_eq!(
            read_out("Globex | ex-Acme | Initech"),
            ["now:Globex", "was:ex-Acme", "now:Initech"]
        );
        assert_eq!(read_out("Acme alum"), ["was:Acme"]);
        assert_eq!(read_out("Acme, Inc. alum"), ["was:Acme", "was:Inc"]);
        assert_eq!(
            read_out("@acme alum, @globex"),
            ["was:@acme", "now:@globex"]
        );
        assert_eq!(read_out("Acme -> Globex"), ["was:Acme", "now:Globex"]);
        assert_eq!(
            read_out("Globex previously Acme"),
            ["now:Globex", "was:Acme"]
        );
    }
}
