//! The page shown to people who are not signed in.

use super::layout::document;
use super::links::safe_href;
use maud::html;

/// The sign-in page. `message` says why a sign-in was refused ("octocat is
/// not a member of acme"); `github_login_url` is where the "Sign in with
/// GitHub" button leads (normally `/dashboard/login`), `None` when sign-in
/// with GitHub is not set up; `token_hint` adds how machines authenticate.
pub fn sign_in_page(
    message: Option<&str>,
    github_login_url: Option<&str>,
    token_hint: bool,
) -> String {
    let content = html! {
        div.sign-in {
            h1 { "Sign in" }
            p { "The leads dashboard shows who from which organizations engaged with your repositories." }
            @if let Some(message) = message {
                p.refused role="alert" { (message) }
            }
            @match github_login_url.and_then(safe_href) {
                Some(url) => p { a.button.primary href=(url) { "Sign in with GitHub" } },
                None => p.muted { "Sign-in with GitHub is not set up on this server." },
            }
            @if token_hint {
                p.muted {
                    "Scripts and other machines can send the header "
                    code { "Authorization: Bearer $DASHBOARD_TOKEN" }
                    " instead."
                }
            }
        }
    };
    document("Sign in", None, content)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dashboard::pages::fixtures::readable;

    #[test]
    fn sign_in_refused() {
        let html = sign_in_page(
            Some("octocat is not a member of acme"),
            Some("/dashboard/login"),
            true,
        );
        assert!(html.contains(r#"href="/dashboard/login""#));
        assert!(!html.contains("Sign out"));
        insta::assert_snapshot!(readable(&html));
    }

    #[test]
    fn without_github_sign_in_or_token() {
        let html = sign_in_page(None, None, false);
        assert!(html.contains("Sign-in with GitHub is not set up on this server."));
        assert!(!html.contains("DASHBOARD_TOKEN"));
        assert!(!html.contains("role=\"alert\""));
    }

    #[test]
    fn hostile_message_and_link_are_neutralized() {
        let html = sign_in_page(
            Some("<script>alert(1)</script> is not a member"),
            Some("javascript:alert(1)"),
            false,
        );
        assert!(!html.contains("<script>"));
        assert!(!html.contains("javascript:"));
    }
}
