//! The person to classify, read from what GitHub answers:
//! `{"user": <GET /users/{login}>, "orgs": [<GET /users/{login}/orgs>], "commit_emails": [...]}`,
//! or the answer of `GET /users/{login}` alone.
//!
//! Email addresses are cut to their domain the moment they are read: no
//! full address is ever kept, printed or stored.

use serde::Deserialize;

/// What orgradar knows about a GitHub user.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(from = "Answer")]
pub struct Profile {
    pub login: String,
    /// `User`, `Bot` or `Organization`, as GitHub's `type`.
    pub kind: Option<String>,
    pub name: Option<String>,
    /// The free-text company field.
    pub company: Option<String>,
    /// The website field.
    pub blog: Option<String>,
    /// The free-text bio.
    pub bio: Option<String>,
    /// The domain of the public profile email.
    pub email_domain: Option<String>,
    /// Public organization memberships (logins).
    pub orgs: Vec<String>,
    /// Domains of the commit author emails of a pull request, each once.
    pub commit_email_domains: Vec<String>,
}

impl Profile {
    /// A profile with only a login.
    pub fn new(login: impl Into<String>) -> Self {
        Self {
            login: login.into(),
            ..Self::default()
        }
    }

    /// Reads the JSON shapes above: the wrapped one (an object with `user`),
    /// or GitHub's answer for the user alone (an object with `login`).
    pub fn from_json(text: &str) -> Result<Self, serde_json::Error> {
        let value: serde_json::Value = serde_json::from_str(text)?;
        if !value.is_object() {
            return Err(serde::de::Error::custom(
                "a profile is a JSON object, as GitHub answers GET /users/LOGIN",
            ));
        }
        if value.get("user").is_some() {
            return serde_json::from_value::<Answer>(value).map(Profile::from);
        }
        serde_json::from_value::<User>(value).map(|user| {
            Profile::from(Answer {
                user,
                orgs: None,
                commit_emails: None,
            })
        })
    }

    /// Sets the profile email; only its domain is kept.
    pub fn set_email(&mut self, address: &str) {
        self.email_domain = email_domain(address);
    }

    /// Adds a commit author email; only its domain is kept.
    pub fn add_commit_email(&mut self, address: &str) {
        if let Some(domain) = email_domain(address)
            && !self.commit_email_domains.contains(&domain)
        {
            self.commit_email_domains.push(domain);
        }
    }
}

/// The lowercased domain of an email address, whatever it is; `None` when
/// there is no `@`.
fn email_domain(address: &str) -> Option<String> {
    let (_, domain) = address.trim().rsplit_once('@')?;
    let domain = domain.trim().trim_end_matches('>').to_ascii_lowercase();
    (!domain.is_empty()).then_some(domain)
}

/// The JSON as GitHub answers it; everything not listed here is skipped.
#[derive(Deserialize)]
struct Answer {
    user: User,
    #[serde(default)]
    orgs: Option<Vec<Org>>,
    #[serde(default)]
    commit_emails: Option<Vec<String>>,
}

#[derive(Deserialize)]
struct User {
    login: String,
    #[serde(rename = "type", default)]
    kind: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    company: Option<String>,
    #[serde(default)]
    blog: Option<String>,
    #[serde(default)]
    bio: Option<String>,
    #[serde(default)]
    email: Option<String>,
}

/// An item of `GET /users/{login}/orgs`, or just its login.
#[derive(Deserialize)]
#[serde(untagged)]
enum Org {
    Item { login: String },
    Login(String),
}

impl From<Answer> for Profile {
    fn from(a: Answer) -> Self {
        let blank = |s: Option<String>| s.filter(|s| !s.trim().is_empty());
        let mut profile = Profile {
            login: a.user.login,
            kind: a.user.kind,
            name: blank(a.user.name),
            company: blank(a.user.company),
            blog: blank(a.user.blog),
            bio: blank(a.user.bio),
            email_domain: a.user.email.as_deref().and_then(email_domain),
            orgs: a
                .orgs
                .unwrap_or_default()
                .into_iter()
                .map(|o| match o {
                    Org::Item { login } | Org::Login(login) => login,
                })
                .collect(),
            commit_email_domains: Vec::new(),
        };
        for address in a.commit_emails.unwrap_or_default() {
            profile.add_commit_email(&address);
        }
        profile
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_github_answers_and_keeps_only_email_domains() {
        let p = Profile::from_json(
            r#"{"user": {"login": "jane", "id": 1, "type": "User", "name": "Jane Doe",
                         "company": "@acme", "blog": "", "email": "Jane.Doe@Mail.Acme.com",
                         "bio": "Platform engineer at Acme", "public_repos": 3},
                "orgs": [{"login": "acme", "id": 9}, "acme-labs"],
                "commit_emails": ["jane@acme.com", "JANE@ACME.COM", "1+jane@users.noreply.github.com"]}"#,
        )
        .unwrap();
        assert_eq!(p.login, "jane");
        assert_eq!(p.company.as_deref(), Some("@acme"));
        assert_eq!(p.blog, None);
        assert_eq!(p.bio.as_deref(), Some("Platform engineer at Acme"));
        assert_eq!(p.email_domain.as_deref(), Some("mail.acme.com"));
        assert_eq!(p.orgs, ["acme", "acme-labs"]);
        assert_eq!(
            p.commit_email_domains,
            ["acme.com", "users.noreply.github.com"]
        );
        let stored = format!("{p:?}");
        assert!(!stored.to_lowercase().contains("jane.doe@"), "{stored}");
        assert!(!stored.contains("jane@"), "{stored}");
    }

    #[test]
    fn orgs_and_commit_emails_are_optional() {
        let p = Profile::from_json(r#"{"user": {"login": "bob", "email": null}}"#).unwrap();
        assert!(p.orgs.is_empty() && p.commit_email_domains.is_empty());
        assert_eq!(p.email_domain, None);
    }

    #[test]
    fn reads_the_answer_of_get_users_alone() {
        let p = Profile::from_json(
            r#"{"login": "jane", "id": 1, "type": "User", "company": "Acme Inc.",
                "email": "jane@acme.com", "blog": "https://acme.com", "public_repos": 3}"#,
        )
        .unwrap();
        assert_eq!(p.login, "jane");
        assert_eq!(p.company.as_deref(), Some("Acme Inc."));
        assert_eq!(p.email_domain.as_deref(), Some("acme.com"));
        assert!(p.orgs.is_empty());
        // Neither shape: no login, or not an object.
        assert!(Profile::from_json(r#"{"name": "Jane"}"#).is_err());
        assert!(Profile::from_json(r#"["jane"]"#).is_err());
        assert!(Profile::from_json(r#"{"user": {"name": "Jane"}}"#).is_err());
    }
}
