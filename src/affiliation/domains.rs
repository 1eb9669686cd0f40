//! Domains: the registrable domain of a host by the public suffix list
//! (`mail.acme.co.uk` → `acme.co.uk`; `co.uk` alone is nothing), hosts taken
//! from email addresses and URLs, free-mail providers and personal-page hosts.

use super::lists::{FREE_MAIL, FREE_MAIL_BRANDS, PERSONAL_HOSTS};
use foldhash::HashSet;
use std::sync::LazyLock;

/// A host name, lowercased, with the parts the public suffix list gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Host {
    /// The whole host, e.g. `eng.mail.acme.co.uk`.
    pub name: String,
    /// Where `registrable` starts in `name`.
    registrable_at: usize,
    /// Under a suffix from the list's private section (`github.io`,
    /// `netlify.app`, ...): a page on a hosting platform.
    pub hosted: bool,
}

impl Host {
    /// Reads a bare host name. `None` for what is no host under a known
    /// public suffix (`co.uk`, `localhost`, `laptop.local`, `not a host`).
    /// A name written in Unicode (`müller.de`, `例え.jp`) is read in its
    /// punycode form (`xn--mller-kva.de`), the form accounts are kept in.
    pub fn parse(text: &str) -> Option<Host> {
        let text = text.trim();
        let ascii;
        let text = if text.is_ascii() {
            text
        } else {
            ascii = idna::domain_to_ascii(text).ok()?;
            ascii.as_str()
        };
        let mut name = text.trim_end_matches('.').to_ascii_lowercase();
        if name.starts_with("www.") {
            name.drain(..4);
        }
        let labels_ok = name.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        });
        if !labels_ok || name.len() > 253 {
            return None;
        }
        let domain = psl::domain(name.as_bytes())?;
        let suffix = domain.suffix();
        if !suffix.is_known() {
            return None;
        }
        let hosted = suffix.typ() == Some(psl::Type::Private);
        let registrable_at = name.len() - domain.as_bytes().len();
        Some(Host {
            name,
            registrable_at,
            hosted,
        })
    }

    /// The host of an email address; only the domain is ever kept.
    pub fn of_email(address: &str) -> Option<Host> {
        let (_, domain) = address.trim().rsplit_once('@')?;
        Host::parse(domain.trim_end_matches('>'))
    }

    /// The host of a URL or of a bare `host/path` as people write it in a
    /// profile (`https://www.acme.com/blog`, `acme.com`, `http://acme.com:8080`).
    pub fn of_url(url: &str) -> Option<Host> {
        let url = url.trim();
        let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        let host = authority.rsplit('@').next().unwrap_or_default();
        let host = host.split(':').next().unwrap_or_default();
        Host::parse(host)
    }

    /// The registrable domain: `acme.co.uk` for `mail.acme.co.uk`.
    pub fn registrable(&self) -> &str {
        &self.name[self.registrable_at..]
    }

    /// The registrable domain's own label: `acme` for `mail.acme.co.uk`.
    pub fn label(&self) -> &str {
        let registrable = self.registrable();
        registrable.split('.').next().unwrap_or(registrable)
    }

    /// The registrable domain's own label as people write it: `müller` for
    /// `xn--mller-kva.de`.
    pub fn unicode_label(&self) -> String {
        let label = self.label();
        if label.starts_with("xn--") {
            idna::domain_to_unicode(label).0
        } else {
            label.to_string()
        }
    }

    /// This host and each parent down to the registrable domain, most
    /// specific first: `a.b.acme.com`, `b.acme.com`, `acme.com`.
    pub fn lookup_keys(&self) -> impl Iterator<Item = &str> {
        let mut next = Some(self.name.as_str());
        let stop = self.registrable().len();
        std::iter::from_fn(move || {
            let current = next?;
            next = match current.split_once('.') {
                Some((_, parent)) if parent.len() >= stop => Some(parent),
                _ => None,
            };
            Some(current)
        })
    }

    /// A free-mail provider (or GitHub's no-reply addresses): anyone can have
    /// an address there, so it never names an organization.
    pub fn is_free_mail(&self) -> bool {
        static SET: LazyLock<HashSet<&'static str>> =
            LazyLock::new(|| FREE_MAIL.split_whitespace().collect());
        SET.contains(self.registrable())
            || SET.contains(self.name.as_str())
            || FREE_MAIL_BRANDS.contains(&self.label())
            || self.name.ends_with("noreply.github.com")
            || self.name.ends_with("noreply.gitlab.com")
    }

    /// A host where people keep personal pages and profiles (`*.github.io`,
    /// `medium.com`, `linkedin.com`, ...): no employer.
    pub fn is_personal_page(&self) -> bool {
        static SET: LazyLock<HashSet<&'static str>> =
            LazyLock::new(|| PERSONAL_HOSTS.split_whitespace().collect());
        self.hosted || SET.contains(self.registrable()) || SET.contains(self.name.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host(text: &str) -> Host {
        Host::parse(text).unwrap_or_else(|| panic!("{text} is a host"))
    }

    #[test]
    fn registrable_domain_follows_the_public_suffix_list() {
        assert_eq!(host("mail.acme.co.uk").registrable(), "acme.co.uk");
        assert_eq!(host("MAIL.Acme.COM.").registrable(), "acme.com");
        assert_eq!(host("www.acme.com").name, "acme.com");
        assert_eq!(host("a.b.acme.com.au").registrable(), "acme.com.au");
        assert_eq!(host("eng.acme.co.jp").label(), "acme");
        for nothing in [
            "co.uk",
            "com",
            "localhost",
            "laptop.local",
            "x.internal",
            "",
            "a..b",
        ] {
            assert!(Host::parse(nothing).is_none(), "{nothing}");
        }
    }

    #[test]
    fn internationalized_domains_in_unicode_or_punycode_are_one() {
        assert_eq!(host("müller.de").name, "xn--mller-kva.de");
        assert_eq!(host("MÜLLER.de"), host("xn--mller-kva.de"));
        assert_eq!(host("xn--mller-kva.de").unicode_label(), "müller");
        assert_eq!(
            Host::of_email("jo@bücher.example.com")
                .unwrap()
                .registrable(),
            "example.com"
        );
    }

    #[test]
    fn lookup_keys_walk_up_to_the_registrable_domain_only() {
        let keys =
            |name: &str| -> Vec<String> { host(name).lookup_keys().map(str::to_string).collect() };
        assert_eq!(
            keys("a.b.acme.co.uk"),
            ["a.b.acme.co.uk", "b.acme.co.uk", "acme.co.uk"]
        );
        assert_eq!(
            keys("acme.com.evil.io"),
            ["acme.com.evil.io", "com.evil.io", "evil.io"]
        );
        assert_eq!(keys("acme.com"), ["acme.com"]);
    }

    #[test]
    fn hosts_come_from_addresses_and_urls() {
        assert_eq!(
            Host::of_email("Jane <jane@Eng.Acme.com>").unwrap().name,
            "eng.acme.com"
        );
        assert!(Host::of_email("no-at-sign").is_none());
        assert_eq!(
            Host::of_url("https://www.acme.com/blog?x=1").unwrap().name,
            "acme.com"
        );
        assert_eq!(Host::of_url("acme.io/team").unwrap().name, "acme.io");
        assert_eq!(
            Host::of_url("http://user@acme.dev:8080/").unwrap().name,
            "acme.dev"
        );
        assert!(Host::of_url("https://").is_none());
    }

    #[test]
    fn free_mail_never_names_an_organization() {
        for free in [
            "gmail.com",
            "googlemail.com",
            "yahoo.co.uk",
            "hotmail.fr",
            "outlook.com",
            "proton.me",
            "pm.me",
            "web.de",
            "qq.com",
            "163.com",
            "mail.ru",
            "hey.com",
            "12345+jane@users.noreply.github.com",
        ] {
            let h = Host::of_email(free).or_else(|| Host::parse(free)).unwrap();
            assert!(h.is_free_mail(), "{free}");
        }
        assert!(!host("acme.com").is_free_mail());
        assert!(!host("github.com").is_free_mail());
        let count = FREE_MAIL.split_whitespace().count();
        assert!(count >= 200, "{count}");
    }

    #[test]
    fn personal_page_hosts_are_no_employer() {
        for page in [
            "jane.github.io",
            "jane.gitlab.io",
            "jane.netlify.app",
            "jane.vercel.app",
            "medium.com",
            "jane.substack.com",
            "linkedin.com",
            "twitter.com",
            "x.com",
            "sites.google.com",
        ] {
            assert!(host(page).is_personal_page(), "{page}");
        }
        assert!(!host("acme.com").is_personal_page());
        assert!(!host("google.com").is_personal_page());
    }
}
