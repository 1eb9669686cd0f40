//! Repository globs of `repos:`: `acme-oss/*`, `acme/sdk-?`, matched
//! case-insensitively against `owner/name`. [`check`] keeps the syntax to
//! letters, digits, `-`, `_`, `.`, `*` and `?`; globset matches.

use globset::{GlobBuilder, GlobMatcher};
use std::collections::HashMap;
use std::sync::{LazyLock, RwLock};

/// Whether `pattern` is a glob orgradar can use; the error says what is wrong.
pub fn check(pattern: &str) -> Result<(), String> {
    let Some((owner, name)) = pattern.split_once('/') else {
        return Err(format!(
            "`{pattern}` is not a repository glob: write `owner/name`, e.g. `acme/*` or `acme/sdk-*`"
        ));
    };
    for part in [owner, name] {
        if part.is_empty() {
            return Err(format!(
                "`{pattern}` has an empty owner or name: write `owner/name`, e.g. `acme/*`"
            ));
        }
        if let Some(c) = part
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '*' | '?')))
        {
            return Err(format!(
                "`{pattern}` contains `{c}`: a repository glob holds letters, digits, `-`, `_`, `.`, and `*` or `?` as wildcards"
            ));
        }
    }
    Ok(())
}

/// Whether `text` matches `pattern`: `*` is any run of characters except
/// `/`, `?` is one character except `/`; letters match in either case.
/// Each pattern is compiled once (the patterns are those of app.yml).
pub fn matches(pattern: &str, text: &str) -> bool {
    static COMPILED: LazyLock<RwLock<HashMap<String, Option<GlobMatcher>>>> =
        LazyLock::new(Default::default);
    if let Ok(compiled) = COMPILED.read()
        && let Some(matcher) = compiled.get(pattern)
    {
        return matcher.as_ref().is_some_and(|m| m.is_match(text));
    }
    let matcher = compile(pattern);
    let matched = matcher.as_ref().is_some_and(|m| m.is_match(text));
    if let Ok(mut compiled) = COMPILED.write() {
        compiled.insert(pattern.to_string(), matcher);
    }
    matched
}

/// The matcher of a pattern [`check`] accepts: `*` and `?` never match the
/// `/` between owner and name. `None` for what is no glob at all.
fn compile(pattern: &str) -> Option<GlobMatcher> {
    GlobBuilder::new(pattern)
        .literal_separator(true)
        .case_insensitive(true)
        .backslash_escape(false)
        .build()
        .ok()
        .map(|g| g.compile_matcher())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn star_stays_within_owner_or_name() {
        assert!(matches("acme-oss/*", "acme-oss/sdk"));
        assert!(matches("acme-oss/*", "ACME-OSS/Sdk"));
        assert!(matches("*/*", "a/b"));
        assert!(matches("acme/sdk-*", "acme/sdk-"));
        assert!(matches("acme/*-sdk", "acme/go-sdk"));
        assert!(!matches("acme*", "acme/sdk"));
        assert!(!matches("acme-oss/*", "acme/sdk"));
        assert!(!matches("acme/sdk", "acme/sdk2"));
    }

    #[test]
    fn a_double_star_is_a_star() {
        assert!(matches("acme/**", "acme/sdk"));
        assert!(matches("**/sdk", "acme/sdk"));
        assert!(matches("acme/sdk-**", "acme/sdk-go"));
        assert!(!matches("acme**", "acme/sdk"));
        assert!(matches("**/*b", "ab/-b"));
    }

    #[test]
    fn question_mark_is_one_character() {
        assert!(matches("acme/sdk-?", "acme/sdk-1"));
        assert!(!matches("acme/sdk-?", "acme/sdk-12"));
        assert!(!matches("acme?sdk", "acme/sdk"));
    }

    #[test]
    fn refuses_what_is_no_repository_glob() {
        assert!(check("acme/*").is_ok());
        assert!(check("acme").unwrap_err().contains("owner/name"));
        assert!(check("/x").unwrap_err().contains("empty"));
        assert!(check("acme/[ab]").unwrap_err().contains("`[`"));
    }
}
