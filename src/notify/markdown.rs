//! GitHub Markdown from user text: no mentions, no markup, no hidden comments.

use super::text::{one_line, truncate};

/// Zero-width joiner: put after `@` it keeps the text readable but no mention.
const ZWJ: char = '\u{200D}';

/// `@name` → `@\u{200D}name` (no notification), and `<!--` broken so user text
/// can never carry one of orgradar's hidden markers.
pub fn neutralize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        out.push(c);
        if c == '@' {
            out.push(ZWJ);
        }
    }
    out.replace("<!--", &format!("<{ZWJ}!--"))
}

/// One line of inline Markdown: truncated, mentions neutralized, markup
/// characters backslash-escaped.
pub fn inline(text: &str, max: usize) -> String {
    let text = neutralize(&truncate(&one_line(text), max));
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '#' | '!' | '&'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A fenced code block holding `text` verbatim (a fence longer than any
/// backtick run inside it), mentions neutralized.
pub fn code_block(text: &str) -> String {
    let text = neutralize(text);
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat((longest + 1).max(3));
    format!("{fence}text\n{}\n{fence}", text.trim_end())
}

/// `[text](url)`: `text` must already be escaped.
pub fn link(url: &str, text: &str) -> String {
    format!("[{text}]({})", super::text::safe_url(url))
}

/// A title: one line, mentions neutralized, at most `max` characters.
pub fn title(text: &str, max: usize) -> String {
    let text = neutralize(&one_line(text));
    truncate(&text, max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_do_not_ping() {
        assert_eq!(neutralize("hi @here"), "hi @\u{200D}here");
        assert!(!inline("@acme/team", 100).contains("@a"));
    }

    #[test]
    fn markers_cannot_be_forged() {
        let forged = "<!-- orgradar:delivery=x -->";
        assert!(!neutralize(forged).contains("<!--"));
        assert!(!code_block(forged).contains("<!--"));
        assert!(!inline(forged, 100).contains("<!--"));
    }

    #[test]
    fn code_fences_outlast_the_text() {
        let block = code_block("a ```` b");
        assert!(block.starts_with("`````text\n"));
        assert!(block.ends_with("\n`````"));
    }

    #[test]
    fn inline_escapes_links() {
        assert_eq!(inline("[x](http://e)", 100), "\\[x\\](http://e)");
    }
}
