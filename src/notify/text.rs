//! Text helpers the messages share: truncation on character boundaries,
//! Slack mrkdwn escaping, and the small words of a sentence.

/// The ellipsis that marks cut text.
pub const ELLIPSIS: char = '…';

/// `text` cut to at most `max` characters, the last one `…` when cut.
pub fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out: String = text.chars().take(max - 1).collect();
    out.push(ELLIPSIS);
    out
}

/// The plain-text mentions Slack may turn into a notification of everyone.
const BROADCASTS: [&str; 3] = ["here", "channel", "everyone"];

/// Escapes Slack's mrkdwn control characters (`&`, `<`, `>`) so text from
/// the internet can neither mention (`<!channel>`) nor link (`<url|x>`), and
/// breaks the plain-text broadcasts `@here`, `@channel` and `@everyone` with
/// an invisible word joiner after the `@`, so they read the same and notify nobody.
pub fn escape_mrkdwn(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '@' if is_broadcast(&text[i + 1..]) => out.push_str("@\u{2060}"),
            c => out.push(c),
        }
    }
    out
}

/// Whether `rest` (the text after an `@`) starts with a broadcast word.
fn is_broadcast(rest: &str) -> bool {
    BROADCASTS.iter().any(|word| {
        rest.get(..word.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(word))
            && !rest[word.len()..]
                .chars()
                .next()
                .is_some_and(|c| c.is_alphanumeric() || c == '-' || c == '_')
    })
}

/// `text` truncated to `max` characters, then escaped for mrkdwn.
pub fn mrkdwn(text: &str, max: usize) -> String {
    escape_mrkdwn(&truncate(&one_line(text), max))
}

/// Line breaks and tabs as spaces, runs of spaces as one, trimmed.
pub fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A URL made safe to put inside `<...|...>` or `(...)`: the characters that
/// would end or split the link are percent-encoded.
pub fn safe_url(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        match c {
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            '|' => out.push_str("%7C"),
            '(' => out.push_str("%28"),
            ')' => out.push_str("%29"),
            ' ' => out.push_str("%20"),
            '"' => out.push_str("%22"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// `0.923` → `92%`.
pub fn percent(confidence: f64) -> String {
    let c = if confidence.is_finite() {
        confidence.clamp(0.0, 1.0)
    } else {
        0.0
    };
    format!("{:.0}%", c * 100.0)
}

/// `1 issue`, `3 issues`, `2 repositories`, `1 person`.
pub fn count(n: u64, singular: &str, plural: &str) -> String {
    if n == 1 {
        format!("1 {singular}")
    } else {
        format!("{n} {plural}")
    }
}

/// The plural of an event noun: `issue` → `issues`.
pub fn plural_noun(noun: &str) -> String {
    format!("{noun}s")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncates_on_char_boundaries() {
        assert_eq!(truncate("héllo", 10), "héllo");
        assert_eq!(truncate("héllo wörld", 5), "héll…");
        assert_eq!(truncate("🦀🦀🦀", 2), "🦀…");
        assert_eq!(truncate("abc", 0), "");
    }

    #[test]
    fn escapes_slack_controls() {
        assert_eq!(
            escape_mrkdwn("<!channel> & <https://evil|x>"),
            "&lt;!channel&gt; &amp; &lt;https://evil|x&gt;"
        );
    }

    #[test]
    fn plain_text_broadcasts_notify_nobody() {
        for text in ["@here look", "hey @channel!", "@Everyone.", "(@HERE)"] {
            let escaped = escape_mrkdwn(text);
            assert!(escaped.contains("@\u{2060}"), "{text} -> {escaped}");
            assert_eq!(escaped.replace('\u{2060}', ""), text);
        }
        for text in ["@hereford", "@channels-team", "@octocat", "@ here"] {
            assert_eq!(escape_mrkdwn(text), text);
        }
    }

    #[test]
    fn urls_cannot_end_a_link() {
        assert_eq!(safe_url("https://x/a b|c>d)"), "https://x/a%20b%7Cc%3Ed%29");
    }

    #[test]
    fn percentages_and_plurals() {
        assert_eq!(percent(0.923), "92%");
        assert_eq!(percent(f64::NAN), "0%");
        assert_eq!(percent(1.7), "100%");
        assert_eq!(count(1, "person", "people"), "1 person");
        assert_eq!(count(0, "star", "stars"), "0 stars");
    }
}
