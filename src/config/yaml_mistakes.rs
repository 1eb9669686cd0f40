//! The parser's complaints about app.yml, said the way a person fixes them:
//! which setting, what it must be, and an example
//! (`worker.concurrency must be a whole number, not `lots`, e.g. `concurrency: 32``).

/// The message for a parse error at `line:column` (1-based) of `text`.
pub fn message(e: &serde_saphyr::Error, text: &str, line: u64, column: u64) -> String {
    let bare = bare_message(e);
    if let Some(message) = type_mistake(&bare, text, line, column) {
        return message;
    }
    // How to fix the syntax mistakes people make most.
    let hint = if bare.contains("tabs disallowed") {
        "; indent with spaces, not tabs"
    } else if bare.contains("did not find expected key")
        || bare.contains("mapping values are not allowed")
    {
        "; check this line's indentation: each key lines up with the keys beside it, two spaces deeper than the key it belongs to"
    } else if bare.starts_with("unclosed") {
        "; close it where the value ends"
    } else if let Some(field) = bare.strip_prefix("missing field ") {
        return format!(
            "{field} is required here but missing (or indented differently from the keys beside it)"
        );
    } else {
        ""
    };
    format!("{bare}{hint}")
}

/// The parser's message without its own rendering of the location (we print
/// `file:line:column:` ourselves, the way compilers do).
fn bare_message(e: &serde_saphyr::Error) -> String {
    let full = e.to_string();
    let first = full.lines().next().unwrap_or_default().trim();
    let first = first.strip_prefix("error: ").unwrap_or(first);
    let first = match first.strip_prefix("line ") {
        Some(rest) => rest.split_once(": ").map_or(first, |(_, message)| message),
        None => first,
    };
    let message = match first.find(" at line ") {
        Some(i) => &first[..i],
        None => first,
    };
    if let Some(key) = message.strip_prefix("duplicate mapping key: ") {
        let key = key.split(',').next().unwrap_or(key);
        return format!("`{key}` appears twice; merge the two into one");
    }
    // The only enum written as a one-key mapping is a channel.
    if message == "expected end of mapping after enum variant value" {
        return "a channel is exactly one of slack_webhook_env, slack_channel or github_issue"
            .into();
    }
    message.to_string()
}

/// "invalid type: string \"lots\", expected usize" at a value, as the
/// setting it is for, what it must be, and an example.
fn type_mistake(bare: &str, text: &str, line: u64, column: u64) -> Option<String> {
    // serde's "invalid type: string \"x\", expected usize", or the
    // parser's own "invalid u64" and "expected sequence start".
    let expected = match bare
        .strip_prefix("invalid type: ")
        .or_else(|| bare.strip_prefix("invalid value: "))
    {
        Some(rest) => rest.rsplit_once(", expected ")?.1,
        None => bare
            .strip_prefix("invalid ")
            .or_else(|| bare.strip_prefix("expected "))?,
    };
    let (kind, fallback) = kind_of(expected)?;
    let path = key_path(text, line, column)?;
    let key = path.last()?;
    let example = example(key).unwrap_or(fallback);
    let setting = path.join(".");
    if let Some(next) = runs_on(text, line) {
        // `concurrency: 3` followed by a line indented too deep: one value.
        return Some(format!(
            "{setting} must be {kind}, e.g. `{key}: {example}`; its value runs on into line {next}, which is indented deeper than `{key}`: line that up with `{key}`"
        ));
    }
    let found = value_at(text, line, column)
        .map(|v| format!(", not `{v}`"))
        .unwrap_or_default();
    Some(format!(
        "{setting} must be {kind}{found}, e.g. `{key}: {example}`"
    ))
}

/// What a person calls the type serde expected, and a neutral example.
fn kind_of(expected: &str) -> Option<(&'static str, &'static str)> {
    let e = expected.trim().to_ascii_lowercase();
    let word = e
        .trim_start_matches("a ")
        .trim_start_matches("an ")
        .trim_end_matches(" start")
        .trim_end_matches(" scalar");
    Some(match word {
        "u8" | "u16" | "u32" | "u64" | "u128" | "usize" | "i8" | "i16" | "i32" | "i64" | "i128"
        | "isize" | "integer" | "whole number" => ("a whole number", "3"),
        "f32" | "f64" | "float" | "number" | "floating point" | "floating point number" => {
            ("a number", "0.8")
        }
        "bool" | "boolean" => ("true or false", "true"),
        "sequence" | "seq" | "list" => ("a list", "[a, b]"),
        "map" | "mapping" => ("a mapping of settings", "{ ... }"),
        "string" | "str" => ("text", "text"),
        _ if word.starts_with("struct ") => ("a mapping of settings", "{ ... }"),
        _ if word.starts_with("sequence") => ("a list", "[a, b]"),
        _ => return None,
    })
}

/// A realistic example value for the settings people write most.
fn example(key: &str) -> Option<&'static str> {
    Some(match key {
        "concurrency" => "32",
        "max_attempts" => "8",
        "public" | "active" | "per_account" | "first_time" | "stop" => "true",
        "bot" | "insider" => "false",
        "confidence" => "0.8",
        "score" => "60",
        "default_events" => "[issues, pull_request, discussion, star, fork]",
        "on" => "[issues.opened, pull_request.opened]",
        "repos" => "[\"acme-oss/*\"]",
        "label" => "[enterprise]",
        "notify" | "channels" => "[product, marketing]",
        "domains" => "[acme.com, acme.co.uk]",
        "github_orgs" | "allow_orgs" => "[acme, acme-labs]",
        "aliases" => "[ACME Labs]",
        "not" => "[Acme Bricks]",
        "ignore" => "[dependabot-preview]",
        "tier" => "[enterprise]",
        "intent" => "[sso, commercial]",
        "worker" => "{ concurrency: 32 }",
        "dashboard" => "{ allow_orgs: [acme] }",
        "throttle" => "{ window: 24h }",
        "hook_attributes" => "{ active: true }",
        "default_permissions" => "{ issues: write }",
        "people" => "{ wile-e-coyote: acme }",
        _ => return None,
    })
}

/// The value written at `line:column`, up to the end of its scalar.
fn value_at(text: &str, line: u64, column: u64) -> Option<String> {
    let l = text
        .lines()
        .nth(usize::try_from(line).ok()?.checked_sub(1)?)?;
    let from: String = l
        .chars()
        .skip(usize::try_from(column).ok()?.saturating_sub(1))
        .collect();
    let value = from
        .split(" #")
        .next()
        .unwrap_or_default()
        .trim()
        .trim_end_matches([',', '}', ']'])
        .trim();
    (!value.is_empty() && value.chars().count() <= 60).then(|| value.to_string())
}

/// The number of the line a plain value on `line` continues on: the next
/// line with content, when it is indented deeper than `line`'s key.
fn runs_on(text: &str, line: u64) -> Option<usize> {
    let index = usize::try_from(line).ok()?.checked_sub(1)?;
    let lines: Vec<&str> = text.lines().collect();
    let indent = indentation(lines.get(index)?);
    lines
        .iter()
        .enumerate()
        .skip(index + 1)
        .find(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .filter(|(_, l)| indentation(l) > indent)
        .map(|(i, _)| i + 1)
}

/// The keys leading to the value at `line:column`: `["worker", "concurrency"]`.
/// Block mappings are followed up by indentation, flow mappings on the line.
pub fn key_path(text: &str, line: u64, column: u64) -> Option<Vec<String>> {
    let lines: Vec<&str> = text.lines().collect();
    let index = usize::try_from(line).ok()?.checked_sub(1)?;
    let current = lines.get(index)?;
    let prefix: String = current
        .chars()
        .take(usize::try_from(column).ok()?.saturating_sub(1))
        .collect();
    let mut path = keys_on_line(&prefix);
    if path.is_empty() {
        return None;
    }
    let mut indent = indentation(current);
    for l in lines[..index].iter().rev() {
        if indent == 0 {
            break;
        }
        let trimmed = l.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let at = indentation(l);
        if at < indent {
            // A list item (`- name: x`) of the parent: its own key is a sibling.
            let dash = l.len() - trimmed.len();
            if dash < indent && !trimmed.starts_with('-') {
                path.splice(0..0, keys_on_line(l).into_iter().take(1));
            }
            indent = if trimmed.starts_with('-') { dash } else { at };
        }
    }
    Some(path)
}

/// Where a line's content starts, counting a list item's `- ` as indentation.
fn indentation(line: &str) -> usize {
    let mut rest = line;
    loop {
        let trimmed = rest.trim_start_matches(' ');
        match trimmed.strip_prefix("- ") {
            Some(after) => rest = after,
            None => return line.len() - trimmed.len(),
        }
    }
}

/// The keys open at the end of `prefix` (flow mappings nest on one line).
fn keys_on_line(prefix: &str) -> Vec<String> {
    let mut open: Vec<(usize, String)> = Vec::new();
    let mut depth = 0;
    let mut word = String::new();
    let mut quoted = None;
    for c in prefix.chars() {
        if let Some(q) = quoted {
            if c == q {
                quoted = None;
            }
            continue;
        }
        match c {
            '"' | '\'' => quoted = Some(c),
            '#' => break,
            '{' | '[' => depth += 1,
            '}' | ']' => {
                depth -= 1;
                open.retain(|(d, _)| *d <= depth);
            }
            ',' => open.retain(|(d, _)| *d < depth),
            ':' if !word.is_empty() => {
                open.retain(|(d, _)| *d < depth);
                open.push((depth, std::mem::take(&mut word)));
                continue;
            }
            _ => {}
        }
        if c.is_alphanumeric() || matches!(c, '_' | '-' | '.') {
            word.push(c);
        } else {
            word.clear();
        }
    }
    open.into_iter().map(|(_, k)| k).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_keys_of_a_value() {
        let text = "name: x\nworker:\n  concurrency: lots\nrules:\n  - name: r\n    on: issues.opened\n    if: { tier: x, confidence: high }\n";
        assert_eq!(key_path(text, 3, 16).unwrap(), ["worker", "concurrency"]);
        assert_eq!(key_path(text, 6, 9).unwrap(), ["rules", "on"]);
        assert_eq!(
            key_path(text, 7, 33).unwrap(),
            ["rules", "if", "confidence"]
        );
        assert_eq!(key_path(text, 1, 7).unwrap(), ["name"]);
        assert_eq!(value_at(text, 3, 16).as_deref(), Some("lots"));
    }

    #[test]
    fn a_type_mistake_names_the_setting_the_type_and_an_example() {
        let text = "name: x\nworker:\n  concurrency: lots\n";
        assert_eq!(
            type_mistake("invalid type: string \"lots\", expected usize", text, 3, 16).unwrap(),
            "worker.concurrency must be a whole number, not `lots`, e.g. `concurrency: 32`"
        );
        // The parser's own words for the same mistakes.
        let said = |bare: &str, text: &str, line, column| type_mistake(bare, text, line, column);
        assert_eq!(
            said("invalid u64", text, 3, 16).unwrap(),
            "worker.concurrency must be a whole number, not `lots`, e.g. `concurrency: 32`"
        );
        assert_eq!(
            said("invalid boolean", "name: x\npublic: maybe\n", 2, 9).unwrap(),
            "public must be true or false, not `maybe`, e.g. `public: true`"
        );
        assert_eq!(
            said(
                "expected sequence start",
                "name: x\ndashboard:\n  allow_orgs: acme\n",
                3,
                15
            )
            .unwrap(),
            "dashboard.allow_orgs must be a list, not `acme`, e.g. `allow_orgs: [acme, acme-labs]`"
        );
        assert_eq!(
            said("expected mapping start", "name: x\nworker: 3\n", 2, 9).unwrap(),
            "worker must be a mapping of settings, not `3`, e.g. `worker: { concurrency: 32 }`"
        );
        let rules = "rules:\n  - name: r\n    on: [issues.opened]\n    if: { confidence: high }\n";
        assert_eq!(
            said("invalid floating point", rules, 4, 23).unwrap(),
            "rules.if.confidence must be a number, not `high`, e.g. `confidence: 0.8`"
        );
        assert_eq!(
            said(
                "mapping values are not allowed in this context",
                text,
                3,
                16
            ),
            None
        );
        // A value that runs on into a line indented too deep.
        let deep = "worker:\n  concurrency: 3\n   lease: 30s\n";
        assert_eq!(
            said("invalid u64", deep, 2, 16).unwrap(),
            "worker.concurrency must be a whole number, e.g. `concurrency: 32`; its value runs on into line 3, which is indented deeper than `concurrency`: line that up with `concurrency`"
        );
    }
}
