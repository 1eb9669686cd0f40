//! The `affiliation:` section of app.yml: how long what GitHub said about a
//! person is reused, and more hosted-page patterns.

use super::{ConfigError, Duration};
use crate::affiliation::HostedPattern;
use serde::Deserialize;
use serde_saphyr::Spanned;
use std::path::Path;

/// How people are looked up.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AffiliationSettings {
    /// How long what GitHub said about a person is reused before asking again.
    #[serde(default = "default_actor_cache")]
    pub cache: Duration,
    /// More pages inside a product, as `HOST[/PATH]` patterns
    /// (`community.acme.com`, `*.acme.app`, `acme.com/u/*`): a website or
    /// company URL matching one names no employer.
    #[serde(default)]
    pub hosted_pages: Vec<Spanned<String>>,
}

impl Default for AffiliationSettings {
    fn default() -> Self {
        Self {
            cache: default_actor_cache(),
            hosted_pages: Vec::new(),
        }
    }
}

fn default_actor_cache() -> Duration {
    Duration::from_secs(7 * 24 * 3600)
}

impl AffiliationSettings {
    /// `hosted_pages`, read; a bad pattern is reported at its place in `path`.
    pub fn hosted_pages(&self, path: &Path) -> Result<Vec<HostedPattern>, ConfigError> {
        self.hosted_pages
            .iter()
            .map(|p| {
                HostedPattern::parse(&p.value).map_err(|why| ConfigError::Invalid {
                    path: path.to_path_buf(),
                    line: p.referenced.line(),
                    column: p.referenced.column(),
                    message: format!("affiliation.hosted_pages: {why}"),
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use crate::config::{AppFile, ConfigError};
    use std::path::Path;

    fn parse(text: &str) -> Result<AppFile, ConfigError> {
        AppFile::parse(text, Path::new("app.yml"))
    }

    #[test]
    fn hosted_pages_are_checked_where_they_are_written() {
        let app = parse(
            "name: x\naffiliation:\n  hosted_pages: [community.acme.com, \"acme.com/u/*\"]\n",
        )
        .unwrap();
        assert_eq!(
            app.affiliation
                .hosted_pages(Path::new("app.yml"))
                .unwrap()
                .len(),
            2
        );
        let err = parse("name: x\naffiliation:\n  hosted_pages:\n    - \"https://acme.com\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with(
                "app.yml:4:7: affiliation.hosted_pages: `https://acme.com` is not a page pattern"
            ),
            "{err}"
        );
        assert!(err.contains("e.g. community.acme.com"), "{err}");
        let err = parse("name: x\naffiliation:\n  hosted_page: [acme.com]\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("app.yml:3:3: unknown field `hosted_page`"),
            "{err}"
        );
    }
}
