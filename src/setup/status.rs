//! The home page once the app is registered: which app, and where it is installed.

use super::page::{escape, layout};
use crate::github::GitHub;
use axum::response::Html;

/// The app and its installations; `replace_link` offers registering a new
/// app in its place (to the operator only).
pub(super) async fn status_page(github: &GitHub, replace_link: bool) -> Html<String> {
    let app = match github.app_info().await {
        Ok(app) => app,
        Err(e) => {
            return layout(
                "orgradar",
                &format!(
                    "<p class=\"note\">The app's credentials are set, but GitHub did not confirm them: {}</p>",
                    escape(&e.to_string())
                ),
            );
        }
    };
    let installations = match github.installations().await {
        Ok(list) if list.is_empty() => format!(
            "<p>Not installed anywhere yet: <a href=\"{}/installations/new\">install it on an organization</a>.</p>",
            escape(&app.html_url)
        ),
        Ok(list) => {
            let items: String = list
                .iter()
                .map(|i| {
                    let suspended = if i.suspended_at.is_some() {
                        " (suspended)"
                    } else {
                        ""
                    };
                    format!(
                        "<li>{} <small>installation {}</small>{suspended}</li>",
                        escape(&i.account.login),
                        i.id
                    )
                })
                .collect();
            format!("<p>Installed on:</p><ul>{items}</ul>")
        }
        Err(e) => format!(
            "<p class=\"note\">Could not list installations: {}</p>",
            escape(&e.to_string())
        ),
    };
    let replace = if replace_link {
        "<p><small>To register a new app in place of this one, <a href=\"/?replace=yes\">start a new registration</a>; the running server then uses the new app.</small></p>"
    } else {
        ""
    };
    layout(
        &app.name,
        &format!(
            "<p>orgradar runs as the GitHub App <a href=\"{url}\">{name}</a> (app id {id}).</p>{installations}{replace}",
            url = escape(&app.html_url),
            name = escape(&app.name),
            id = app.id,
        ),
    )
}
