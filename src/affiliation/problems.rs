//! Mistakes in the account data, each with the place it was written.

use std::fmt;
use std::path::PathBuf;

/// Where a value was written: `app.yml:12:9` or `accounts.csv:40`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Origin {
    pub file: PathBuf,
    pub line: u64,
    pub column: Option<u64>,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file.display(), self.line)?;
        if let Some(column) = self.column {
            write!(f, ":{column}")?;
        }
        Ok(())
    }
}

/// A value and where it was written, when that is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located<T> {
    pub value: T,
    pub at: Option<Origin>,
}

impl<T> Located<T> {
    pub fn new(value: T, at: Option<Origin>) -> Self {
        Self { value, at }
    }

    /// A value written nowhere in particular (built in code or a test).
    pub fn bare(value: T) -> Self {
        Self { value, at: None }
    }
}

/// One mistake.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub at: Option<Origin>,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.at {
            Some(at) => write!(f, "{at}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// Every mistake found in the accounts and people, in file order, so that
/// a CRM export with many can be fixed in one pass.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct AccountsError {
    pub problems: Vec<Problem>,
}

/// At most this many problems are printed; the count of the rest follows.
const SHOWN: usize = 20;

impl fmt::Display for AccountsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, problem) in self.problems.iter().take(SHOWN).enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{problem}")?;
        }
        if self.problems.len() > SHOWN {
            write!(
                f,
                "\n... and {} more problems like these",
                self.problems.len() - SHOWN
            )?;
        }
        Ok(())
    }
}

impl AccountsError {
    pub fn one(at: Option<Origin>, message: impl Into<String>) -> Self {
        Self {
            problems: vec![Problem {
                at,
                message: message.into(),
            }],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_print_with_their_place() {
        let at = |line, column| {
            Some(Origin {
                file: "accounts.csv".into(),
                line,
                column,
            })
        };
        let err = AccountsError {
            problems: vec![
                Problem {
                    at: at(3, None),
                    message: "empty id".into(),
                },
                Problem {
                    at: at(4, Some(9)),
                    message: "bad domain".into(),
                },
                Problem {
                    at: None,
                    message: "somewhere".into(),
                },
            ],
        };
        assert_eq!(
            err.to_string(),
            "accounts.csv:3: empty id\naccounts.csv:4:9: bad domain\nsomewhere"
        );
        let many = AccountsError {
            problems: vec![err.problems[0].clone(); 25],
        };
        assert!(
            many.to_string()
                .ends_with("... and 5 more problems like these")
        );
    }
}
