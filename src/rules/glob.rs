//! Repository globs of `repos:`: `acme-oss/*`, `acme/sdk-?`, matched
//! case-insensitively against `owner/name`.

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
/// `/`, `?` is one character; letters match in either case.
pub fn matches(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.to_lowercase().chars().collect();
    let t: Vec<char> = text.to_lowercase().chars().collect();
    // Backtracking to the last `*`; a `*` never crosses a `/`.
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some('*') => {
                star = Some((pi, ti));
                pi += 1;
            }
            Some('?') if t[ti] != '/' => {
                pi += 1;
                ti += 1;
            }
            Some(c) if *c == t[ti] => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                Some((sp, st)) if t[st] != '/' => {
                    star = Some((sp, st + 1));
                    pi = sp + 1;
                    ti = st + 1;
                }
                _ => return false,
            },
        }
    }
    p[pi..].iter().all(|c| *c == '*')
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
