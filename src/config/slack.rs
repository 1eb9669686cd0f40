//! `SLACK_SIGNING_SECRET`: the secrets Slack signs its interaction requests
//! (button clicks) with. Several may be set, comma-separated, while the
//! secret is being rotated. Never printed.

use secrecy::SecretString;
use std::fmt;

#[derive(Clone)]
pub struct SlackSigningSecrets {
    secrets: Vec<SecretString>,
}

impl SlackSigningSecrets {
    /// Splits a comma-separated list; `None` when it holds no secret at all.
    pub fn parse(list: impl AsRef<str>) -> Option<Self> {
        let secrets: Vec<SecretString> = list
            .as_ref()
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| SecretString::from(s.to_string()))
            .collect();
        (!secrets.is_empty()).then_some(Self { secrets })
    }

    pub fn secrets(&self) -> &[SecretString] {
        &self.secrets
    }
}

impl fmt::Debug for SlackSigningSecrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SlackSigningSecrets([{} redacted])", self.secrets.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    #[test]
    fn secrets_are_split_and_never_printed() {
        let s = SlackSigningSecrets::parse(" old-s3cret , new-s3cret ,").unwrap();
        let exposed: Vec<&str> = s.secrets().iter().map(|s| s.expose_secret()).collect();
        assert_eq!(exposed, ["old-s3cret", "new-s3cret"]);
        assert!(!format!("{s:?}").contains("s3cret"));
        assert!(SlackSigningSecrets::parse(" , ").is_none());
    }
}
