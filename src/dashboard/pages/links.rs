//! The addresses the pages link to: the dashboard's own, with the query that
//! keeps a person's filters, and GitHub's. Only `https://` and relative links
//! are ever emitted.

use crate::dashboard::model::Filter;
use crate::sighting::EventKind;

/// `?days=30&repository=acme%2Fwidgets&tier=enterprise&event=issues.opened`:
/// the query that keeps a period and filters from page to page. Absent
/// filters are left out.
pub fn query_string(
    days: u32,
    repository: Option<&str>,
    tier: Option<&str>,
    event: Option<EventKind>,
) -> String {
    let mut query = form_urlencoded::Serializer::for_suffix(String::from("?"), 1);
    query.append_pair("days", &days.to_string());
    if let Some(repository) = repository.filter(|r| !r.is_empty()) {
        query.append_pair("repository", repository);
    }
    if let Some(tier) = tier.filter(|t| !t.is_empty()) {
        query.append_pair("tier", tier);
    }
    if let Some(event) = event {
        query.append_pair("event", event.as_str());
    }
    query.finish()
}

/// [`query_string`] of a period and a [`Filter`].
pub fn filter_query(days: u32, filter: &Filter) -> String {
    query_string(
        days,
        filter.repository.as_deref(),
        filter.tier.as_deref(),
        filter.event,
    )
}

/// `/dashboard/accounts/{key}`, the key percent-encoded.
pub fn account_path(key: &str) -> String {
    format!("/dashboard/accounts/{}", path_segment(key))
}

/// `/dashboard/people/{login}/correct`, where a person's answer is posted.
pub fn answer_path(login: &str) -> String {
    format!("/dashboard/people/{}/correct", path_segment(login))
}

/// `https://github.com/{login}`.
pub fn github_profile(login: &str) -> String {
    format!("https://github.com/{}", path_segment(login))
}

/// `https://github.com/{owner}/{name}`.
pub fn github_repository(full_name: &str) -> String {
    let segments: Vec<String> = full_name.split('/').map(path_segment).collect();
    format!("https://github.com/{}", segments.join("/"))
}

/// The link itself if it is safe to follow: `https://...` or a path on this
/// site. Anything else (`javascript:`, `data:`, `//elsewhere`) is `None`.
pub fn safe_href(url: &str) -> Option<&str> {
    let https = url
        .get(..8)
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case("https://"));
    let local = url.starts_with('/') && !url.starts_with("//") && !url.starts_with("/\\");
    let clean = !url.chars().any(|c| c.is_control() || c.is_whitespace());
    ((https || local) && clean).then_some(url)
}

/// Percent-encodes everything but unreserved characters, `:` and `@`.
fn path_segment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b':' | b'@' => {
                out.push(char::from(byte))
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_keeps_filters_encoded() {
        assert_eq!(query_string(30, None, None, None), "?days=30");
        assert_eq!(
            query_string(
                7,
                Some("acme/widgets"),
                Some("big & small"),
                Some(EventKind::StarCreated)
            ),
            "?days=7&repository=acme%2Fwidgets&tier=big+%26+small&event=star.created"
        );
        assert_eq!(query_string(90, Some(""), Some(""), None), "?days=90");
    }

    #[test]
    fn paths_are_percent_encoded() {
        assert_eq!(account_path("org:acme"), "/dashboard/accounts/org:acme");
        assert_eq!(
            account_path("org:a/b?c d#\"<"),
            "/dashboard/accounts/org:a%2Fb%3Fc%20d%23%22%3C"
        );
        assert_eq!(
            github_repository("acme/wid gets"),
            "https://github.com/acme/wid%20gets"
        );
        assert_eq!(
            github_profile("octo/../x"),
            "https://github.com/octo%2F..%2Fx"
        );
    }

    #[test]
    fn only_https_and_local_links_are_safe() {
        assert_eq!(
            safe_href("https://github.com/a"),
            Some("https://github.com/a")
        );
        assert_eq!(
            safe_href("HTTPS://github.com/a"),
            Some("HTTPS://github.com/a")
        );
        assert_eq!(safe_href("/dashboard/login"), Some("/dashboard/login"));
        for hostile in [
            "javascript:alert(1)",
            " javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "data:text/html,<script>",
            "http://example.com",
            "//evil.example",
            "/\\evil.example",
            "https://a.example/\njavascript:",
            "",
        ] {
            assert_eq!(safe_href(hostile), None, "{hostile:?}");
        }
    }
}
