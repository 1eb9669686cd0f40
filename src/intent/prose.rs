//! Which lines of a Markdown body are the author's own prose. Left out:
//! fenced code (``` and ~~~), indented code, quoted replies (`>` and the
//! "On ..., X wrote:" line above them), HTML comments (issue templates),
//! stack traces and log lines, and web addresses.

/// Calls `prose` with each piece of prose in `body`, in order.
pub fn for_each_prose(body: &str, mut prose: impl FnMut(&str)) {
    let mut fence: Option<(char, usize)> = None;
    let mut in_comment = false;
    let mut in_trace = false;
    let mut previous_blank = true;
    let mut previous_code = false;
    let mut in_list = false;
    // Most bodies have no HTML comment and no web address: then no line
    // needs looking at for either.
    let comments = memchr::memmem::find(body.as_bytes(), b"<!--").is_some();
    let addresses = has_address_mark(body);
    // A checklist with a box ticked is a choice: the boxes left empty were
    // not chosen ("- [x] Kubernetes", "- [ ] Docker Compose").
    let ticked = has_ticked_box(body);
    for raw in lines(body) {
        let line = raw.trim_end();
        let trimmed = line.trim_start();
        let indent = indent_of(line);
        if let Some((mark, len)) = fence {
            if indent < 4 && fence_of(trimmed).is_some_and(|(m, l)| m == mark && l >= len) {
                fence = None;
            }
            continue;
        }
        if indent < 4
            && let Some(open) = fence_of(trimmed)
        {
            fence = Some(open);
            previous_blank = false;
            continue;
        }
        if trimmed.is_empty() {
            previous_blank = true;
            in_trace = false;
            continue;
        }
        let code = indent >= 4 && (previous_blank || previous_code) && !in_list;
        previous_code = code;
        let was_blank = std::mem::replace(&mut previous_blank, false);
        if code {
            continue;
        }
        if is_list_item(trimmed) {
            in_list = true;
        } else if was_blank && indent == 0 {
            in_list = false;
        }
        if trimmed.starts_with('>') || is_reply_header(trimmed) {
            continue;
        }
        if ticked && is_empty_box(trimmed) {
            continue;
        }
        if is_trace_line(trimmed) || (in_trace && (indent > 0 || !trimmed.contains(' '))) {
            in_trace = true;
            continue;
        }
        in_trace = false;
        if !comments {
            words_of(trimmed, addresses, &mut prose);
            continue;
        }
        let mut rest = trimmed;
        loop {
            if in_comment {
                match find(rest, "-->") {
                    Some(end) => {
                        rest = &rest[end + 3..];
                        in_comment = false;
                    }
                    None => break,
                }
            }
            match find(rest, "<!--") {
                Some(start) => {
                    words_of(&rest[..start], addresses, &mut prose);
                    rest = &rest[start + 4..];
                    in_comment = true;
                }
                None => {
                    words_of(rest, addresses, &mut prose);
                    break;
                }
            }
        }
    }
}

/// Hands on `text` without its web addresses (`addresses`: the body has
/// some).
fn words_of(text: &str, addresses: bool, prose: &mut impl FnMut(&str)) {
    if !addresses || !has_address_mark(text) {
        prose(text);
        return;
    }
    let mut start = 0;
    for (i, word) in text.split(char::is_whitespace).scan(0, |at, w| {
        let here = *at;
        *at += w.len() + 1;
        Some((here, w))
    }) {
        if word.contains("://") || word.starts_with("www.") || word.contains("](") {
            prose(&text[start..i]);
            start = (i + word.len()).min(text.len());
        }
    }
    prose(&text[start..]);
}

/// Where `needle` (not empty) first is in `text`: from the positions of its
/// first byte, rare in prose.
fn find(text: &str, needle: &str) -> Option<usize> {
    let (t, n) = (text.as_bytes(), needle.as_bytes());
    let first = *n.first()?;
    memchr::memchr_iter(first, t).find(|&at| t[at..].starts_with(n))
}

/// Whether `text` has `://` or `www.` in it.
fn has_address_mark(text: &str) -> bool {
    let b = text.as_bytes();
    memchr::memchr2_iter(b':', b'.', b).any(|i| {
        (b[i] == b':' && b[i + 1..].starts_with(b"//"))
            || (b[i] == b'.' && i >= 3 && &b[i - 3..i] == b"www")
    })
}

/// The lines of `body`, cut as [`str::lines`] cuts them.
fn lines(body: &str) -> impl Iterator<Item = &str> {
    let mut rest = body;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let line = match memchr::memchr(b'\n', rest.as_bytes()) {
            Some(at) => {
                let line = &rest[..at];
                rest = &rest[at + 1..];
                line.strip_suffix('\r').unwrap_or(line)
            }
            None => std::mem::take(&mut rest),
        };
        Some(line)
    })
}

fn indent_of(line: &str) -> usize {
    let mut n = 0;
    for b in line.bytes() {
        match b {
            b' ' => n += 1,
            b'\t' => n += 4,
            _ => break,
        }
    }
    n
}

/// "```rust" or "~~~": the fence's character and length.
fn fence_of(trimmed: &str) -> Option<(char, usize)> {
    let mark = trimmed.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let len = trimmed.chars().take_while(|c| *c == mark).count();
    (len >= 3).then_some((mark, len))
}

fn is_list_item(trimmed: &str) -> bool {
    let mut chars = trimmed.chars();
    match chars.next() {
        Some('-' | '*' | '+') => chars.next() == Some(' '),
        Some(c) if c.is_ascii_digit() => {
            let rest = trimmed.trim_start_matches(|c: char| c.is_ascii_digit());
            rest.starts_with(". ") || rest.starts_with(") ")
        }
        _ => false,
    }
}

/// Whether `body` has a ticked task-list box: "- [x]" or "* [X]".
fn has_ticked_box(body: &str) -> bool {
    let b = body.as_bytes();
    memchr::memchr_iter(b'[', b).any(|i| {
        i >= 2
            && matches!(b[i - 2], b'-' | b'*' | b'+')
            && b[i - 1] == b' '
            && matches!(b.get(i + 1), Some(b'x' | b'X'))
            && b.get(i + 2) == Some(&b']')
    })
}

/// "- [ ] I need audit logs": a task-list item with its box empty.
fn is_empty_box(trimmed: &str) -> bool {
    let b = trimmed.as_bytes();
    b.len() >= 5 && matches!(b[0], b'-' | b'*' | b'+') && &b[1..5] == b" [ ]"
}

/// "On Tue, 3 May 2025, Ann wrote:" above a quoted reply.
fn is_reply_header(trimmed: &str) -> bool {
    trimmed.ends_with("wrote:") && trimmed.len() < 200
}

/// A frame or headline of a stack trace, or a log line.
fn is_trace_line(t: &str) -> bool {
    let first = t.split_whitespace().next().unwrap_or("");
    let starts_digit_run =
        |s: &str, n: usize| s.len() >= n && s.bytes().take(n).all(|b| b.is_ascii_digit());
    // Java, JavaScript, .NET frames: "at com.acme.Foo.bar(Foo.java:12)".
    (t.starts_with("at ") && (t.contains('(') || t.contains(".js:") || t.contains(".ts:")))
        // Python: 'File "x.py", line 3, in f' and its headline.
        || (t.starts_with("File \"") && t.contains(", line "))
        || t.starts_with("Traceback (most recent call last)")
        || t.starts_with("Exception in thread \"")
        || t.starts_with("Caused by:")
        || t.starts_with("Suppressed:")
        || (t.starts_with("...") && t.ends_with(" more"))
        // Go and Rust.
        || t.starts_with("goroutine ")
        || t.starts_with("panic: ")
        || (t.starts_with("thread '") && t.contains("panicked at"))
        || (first.len() > 1
            && first.ends_with(':')
            && first[..first.len() - 1].bytes().all(|b| b.is_ascii_digit())
            && t.contains("::"))
        || is_exception_headline(first)
        // Log lines: "2025-01-31T10:00:00Z ERROR ...", "[2025-01-31 ...", "[ERROR] ...", "E0131 10:00:00".
        || (starts_digit_run(t.trim_start_matches('['), 4) && t.trim_start_matches('[').as_bytes().get(4) == Some(&b'-'))
        || ["[ERROR]", "[WARN]", "[WARNING]", "[INFO]", "[DEBUG]", "[TRACE]", "[FATAL]"]
            .iter()
            .any(|p| t.starts_with(p))
        || t.starts_with("level=")
}

/// "javax.naming.AuthenticationException:", "ldap3.core.LDAPBindError:",
/// "TimeoutError:": a qualified or compound exception name, not the word
/// "Error:" a person writes.
fn is_exception_headline(first: &str) -> bool {
    let name = first.trim_end_matches(':');
    let kind = ["Exception", "Error"]
        .iter()
        .find_map(|k| name.strip_suffix(k));
    match kind {
        Some(prefix) if !prefix.is_empty() => {
            (name.contains('.') || first.ends_with(':'))
                && !name.ends_with('.')
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'_' || b == b'$')
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prose(body: &str) -> String {
        let mut out = Vec::new();
        for_each_prose(body, |p| out.push(p.trim().to_string()));
        out.retain(|p| !p.is_empty());
        out.join(" | ")
    }

    #[test]
    fn leaves_out_code_quotes_traces_comments_and_addresses() {
        let body = "We use Okta.\n\n```yaml\nauth: saml\n```\n\n    ldap: true\n\n> we need SCIM\n\nOn Mon, Ann wrote:\n<!-- template: do you need SSO? -->\nTraceback (most recent call last):\n  File \"a.py\", line 1, in <module>\n    saml.login()\nldap3.core.exceptions.LDAPBindError: bad\n    at com.okta.Foo.bar(Foo.java:1)\n2025-01-01T10:00:00Z ERROR saml failed\nSee https://okta.com/saml docs";
        assert_eq!(prose(body), "We use Okta. | See | docs");
    }

    #[test]
    fn list_continuations_are_prose_not_code() {
        let body = "- first item\n\n    still the item, about SSO\n";
        assert_eq!(prose(body), "- first item | still the item, about SSO");
    }
}
