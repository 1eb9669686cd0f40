//! The GitHub App manifest, built from app.yml and the address GitHub reaches us at.

use crate::config::{AppFile, GitHubEnv, Permission};
use serde_json::{Value, json};

/// Why a manifest cannot be built yet.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "GitHub needs an address to send webhooks to: set PUBLIC_URL to the https address this server is reachable at (e.g. https://orgradar.fly.dev), or WEBHOOK_PROXY_URL to a relay channel (e.g. https://smee.io/...) while developing, then reload this page"
)]
pub struct NoWebhookUrl;

/// The webhook URL written into the manifest.
pub fn webhook_url(env: &GitHubEnv, webhook_path: &str) -> Result<String, NoWebhookUrl> {
    if let Some(proxy) = &env.webhook_proxy_url {
        return Ok(proxy.clone());
    }
    env.public_url
        .as_ref()
        .map(|base| format!("{base}{webhook_path}"))
        .ok_or(NoWebhookUrl)
}

/// The manifest GitHub's "new app" page takes. `base` is where the browser
/// reaches this server (for the redirect after registration).
pub fn manifest(
    app: &AppFile,
    env: &GitHubEnv,
    webhook_path: &str,
    base: &str,
) -> Result<Value, NoWebhookUrl> {
    let hook = webhook_url(env, webhook_path)?;
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
        "hook_attributes": { "url": hook, "active": active },
        "redirect_url": format!("{base}/setup/callback"),
    });
    let optional = [
        ("description", app.description.clone().map(Value::from)),
        // Where GitHub sends people back after they sign in to the dashboard.
        (
            "callback_urls",
            Some(app.callback_urls.clone().map_or_else(
                || json!([format!("{base}/dashboard/callback")]),
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
    Ok(manifest)
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

/// The events orgradar acts on, with the permission GitHub requires for each.
pub const EVENTS_USED: &[(&str, &str)] = &[
    ("issues", "issues"),
    ("pull_request", "pull_requests"),
    ("discussion", "discussions"),
    ("issue_comment", "issues"),
    ("star", "metadata"),
    ("fork", "contents"),
];

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
    for (event, permission) in EVENTS_USED {
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
        if !EVENTS_USED.iter().any(|(used, _)| used == event) {
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
