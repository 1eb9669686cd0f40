//! The batched GraphQL lookup: one aliased `user(login:)` field per person,
//! with the profile, public organizations and membership in the organization
//! that installed the app, and the query's own cost in `rateLimit`.

use super::Facts;
use crate::affiliation::Profile;
use serde::Deserialize;
use serde_json::{Map, Value, json};

/// The fields read about each person.
const FIELDS: &str = "login name company websiteUrl email bio __typename \
                      organizations(first: 100) { nodes { login } } \
                      organization(login: $org) { login }";

/// The query for `count` people: aliases `u0`, `u1`, … with variables `$l0`, `$l1`, ….
pub fn text(count: usize) -> String {
    let mut params = String::from("$org: String!");
    let mut fields = String::new();
    for i in 0..count {
        params.push_str(&format!(", $l{i}: String!"));
        fields.push_str(&format!(" u{i}: user(login: $l{i}) {{ ...person }}"));
    }
    format!(
        "query({params}) {{ rateLimit {{ cost remaining resetAt limit }}{fields} }} \
         fragment person on User {{ {FIELDS} }}"
    )
}

/// The variables for `logins`, in alias order.
pub fn variables(installer: &str, logins: &[String]) -> Value {
    let mut vars = Map::new();
    vars.insert("org".into(), json!(installer));
    for (i, login) in logins.iter().enumerate() {
        vars.insert(format!("l{i}"), json!(login));
    }
    Value::Object(vars)
}

/// The alias of the person at `index`.
pub fn alias(index: usize) -> String {
    format!("u{index}")
}

/// `rateLimit { cost remaining resetAt limit }`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Cost {
    #[serde(default)]
    pub cost: u64,
    pub remaining: u64,
    #[serde(default)]
    pub limit: Option<u64>,
    pub reset_at: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GqlUser {
    login: String,
    #[serde(default)]
    name: Option<String>,
    company: Option<String>,
    website_url: Option<String>,
    email: Option<String>,
    #[serde(default)]
    bio: Option<String>,
    #[serde(rename = "__typename")]
    typename: Option<String>,
    organizations: Option<Nodes>,
    organization: Option<Login>,
}

#[derive(Deserialize)]
struct Nodes {
    nodes: Vec<Option<Login>>,
}

#[derive(Deserialize)]
struct Login {
    login: String,
}

fn text_field(value: Option<String>) -> Option<String> {
    value.filter(|v| !v.trim().is_empty())
}

impl From<GqlUser> for Facts {
    fn from(user: GqlUser) -> Facts {
        let mut profile = Profile::new(user.login.clone());
        if let Some(email) = user.email.as_deref().filter(|e| !e.is_empty()) {
            profile.set_email(email);
        }
        Facts {
            login: user.login,
            kind: user.typename,
            name: text_field(user.name),
            company: text_field(user.company),
            blog: text_field(user.website_url),
            bio: text_field(user.bio),
            email_domain: profile.email_domain,
            orgs: user
                .organizations
                .map(|n| n.nodes.into_iter().flatten().map(|o| o.login).collect())
                .unwrap_or_default(),
            member_of_installer: user.organization.is_some(),
            found: true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_aliased_field_and_one_variable_per_person() {
        let q = text(2);
        assert!(q.starts_with("query($org: String!, $l0: String!, $l1: String!)"));
        assert!(q.contains("u0: user(login: $l0) { ...person }"));
        assert!(q.contains("u1: user(login: $l1) { ...person }"));
        assert!(q.contains("rateLimit { cost remaining resetAt limit }"));
        let vars = variables("acme", &["ann".into(), "ben".into()]);
        assert_eq!(vars, json!({ "org": "acme", "l0": "ann", "l1": "ben" }));
    }
}
