//! GitHub's rate-limit accounting, for the fake GitHub: REST requests and
//! GraphQL points per installation and hour, and a query's cost computed the
//! way GitHub documents it (the requests needed to fill every connection,
//! `first:`/`last:`, nested ones multiplied by their parents, divided by 100
//! and rounded; at least 1).

#![allow(dead_code)]

use std::collections::HashMap;

/// The points a GraphQL query costs.
pub fn graphql_cost(query: &str) -> u64 {
    let tokens = tokenize(query);
    let fragments = fragments(&tokens);
    let start = tokens.iter().position(|t| t == "{").unwrap_or(tokens.len());
    let end = block_end(&tokens, start);
    let requests = requests_in(&tokens[start..end], &fragments, 1);
    ((requests as f64 / 100.0).round() as u64).max(1)
}

fn tokenize(query: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut in_string = false;
    for c in query.chars() {
        if in_string {
            if c == '"' {
                in_string = false;
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '{' | '}' | '(' | ')' | ':' => {
                if !word.is_empty() {
                    out.push(std::mem::take(&mut word));
                }
                out.push(c.to_string());
            }
            c if c.is_whitespace() || c == ',' => {
                if !word.is_empty() {
                    out.push(std::mem::take(&mut word));
                }
            }
            c => word.push(c),
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// The index just past the `}` that closes the `{` at `open`.
fn block_end(tokens: &[String], open: usize) -> usize {
    let mut depth = 0;
    for (i, t) in tokens.iter().enumerate().skip(open) {
        match t.as_str() {
            "{" => depth += 1,
            "}" => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
    }
    tokens.len()
}

fn fragments(tokens: &[String]) -> HashMap<String, Vec<String>> {
    let mut out = HashMap::new();
    let mut i = 0;
    while i < tokens.len() {
        if tokens[i] == "fragment" && i + 1 < tokens.len() {
            let name = tokens[i + 1].clone();
            if let Some(open) = tokens[i..].iter().position(|t| t == "{").map(|p| p + i) {
                let end = block_end(tokens, open);
                out.insert(name, tokens[open..end].to_vec());
                i = end;
                continue;
            }
        }
        i += 1;
    }
    out
}

/// Requests needed for the selection set `block` (from `{` to `}`), each
/// connection counted `multiplier` times.
fn requests_in(block: &[String], fragments: &HashMap<String, Vec<String>>, multiplier: u64) -> u64 {
    let mut total = 0;
    let mut i = 1;
    let end = block.len().saturating_sub(1);
    while i < end {
        let token = &block[i];
        if let Some(name) = token.strip_prefix("...") {
            if let Some(fragment) = fragments.get(name) {
                total += requests_in(fragment, fragments, multiplier);
            }
            i += 1;
            continue;
        }
        // A field: `alias: name(args) { ... }`, each part optional.
        let mut j = i + 1;
        if block.get(j).map(String::as_str) == Some(":") {
            j += 2;
        }
        let mut size = None;
        if block.get(j).map(String::as_str) == Some("(") {
            let close = block[j..]
                .iter()
                .position(|t| t == ")")
                .map_or(end, |p| p + j);
            let args = &block[j..close];
            for (k, a) in args.iter().enumerate() {
                if (a == "first" || a == "last") && args.get(k + 1).map(String::as_str) == Some(":")
                {
                    size = args.get(k + 2).and_then(|n| n.parse::<u64>().ok());
                }
            }
            j = close + 1;
        }
        if block.get(j).map(String::as_str) == Some("{") {
            let close = block_end(block, j);
            let inner = match size {
                Some(n) => {
                    total += multiplier;
                    multiplier * n
                }
                None => multiplier,
            };
            total += requests_in(&block[j..close], fragments, inner);
            j = close;
        }
        i = j.max(i + 1);
    }
    total
}

#[cfg(test)]
mod tests {
    use super::graphql_cost;

    #[test]
    fn the_documented_examples_cost_what_github_says() {
        // GitHub's worked example: 1 + 100 + 100 × 50 = 5,101 requests, 51 points.
        let q = "query { viewer { login repositories(first: 100) { edges { node { id \
                 issues(first: 50) { edges { node { id labels(first: 60) { edges { node { id name } } } } } } } } } } }";
        assert_eq!(graphql_cost(q), 51);
        // The query of GitHub's node-limit example, by the same rule:
        // 1 + 50 + 50 × 20 + 50 + 50 × 20 + 1 = 2,102 requests, 21 points.
        let q = "query { viewer { repositories(first: 50) { edges { repository:node { name \
                 pullRequests(first: 20) { edges { pullRequest:node { title comments(first: 10) { edges { comment:node { bodyHTML } } } } } } \
                 issues(first: 20) { totalCount edges { issue:node { title bodyHTML comments(first: 10) { edges { comment:node { bodyHTML } } } } } } } } } \
                 followers(first: 10) { edges { follower:node { login } } } } }";
        assert_eq!(graphql_cost(q), 21);
        // Fifty people with their organizations: 50 requests, 1 point (at least 1).
        let mut q = String::from("query($org: String!) { rateLimit { cost remaining resetAt }");
        for i in 0..50 {
            q.push_str(&format!(" u{i}: user(login: \"p{i}\") {{ ...person }}"));
        }
        q.push_str(" } fragment person on User { login organizations(first: 100) { nodes { login } } organization(login: $org) { login } }");
        assert_eq!(graphql_cost(&q), 1);
        assert_eq!(graphql_cost("query { user(login: \"a\") { login } }"), 1);
    }
}
