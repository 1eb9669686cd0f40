//! Pages inside a company's product, told by the shape of their URL: a
//! storefront (`shop.acme.com`, `acme.com/shop/jane`), a community or forum
//! profile (`community.acme.com/u/jane`), a shared file or document
//! (`drive.google.com/file/…`, `acme.com/s/…`), an app subdomain
//! (`app.acme.com`, `jane.slack.com`), a marketplace listing
//! (`marketplace.acme.com/…`, `acme.com/apps/…`). Anyone can have one, so
//! such a URL names no employer even on an account's own domain.
//!
//! A pattern is `HOST[/PATH]`. HOST is `*` (any host), `LABEL.*` (a host
//! with that subdomain label: `community.*`), `*.DOMAIN` (any host under
//! DOMAIN, not DOMAIN itself) or `DOMAIN` (that host and any under it).
//! PATH is segments matched from the start of the URL's path: a literal
//! (any case), `*` (any one segment), `PREFIX*` (a segment starting so:
//! `@*`, `~*`). The built-in patterns are in `lists.rs`; app.yml adds more
//! under `affiliation.hosted_pages`.

use super::domains::Host;
use foldhash::HashMap;
use std::borrow::Cow;
use std::sync::LazyLock;

#[derive(Debug, Clone, PartialEq, Eq)]
enum HostPattern {
    Any,
    Label(String),
    Under(String),
    Domain(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Any,
    Prefix(String),
    Literal(String),
}

/// One `HOST[/PATH]` pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostedPattern {
    text: String,
    host: HostPattern,
    path: Vec<Segment>,
}

impl HostedPattern {
    /// Reads a pattern; the error says what is wrong and how to write it.
    pub fn parse(text: &str) -> Result<Self, String> {
        let trimmed = text.trim();
        let bad = |why: &str| {
            format!(
                "`{trimmed}` is not a page pattern: {why}; write HOST[/PATH], e.g. community.acme.com, *.acme.app, app.* or acme.com/u/*"
            )
        };
        if trimmed.is_empty() || trimmed.contains("://") || trimmed.contains(char::is_whitespace) {
            return Err(bad("no scheme, spaces or empty patterns"));
        }
        let (host, path) = trimmed.split_once('/').unwrap_or((trimmed, ""));
        let host = host.to_ascii_lowercase();
        let host = if host == "*" {
            HostPattern::Any
        } else if let Some(label) = host.strip_suffix(".*") {
            if label.is_empty() || label.contains(['.', '*']) {
                return Err(bad("`LABEL.*` takes one label"));
            }
            HostPattern::Label(label.to_string())
        } else if let Some(domain) = host.strip_prefix("*.") {
            let parsed = Host::parse(domain).ok_or_else(|| bad("the host is no domain"))?;
            HostPattern::Under(parsed.name)
        } else {
            let parsed = Host::parse(&host).ok_or_else(|| bad("the host is no domain"))?;
            HostPattern::Domain(parsed.name)
        };
        let mut segments = Vec::new();
        for seg in path.split('/').filter(|s| !s.is_empty()) {
            let seg = seg.to_lowercase();
            segments.push(match seg.strip_suffix('*') {
                Some("") => Segment::Any,
                Some(prefix) if !prefix.contains('*') => Segment::Prefix(prefix.to_string()),
                None if !seg.contains('*') => Segment::Literal(seg),
                _ => return Err(bad("`*` stands for a whole segment or ends one")),
            });
        }
        if host == HostPattern::Any && segments.is_empty() {
            return Err(bad("`*` alone would match every page"));
        }
        Ok(Self {
            text: trimmed.to_string(),
            host,
            path: segments,
        })
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    fn matches(&self, host: &Host, path: &[&str]) -> bool {
        let host_ok = match &self.host {
            HostPattern::Any => true,
            HostPattern::Label(label) => {
                let sub = &host.name[..host.name.len() - host.registrable().len()];
                sub.split('.').any(|l| l == label)
            }
            HostPattern::Under(domain) => host
                .name
                .strip_suffix(domain.as_str())
                .is_some_and(|rest| rest.ends_with('.')),
            HostPattern::Domain(domain) => {
                host.name == *domain
                    || host
                        .name
                        .strip_suffix(domain.as_str())
                        .is_some_and(|rest| rest.ends_with('.'))
            }
        };
        host_ok
            && path.len() >= self.path.len()
            && self.path.iter().zip(path).all(|(pat, seg)| match pat {
                Segment::Any => !seg.is_empty(),
                Segment::Prefix(p) => seg.len() > p.len() && starts_with_ignore_case(seg, p),
                Segment::Literal(l) => seg.eq_ignore_ascii_case(l),
            })
    }
}

fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
}

/// Patterns indexed by what a URL is looked up with: a subdomain label,
/// a domain, or (for any host) the first path segment.
#[derive(Debug, Clone, Default)]
struct Index {
    patterns: Vec<HostedPattern>,
    by_label: HashMap<String, Vec<usize>>,
    by_domain: HashMap<String, Vec<usize>>,
    by_segment: HashMap<String, Vec<usize>>,
    /// Any host, first segment `*` or `PREFIX*`.
    rest: Vec<usize>,
}

impl Index {
    fn new(patterns: Vec<HostedPattern>) -> Self {
        let mut index = Index::default();
        for (i, p) in patterns.iter().enumerate() {
            match (&p.host, p.path.first()) {
                (HostPattern::Label(label), _) => {
                    index.by_label.entry(label.clone()).or_default().push(i)
                }
                (HostPattern::Under(d) | HostPattern::Domain(d), _) => {
                    index.by_domain.entry(d.clone()).or_default().push(i)
                }
                (HostPattern::Any, Some(Segment::Literal(seg))) => {
                    index.by_segment.entry(seg.clone()).or_default().push(i)
                }
                (HostPattern::Any, _) => index.rest.push(i),
            }
        }
        index.patterns = patterns;
        index
    }

    /// The first pattern (in the order written) the URL matches.
    fn matching(&self, host: &Host, path: &[&str]) -> Option<&HostedPattern> {
        let sub = &host.name[..host.name.len() - host.registrable().len()];
        let labels = sub.split('.').filter(|l| !l.is_empty());
        // (Lowercased only when it has capitals: this runs for every URL.)
        let first = path.first().map(|s| {
            if s.bytes().any(|b| b.is_ascii_uppercase()) {
                Cow::Owned(s.to_ascii_lowercase())
            } else {
                Cow::Borrowed(*s)
            }
        });
        let candidates = labels
            .filter_map(|l| self.by_label.get(l))
            .chain(host.lookup_keys().filter_map(|k| self.by_domain.get(k)))
            .chain(first.as_deref().and_then(|f| self.by_segment.get(f)))
            .flatten()
            .chain(&self.rest);
        candidates
            .copied()
            .filter(|&i| self.patterns[i].matches(host, path))
            .min()
            .map(|i| &self.patterns[i])
    }
}

/// The built-in patterns and those app.yml adds.
#[derive(Debug, Clone, Default)]
pub struct HostedPages {
    extra: Index,
}

static BUILT_IN: LazyLock<Index> = LazyLock::new(|| {
    Index::new(
        super::lists::HOSTED_PAGES
            .split_whitespace()
            .filter_map(|p| HostedPattern::parse(p).ok())
            .collect(),
    )
});

impl HostedPages {
    pub fn new(extra: Vec<HostedPattern>) -> Self {
        Self {
            extra: Index::new(extra),
        }
    }

    /// The pattern a URL (as written in a profile) matches, if any.
    pub fn matching(&self, url: &str, host: &Host) -> Option<&str> {
        let path = path_segments(url);
        BUILT_IN
            .matching(host, &path)
            .or_else(|| self.extra.matching(host, &path))
            .map(HostedPattern::as_str)
    }
}

/// The path of a URL as segments, without query and fragment.
fn path_segments(url: &str) -> Vec<&str> {
    let url = url.trim();
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let rest = rest.split(['?', '#']).next().unwrap_or_default();
    let mut segments: Vec<&str> = match rest.split_once('/') {
        Some((_, path)) => path.split('/').filter(|s| !s.is_empty()).collect(),
        None => Vec::new(),
    };
    // A locale first ("/en-us/users/jane", "/de/shop/…") is no part of the shape.
    if segments.first().is_some_and(|s| locale(s)) {
        segments.remove(0);
    }
    segments
}

/// `en`, `de`, `en-us`, `pt_BR`: a language, with an optional region.
fn locale(segment: &str) -> bool {
    let (lang, region) = segment.split_once(['-', '_']).unwrap_or((segment, "ab"));
    lang.len() == 2
        && (2..=4).contains(&region.len())
        && lang.bytes().all(|b| b.is_ascii_lowercase())
        && region.bytes().all(|b| b.is_ascii_alphabetic())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hosted(url: &str) -> Option<String> {
        let host = Host::of_url(url).unwrap();
        HostedPages::default()
            .matching(url, &host)
            .map(str::to_string)
    }

    #[test]
    fn every_built_in_pattern_reads() {
        let bad: Vec<_> = super::super::lists::HOSTED_PAGES
            .split_whitespace()
            .filter(|p| HostedPattern::parse(p).is_err())
            .collect();
        assert!(bad.is_empty(), "{bad:?}");
    }

    #[test]
    fn pages_inside_a_product_by_their_shape() {
        for url in [
            "https://community.acme.com/u/jane",
            "https://acme.com/shop/jane-crafts",
            "https://shop.acme.com",
            "https://drive.google.com/file/d/1abc/view",
            "https://www.dropbox.com/s/abc/cv.pdf",
            "https://app.acme.com/team/jane",
            "https://jane.slack.com",
            "https://marketplace.acme.com/listing/42",
            "https://acme.com/@jane",
            "https://acme.com/apps/jane-tool",
            "https://forums.acme.com/members/jane.123/",
            "https://learn.acme.com/en-us/users/jane/",
        ] {
            assert!(hosted(url).is_some(), "{url}");
        }
        for url in [
            "https://acme.com",
            "https://acme.com/team/jane",
            "https://blog.acme.com/2021/01/hello",
            "https://eng.acme.co.uk",
            "https://acme.com/about",
        ] {
            assert_eq!(hosted(url), None, "{url}");
        }
    }

    #[test]
    fn patterns_from_app_yml() {
        let pages = HostedPages::new(vec![
            HostedPattern::parse("acme.com/sellers/*").unwrap(),
            HostedPattern::parse("*.acme.app").unwrap(),
        ]);
        let m = |url: &str| pages.matching(url, &Host::of_url(url).unwrap()).is_some();
        assert!(m("https://acme.com/sellers/jane"));
        assert!(m("https://jane.acme.app"));
        assert!(!m("https://acme.app"));
        assert!(!m("https://acme.com/sellers"));
        for bad in [
            "",
            "https://acme.com",
            "*",
            "acme com",
            "a*b.com",
            "acme.com/x*y",
            "foo.*.*",
        ] {
            assert!(HostedPattern::parse(bad).is_err(), "{bad}");
        }
    }
}
