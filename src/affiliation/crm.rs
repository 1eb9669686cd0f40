//! Accounts from a CRM export: a CSV file with the header
//! `id,name,tier,domains,github_orgs,aliases[,not]` (any order); list cells
//! hold several values separated by `;`.

use super::accounts::AccountSpec;
use super::problems::{AccountsError, Located, Origin, Problem};
use std::path::Path;

const COLUMNS: [&str; 7] = [
    "id",
    "name",
    "tier",
    "domains",
    "github_orgs",
    "aliases",
    "not",
];

/// Reads the text of a CRM export; `path` is only used in messages
/// (`accounts.csv:LINE: ...`). Reports every bad row, not only the first.
pub fn parse_csv(text: &str, path: &Path) -> Result<Vec<AccountSpec>, AccountsError> {
    let at = |line: u64| {
        Some(Origin {
            file: path.to_path_buf(),
            line,
            column: None,
        })
    };
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| AccountsError::one(at(1), format!("cannot read the header row: {e}")))?
        .clone();
    let mut column = [None; COLUMNS.len()];
    for (i, header) in headers.iter().enumerate() {
        let name = header.to_ascii_lowercase();
        match COLUMNS.iter().position(|c| *c == name) {
            Some(c) if column[c].is_some() => {
                return Err(AccountsError::one(
                    at(1),
                    format!("column `{name}` appears twice; keep one"),
                ));
            }
            Some(c) => column[c] = Some(i),
            None => {
                return Err(AccountsError::one(
                    at(1),
                    format!(
                        "unknown column `{header}`; the columns are {} (id and name required); rename or remove it",
                        COLUMNS.join(", ")
                    ),
                ));
            }
        }
    }
    for required in ["id", "name"] {
        if !headers.iter().any(|h| h.eq_ignore_ascii_case(required)) {
            return Err(AccountsError::one(
                at(1),
                format!(
                    "no `{required}` column; the first row must name the columns, e.g. id,name,tier,domains,github_orgs,aliases"
                ),
            ));
        }
    }
    let mut specs = Vec::new();
    let mut problems = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                let message = match e.kind() {
                    csv::ErrorKind::UnequalLengths {
                        len, expected_len, ..
                    } => format!(
                        "this row has {len} cells, the header {expected_len}; quote a cell that holds a comma, e.g. \"Acme, Inc.\""
                    ),
                    _ => format!("cannot read this row: {e}"),
                };
                problems.push(Problem {
                    at: at(line),
                    message,
                });
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        let cell = |name: &str| -> &str {
            COLUMNS
                .iter()
                .position(|c| *c == name)
                .and_then(|c| column[c])
                .and_then(|i| record.get(i))
                .unwrap_or_default()
        };
        let list = |name: &str| -> Vec<String> {
            cell(name)
                .split(';')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect()
        };
        let located = |values: Vec<String>| -> Vec<Located<String>> {
            values
                .into_iter()
                .map(|v| Located::new(v, at(line)))
                .collect()
        };
        let tier = cell("tier");
        specs.push(AccountSpec {
            id: Located::new(cell("id").to_string(), at(line)),
            name: Located::new(cell("name").to_string(), at(line)),
            tier: (!tier.is_empty()).then(|| tier.to_string()),
            domains: located(list("domains")),
            github_orgs: located(list("github_orgs")),
            aliases: list("aliases"),
            not: list("not"),
        });
    }
    if problems.is_empty() {
        Ok(specs)
    } else {
        Err(AccountsError { problems })
    }
}
