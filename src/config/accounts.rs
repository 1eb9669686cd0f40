//! The `accounts:`, `accounts_file:` and `people:` sections of app.yml,
//! turned into the validated, indexed [`Accounts`].

use super::ConfigError;
use crate::affiliation::{AccountSpec, Accounts, Located, Origin, PersonSpec, parse_csv};
use serde::Deserialize;
use serde_saphyr::{Location, Spanned};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A target account written in app.yml.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountEntry {
    pub id: Spanned<String>,
    pub name: Spanned<String>,
    #[serde(default)]
    pub tier: Option<String>,
    #[serde(default)]
    pub domains: Vec<Spanned<String>>,
    #[serde(default)]
    pub github_orgs: Vec<Spanned<String>>,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub not: Vec<String>,
}

/// `people:`: GitHub login → account id.
pub type People = BTreeMap<String, Spanned<String>>;

fn origin(path: &Path, at: Location) -> Option<Origin> {
    (at != Location::UNKNOWN).then(|| Origin {
        file: path.to_path_buf(),
        line: at.line(),
        column: Some(at.column()),
    })
}

fn located(path: &Path, s: &Spanned<String>) -> Located<String> {
    Located::new(s.value.clone(), origin(path, s.referenced))
}

/// Builds the accounts of app.yml (at `path`) and of its `accounts_file`,
/// read with `read` (the real file system in `Config::load`, a map in tests).
pub fn build(
    path: &Path,
    entries: &[AccountEntry],
    accounts_file: Option<&Spanned<String>>,
    people: &People,
    read: impl Fn(&Path) -> std::io::Result<String>,
) -> Result<Accounts, ConfigError> {
    let mut specs: Vec<AccountSpec> = entries
        .iter()
        .map(|e| AccountSpec {
            id: located(path, &e.id),
            name: located(path, &e.name),
            tier: e.tier.clone(),
            domains: e.domains.iter().map(|d| located(path, d)).collect(),
            github_orgs: e.github_orgs.iter().map(|o| located(path, o)).collect(),
            aliases: e.aliases.clone(),
            not: e.not.clone(),
        })
        .collect();
    if let Some(file) = accounts_file {
        let csv_path = resolve(path, &file.value);
        let text = read(&csv_path).map_err(|e| ConfigError::Invalid {
            path: path.to_path_buf(),
            line: file.referenced.line(),
            column: file.referenced.column(),
            message: format!(
                "cannot read accounts_file {}: {e}; the path is relative to the folder that holds {}",
                csv_path.display(),
                path.file_name().map_or("app.yml".into(), |n| n.to_string_lossy())
            ),
        })?;
        specs.extend(parse_csv(&text, &csv_path)?);
    }
    let people = people
        .iter()
        .map(|(login, account)| PersonSpec {
            login: Located::new(login.clone(), origin(path, account.referenced)),
            account: located(path, account),
        })
        .collect();
    Ok(Accounts::build(specs, people)?)
}

/// `file` relative to the folder of the app.yml at `app`.
fn resolve(app: &Path, file: &str) -> PathBuf {
    let file = Path::new(file.trim());
    if file.is_absolute() {
        return file.to_path_buf();
    }
    match app.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.join(file),
        _ => file.to_path_buf(),
    }
}

#[cfg(test)]
mod tests {
    use crate::config::{AppFile, ConfigError};
    use std::path::Path;

    const CSV: &str = "id,name,tier,domains,github_orgs,aliases\n\
        globex,Globex Corporation,enterprise,globex.com;globex.io,globex,Globex Corp\n\
        initech,Initech,,initech.com,,\n";

    /// Parses app.yml text and builds its accounts, with `csv` as the one file
    /// there is to read.
    fn accounts(yml: &str, csv: &str) -> Result<crate::affiliation::Accounts, ConfigError> {
        let path = Path::new("conf/app.yml");
        let app = AppFile::parse(yml, path)?;
        app.accounts(path, |file| {
            if file == Path::new("conf/accounts.csv") {
                Ok(csv.to_string())
            } else {
                Err(std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "No such file or directory",
                ))
            }
        })
    }

    fn err(yml: &str, csv: &str) -> String {
        accounts(yml, csv).unwrap_err().to_string()
    }

    #[test]
    fn the_commented_example_in_the_shipped_app_yml_is_valid() {
        let example: Vec<&str> = include_str!("../../app.yml")
            .lines()
            .skip_while(|l| !l.starts_with("# accounts:"))
            .filter(|l| !l.contains("accounts_file"))
            .map(|l| l.strip_prefix("# ").unwrap_or(l))
            .collect();
        let a = accounts(&format!("name: x\n{}\n", example.join("\n")), "").unwrap();
        assert_eq!((a.len(), a.people_len()), (1, 1));
        assert_eq!(a.by_id("acme").unwrap().github_orgs, ["acme", "acme-labs"]);
    }

    #[test]
    fn accounts_from_app_yml_and_a_crm_export_together() {
        let yml = "name: x\naccounts:\n  - id: acme\n    name: Acme Inc.\n    tier: strategic\n    domains: [acme.com]\n    github_orgs: [acme]\naccounts_file: accounts.csv\npeople:\n  Octocat: globex\n";
        let a = accounts(yml, CSV).unwrap();
        assert_eq!(a.len(), 3);
        assert_eq!(a.people_len(), 1);
        assert_eq!(
            a.by_id("globex").unwrap().domains,
            ["globex.com", "globex.io"]
        );
        assert_eq!(a.by_id("acme").unwrap().tier.as_deref(), Some("strategic"));
        assert_eq!(a.by_id("initech").unwrap().tier, None);
    }

    #[test]
    fn app_yml_mistakes_point_at_line_and_column() {
        let dup =
            "name: x\naccounts:\n  - id: acme\n    name: Acme\n  - id: acme\n    name: Acme Two\n";
        assert_eq!(
            err(dup, ""),
            "conf/app.yml:5:9: account id `acme` is used twice (first at conf/app.yml:3:9); give each account its own id"
        );
        let domain = "name: x\naccounts:\n  - id: acme\n    name: Acme\n    domains:\n      - acme.com\n  - id: acme2\n    name: Acme Two\n    domains: [ACME.com]\n";
        assert_eq!(
            err(domain, ""),
            "conf/app.yml:9:15: domain `acme.com` is claimed by account `acme` (first at conf/app.yml:6:9) and by account `acme2`; a domain can name only one account"
        );
        let org = "name: x\naccounts:\n  - {id: a, name: A, github_orgs: [acme]}\n  - {id: b, name: B, github_orgs: ['@Acme']}\n";
        assert!(
            err(org, "").starts_with(
                "conf/app.yml:4:36: GitHub organization `acme` is claimed by account `a`"
            ),
            "{}",
            err(org, "")
        );
        let empty = "name: x\naccounts:\n  - id: ''\n    name: Acme\n  - id: b\n    name: ' '\n";
        assert_eq!(
            err(empty, ""),
            "conf/app.yml:3:9: an account has an empty `id`; give it a short, stable identifier such as `acme`\nconf/app.yml:6:11: account `b` has an empty `name`; write the name people know it by, e.g. `Acme Corporation`"
        );
        let bad = "name: x\naccounts:\n  - id: a\n    name: A\n    domains: [co.uk, 'https://acme.com', acme, gmail.com, jane.github.io]\n";
        let text = err(bad, "");
        let lines: Vec<_> = text.lines().collect();
        assert_eq!(lines.len(), 5, "{text}");
        assert!(
            lines[0].starts_with("conf/app.yml:5:15: account `a`: `co.uk` is a public suffix"),
            "{text}"
        );
        assert!(lines[1].contains("is not a bare domain"), "{text}");
        assert!(
            lines[2].contains("`acme` is not a domain under a known public suffix"),
            "{text}"
        );
        assert!(lines[3].contains("free-mail provider"), "{text}");
        assert!(lines[4].contains("hosting platform"), "{text}");
        let unknown = "name: x\naccounts:\n  - {id: a, name: A}\npeople:\n  octocat: acme\n";
        assert_eq!(
            err(unknown, ""),
            "conf/app.yml:5:12: people: `octocat` names account `acme`, which is not among the accounts; use one of their ids or add the account"
        );
        let typo = "name: x\naccounts:\n  - id: a\n    name: A\n    domain: [a.com]\n";
        assert!(
            err(typo, "").starts_with("conf/app.yml:5:5: unknown field `domain`"),
            "{}",
            err(typo, "")
        );
    }

    #[test]
    fn crm_export_mistakes_point_at_their_line() {
        let yml = "name: x\naccounts:\n  - {id: acme, name: Acme, domains: [acme.com]}\naccounts_file: accounts.csv\n";
        let csv = "id,name,tier,domains,github_orgs,aliases\n\
            globex,Globex,,globex.com,,\n\
            ,Nameless,,,,\n\
            acme,Acme again,,,,\n\
            initech,Initech,,acme.com,,\n\
            hooli,Hooli,,hooli..com,,\n\
            umbrella,\"Umbrella, Inc.\",,umbrella.com,,\n";
        assert_eq!(
            err(yml, csv),
            "conf/accounts.csv:3: an account has an empty `id`; give it a short, stable identifier such as `acme`\n\
             conf/accounts.csv:4: account id `acme` is used twice (first at conf/app.yml:3:10); give each account its own id\n\
             conf/accounts.csv:5: domain `acme.com` is claimed by account `acme` (first at conf/app.yml:3:38) and by account `initech`; a domain can name only one account\n\
             conf/accounts.csv:6: account `hooli`: `hooli..com` is not a domain under a known public suffix; write a domain such as acme.com or acme.co.uk"
        );
        let ragged = "id,name,domains\nglobex,Globex,globex.com\nbroken,Broken\numbrella,Umbrella, Inc.,umbrella.com\n";
        assert_eq!(
            err(yml, ragged),
            "conf/accounts.csv:3: this row has 2 cells, the header 3; quote a cell that holds a comma, e.g. \"Acme, Inc.\"\n\
             conf/accounts.csv:4: this row has 4 cells, the header 3; quote a cell that holds a comma, e.g. \"Acme, Inc.\""
        );
        let header = err(yml, "id,name,domain\n");
        assert!(
            header.starts_with("conf/accounts.csv:1: unknown column `domain`"),
            "{header}"
        );
        let missing = err(yml.replace("accounts.csv", "nope.csv").as_str(), "");
        assert!(
            missing.starts_with(
                "conf/app.yml:4:16: cannot read accounts_file conf/nope.csv: No such file"
            ),
            "{missing}"
        );
        assert!(
            missing.contains("relative to the folder that holds app.yml"),
            "{missing}"
        );
    }
}
