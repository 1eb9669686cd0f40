//! The GitHub App manifest, built from app.yml and the address GitHub reaches us at.

use crate::config::{AppFile, GitHubEnv, Permission};
use serde_json::{Value, json};

/// Why a manifest cannot be built yet.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "GitHub needs an address to send webhooks to: enter the https address this server is reachable at on the setup page, or set PUBLIC_URL to it (e.g. https://orgradar.fly.dev), or WEBHOOK_PROXY_URL to a relay channel (e.g. https://smee.io/...) while developing, and restart orgradar"
)]
pub struct NoWebhookUrl;

/// An address entered on the setup page that GitHub cannot use; the text says why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct BadPublicUrl(String);

/// Checks an address entered for `PUBLIC_URL`: `https://HOST[:PORT][/PATH]`,
/// or `http://` on this machine only. Returns it without a trailing slash.
pub fn public_url(text: &str) -> Result<String, BadPublicUrl> {
    let bad = |why: &str| Err(BadPublicUrl(format!("`{}`: {why}", text.trim())));
    let text = text.trim().trim_end_matches('/');
    let Some((scheme, rest)) = text.split_once("://") else {
        return bad("not an address; enter it with its scheme, e.g. https://orgradar.example.com");
    };
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    if rest.contains(['?', '#', '@']) || rest.chars().any(char::is_whitespace) {
        return bad(
            "an address takes no query, fragment, user name or spaces; enter e.g. https://orgradar.example.com",
        );
    }
    if authority.is_empty() || authority.parse::<http::uri::Authority>().is_err() {
        return bad(
            "the host is missing or not a host name; enter e.g. https://orgradar.example.com",
        );
    }
    match scheme.to_ascii_lowercase().as_str() {
        "https" => {}
        "http" if crate::net::is_local_host(authority) => {}
        "http" => {
            return bad(
                "GitHub sends webhooks to https addresses only (http is taken for this machine's own names, e.g. http://localhost:3000); enter the https address",
            );
        }
        _ => return bad("use an https:// address"),
    }
    Ok(format!(
        "{}://{authority}{path}",
        scheme.to_ascii_lowercase()
    ))
}

/// Where GitHub and the browser reach this server, as the manifest names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Addresses {
    /// Where GitHub posts webhooks: the relay channel, or the public address's webhook path.
    pub webhook: String,
    /// Where GitHub sends the browser back after registration (`/setup/callback`).
    pub redirect: String,
    /// Where GitHub sends people back after they sign in to the dashboard.
    pub public: String,
}

impl Addresses {
    /// From `WEBHOOK_PROXY_URL` and `PUBLIC_URL`, or from `entered` (an
    /// address entered on the setup page, checked by [`public_url`]).
    /// `browser` is where the browser reached this server; it gets the
    /// browser back when `PUBLIC_URL` is not set.
    pub fn new(
        env: &GitHubEnv,
        webhook_path: &str,
        browser: &str,
        entered: Option<&str>,
    ) -> Result<Self, NoWebhookUrl> {
        let public = env.public_url.as_deref().or(entered);
        let webhook = match (&env.webhook_proxy_url, public) {
            (Some(proxy), _) => proxy.clone(),
            (None, Some(base)) => format!("{base}{webhook_path}"),
            (None, None) => return Err(NoWebhookUrl),
        };
        Ok(Self {
            webhook,
            redirect: env.public_url.as_deref().unwrap_or(browser).to_string(),
            public: public.unwrap_or(browser).to_string(),
        })
    }
}

/// The manifest GitHub's "new app" page takes.
pub fn manifest(app: &AppFile, env: &GitHubEnv, at: &Addresses) -> Value {
    let permissions: serde_json::Map<String, Value> = app
        .default_permissions
        .iter()
        .map(|(name, level)| {
            let level = match level {
                Permission::Read => "read",
                Permission::Write => "write",
                Permission::Admin => "admin",
            };
            (name.clone(), json!(level))
        })
        .collect();
    let active = app.hook_attributes.as_ref().is_none_or(|h| h.active);
    let mut manifest = json!({
        "name": app.name.value,
        "url": app.url.clone().unwrap_or_else(|| env.api_url.web.clone()),
        "public": app.public,
        "default_events": app.default_events,
        "default_permissions": permissions,
        "hook_attributes": { "url": at.webhook, "active": active },
        "redirect_url": format!("{}/setup/callback", at.redirect),
    });
    let optional = [
        ("description", app.description.clone().map(Value::from)),
        // Where GitHub sends people back after they sign in to the dashboard.
        (
            "callback_urls",
            Some(app.callback_urls.clone().map_or_else(
                || json!([format!("{}/dashboard/callback", at.public)]),
                Value::from,
            )),
        ),
        ("setup_url", app.setup_url.clone().map(Value::from)),
        ("setup_on_update", app.setup_on_update.map(Value::from)),
        (
            "request_oauth_on_install",
            app.request_oauth_on_install.map(Value::from),
        ),
    ];
    for (key, value) in optional {
        if let Some(value) = value {
            manifest[key] = value;
        }
    }
    manifest
}

/// Where the browser posts the manifest: a personal account, or `GITHUB_ORG`.
pub fn new_app_url(env: &GitHubEnv, state: &str) -> String {
    match &env.org {
        Some(org) => format!(
            "{}/organizations/{org}/settings/apps/new?state={state}",
            env.api_url.web
        ),
        None => format!("{}/settings/apps/new?state={state}", env.api_url.web),
    }
}

/// What `orgradar check` warns about: events orgradar uses that the manifest
/// does not subscribe to or lacks the permission for, labels and issues it
/// cannot write, and events subscribed to that nothing uses.
pub fn warnings(app: &AppFile) -> Vec<String> {
    let has = |permission: &str, write: bool| {
        app.default_permissions
            .get(permission)
            .is_some_and(|level| !write || matches!(level, Permission::Write | Permission::Admin))
    };
    let mut out = Vec::new();
    for (event, permission) in crate::event::subscriptions() {
        if !app.default_events.iter().any(|e| e == event) {
            out.push(format!(
                "default_events lacks `{event}`: orgradar acts on it, but GitHub will not send it"
            ));
        } else if !has(permission, false) {
            out.push(format!("`{event}` events need the `{permission}` permission (read): add `{permission}: read` to default_permissions"));
        }
    }
    if !has("issues", true) {
        out.push(
            "labels and notification issues need `issues: write` in default_permissions".into(),
        );
    }
    for event in &app.default_events {
        if !crate::event::subscriptions().any(|(used, _)| used == event) {
            out.push(format!("default_events has `{event}`, which orgradar does not use: remove it to ask for no more than it needs"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn the_shipped_manifest_asks_for_exactly_what_is_used() {
        let app = AppFile::parse(include_str!("../../app.yml"), Path::new("app.yml")).unwrap();
        assert_eq!(warnings(&app), Vec::<String>::new());
    }

    #[test]
    fn missing_and_surplus_events_and_permissions_are_named() {
        let app = AppFile::parse(
            "name: x\ndefault_events: [issues, push]\ndefault_permissions: { issues: read }\n",
            Path::new("app.yml"),
        )
        .unwrap();
        let text = warnings(&app).join("\n");
        assert!(
            text.contains("default_events lacks `pull_request`"),
            "{text}"
        );
        assert!(text.contains("`issues: write`"), "{text}");
        assert!(
            text.contains("`push`, which orgradar does not use"),
            "{text}"
        );
    }

    #[test]
    fn entered_addresses_are_https_or_this_machine() {
        assert_eq!(
            public_url(" https://Orgradar.example.com/ ").unwrap(),
            "https://Orgradar.example.com"
        );
        assert_eq!(
            public_url("https://example.com:8443/orgradar").unwrap(),
            "https://example.com:8443/orgradar"
        );
        assert_eq!(
            public_url("http://localhost:3000").unwrap(),
            "http://localhost:3000"
        );
        assert!(public_url("http://[::1]:3000").is_ok());
        for bad in [
            "orgradar.example.com",
            "http://orgradar.example.com",
            "ftp://example.com",
            "https://",
            "https://user@example.com",
            "https://example.com/?x=1",
            "https://exa mple.com",
        ] {
            let err = public_url(bad).unwrap_err().to_string();
            assert!(err.contains("enter") || err.contains("use"), "{bad}: {err}");
        }
    }

    #[test]
    fn the_webhook_goes_to_the_relay_else_the_public_address() {
        let env = |pairs: &[(&str, &str)]| {
            let pairs: Vec<(String, String)> = pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            crate::config::Env::from_lookup(move |k| {
                pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone())
            })
            .unwrap()
            .github
        };
        let entered = Addresses::new(
            &env(&[]),
            "/hooks",
            "http://localhost:3000",
            Some("https://tunnel.example"),
        )
        .unwrap();
        assert_eq!(entered.webhook, "https://tunnel.example/hooks");
        assert_eq!(entered.redirect, "http://localhost:3000");
        assert_eq!(entered.public, "https://tunnel.example");
        let relay = Addresses::new(
            &env(&[("WEBHOOK_PROXY_URL", "https://smee.io/abc")]),
            "/hooks",
            "http://localhost:3000",
            None,
        )
        .unwrap();
        assert_eq!(relay.webhook, "https://smee.io/abc");
        assert_eq!(
            Addresses::new(&env(&[]), "/hooks", "http://localhost:3000", None),
            Err(NoWebhookUrl)
        );
    }

    #[test]
    fn enterprise_and_organization_registration_urls() {
        let env = crate::config::Env::from_lookup(|k| match k {
            "GITHUB_API_URL" => Some("https://ghe.example.com/api/v3".into()),
            "GITHUB_ORG" => Some("acme".into()),
            _ => None,
        })
        .unwrap();
        assert_eq!(
            new_app_url(&env.github, "s1"),
            "https://ghe.example.com/organizations/acme/settings/apps/new?state=s1"
        );
    }
}
