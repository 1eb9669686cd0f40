//! Where GitHub is: github.com, or a GitHub Enterprise Server, or (in tests) a
//! local fake. One `GITHUB_API_URL` gives the REST base, the GraphQL endpoint
//! and the web address the browser is sent to.

use std::fmt;

/// The API of one GitHub server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiUrl {
    /// `scheme://host[:port]`, no trailing slash.
    pub origin: String,
    /// The path REST routes hang under: empty for github.com, `/api/v3` for GHES.
    pub rest_prefix: String,
    /// The GraphQL endpoint's path: `/graphql`, or `/api/graphql` on GHES.
    pub graphql_path: String,
    /// The web address: `https://github.com`, or `https://HOST` on GHES.
    pub web: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "GITHUB_API_URL `{0}` is not an API address: use https://api.github.com (the default), https://HOST/api/v3 for GitHub Enterprise Server, or http://127.0.0.1:PORT for a local fake"
)]
pub struct ApiUrlError(String);

impl ApiUrl {
    pub fn parse(url: &str) -> Result<Self, ApiUrlError> {
        let err = || ApiUrlError(url.to_string());
        let trimmed = url.trim().trim_end_matches('/');
        let (scheme, rest) = trimmed.split_once("://").ok_or_else(err)?;
        if scheme != "https" && scheme != "http" {
            return Err(err());
        }
        let (host, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, ""),
        };
        if host.is_empty() || path.contains(['?', '#']) {
            return Err(err());
        }
        let origin = format!("{scheme}://{host}");
        let (graphql_path, web) = if host == "api.github.com" {
            ("/graphql".to_string(), "https://github.com".to_string())
        } else if let Some(base) = path.strip_suffix("/api/v3") {
            // GitHub Enterprise Server: REST under /api/v3, GraphQL at /api/graphql.
            (format!("{base}/api/graphql"), format!("{origin}{base}"))
        } else {
            (format!("{path}/graphql"), format!("{origin}{path}"))
        };
        Ok(Self {
            rest_prefix: path.to_string(),
            origin,
            graphql_path,
            web,
        })
    }

    /// The path (and query) to request for REST `route` (e.g. `/app`).
    pub fn rest(&self, route: &str) -> String {
        format!("{}{route}", self.rest_prefix)
    }

    /// Whether `url` points at this server, so a token may be sent there.
    pub fn same_origin(&self, url: &str) -> bool {
        url.strip_prefix(&self.origin)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    }
}

impl Default for ApiUrl {
    fn default() -> Self {
        Self::parse("https://api.github.com").unwrap_or_else(|_| unreachable!())
    }
}

impl fmt::Display for ApiUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.origin, self.rest_prefix)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_com() {
        let u = ApiUrl::parse("https://api.github.com/").unwrap();
        assert_eq!(u.origin, "https://api.github.com");
        assert_eq!(u.rest("/app"), "/app");
        assert_eq!(u.graphql_path, "/graphql");
        assert_eq!(u.web, "https://github.com");
    }

    #[test]
    fn enterprise_server_puts_graphql_beside_v3() {
        let u = ApiUrl::parse("https://ghe.example.com/api/v3").unwrap();
        assert_eq!(u.origin, "https://ghe.example.com");
        assert_eq!(u.rest("/repos/o/r"), "/api/v3/repos/o/r");
        assert_eq!(u.graphql_path, "/api/graphql");
        assert_eq!(u.web, "https://ghe.example.com");
        assert_eq!(u.to_string(), "https://ghe.example.com/api/v3");
    }

    #[test]
    fn a_local_fake_serves_everything_from_its_root() {
        let u = ApiUrl::parse("http://127.0.0.1:4010").unwrap();
        assert_eq!(u.rest("/app"), "/app");
        assert_eq!(u.graphql_path, "/graphql");
        assert_eq!(u.web, "http://127.0.0.1:4010");
        assert!(u.same_origin("http://127.0.0.1:4010/app?page=2"));
        assert!(!u.same_origin("http://127.0.0.1:40100/app"));
        assert!(!u.same_origin("https://evil.example/app"));
    }

    #[test]
    fn refuses_what_is_not_an_api_address() {
        for bad in ["api.github.com", "ftp://x", "https://", "https://h/api?x=1"] {
            assert!(ApiUrl::parse(bad).is_err(), "{bad}");
        }
    }
}
