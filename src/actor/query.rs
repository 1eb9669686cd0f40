//! The batched GraphQL lookup: one aliased `user(login:)` field per person,
//! with the profile, public organizations and membership in the organization
//! that installed the app, and the query's own cost in `rateLimit`.

use super::{Facts, Failure};
use crate::affiliation::Profile;
use crate::github::{Auth, GitHub, GitHubError};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use std::collections::HashMap;
use std::time::{Duration, UNIX_EPOCH};

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

/// One query for `logins` (as installation `installation`, whose account is
/// `installer`): the facts of each, keyed by the lowercased login, or why
/// not. What the answer says of the budget is fed to the client's plan.
pub async fn look_up(
    github: &GitHub,
    installation: u64,
    installer: &str,
    logins: &[String],
) -> HashMap<String, Result<Facts, Failure>> {
    let reply = github
        .graphql_reply::<serde_json::Map<String, serde_json::Value>>(
            Auth::Installation(installation),
            &text(logins.len()),
            variables(installer, logins),
        )
        .await;
    let mut out = HashMap::new();
    let reply = match reply {
        Ok(reply) => reply,
        Err(e) => {
            for login in logins {
                out.insert(login.to_ascii_lowercase(), Err(Failure::GitHub(e.clone())));
            }
            return out;
        }
    };
    let mut data = reply.data.unwrap_or_default();
    if let Some(cost) = data
        .remove("rateLimit")
        .and_then(|v| serde_json::from_value::<Cost>(v).ok())
        && let Ok(reset) = jiff::Timestamp::strptime("%Y-%m-%dT%H:%M:%S%#z", &cost.reset_at)
            .or_else(|_| cost.reset_at.parse::<jiff::Timestamp>())
    {
        let reset = UNIX_EPOCH + Duration::from_secs(reset.as_second().max(0) as u64);
        tracing::debug!(
            people = logins.len(),
            cost = cost.cost,
            remaining = cost.remaining,
            "looked people up in one query"
        );
        github.budget().observe(
            installation,
            "graphql",
            cost.limit.unwrap_or(5_000),
            cost.remaining,
            reset,
        );
    }
    for (i, login) in logins.iter().enumerate() {
        let alias = alias(i);
        let error = reply.errors.iter().find(|e| e.alias() == Some(&alias));
        let user = data
            .remove(&alias)
            .filter(|v| !v.is_null())
            .map(serde_json::from_value::<GqlUser>);
        let result = match (user, error) {
            (Some(Ok(user)), _) => Ok(Facts::from(user)),
            // GitHub knows no such user (deleted, or not a user at all).
            (None, None) => Ok(super::not_found(login)),
            (None, Some(e)) if e.is_not_found() => Ok(super::not_found(login)),
            (Some(Err(e)), _) => Err(Failure::GitHub(GitHubError::Decode {
                method: "POST".into(),
                path: "graphql".into(),
                reason: format!("{alias}: {e}"),
            })),
            (None, Some(e)) => Err(Failure::GitHub(GitHubError::Status {
                method: "POST".into(),
                path: "graphql".into(),
                status: 502,
                message: format!("GraphQL error for {login}: {}", e.message),
            })),
        };
        out.insert(login.to_ascii_lowercase(), result);
    }
    out
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
