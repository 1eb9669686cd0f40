//! The frame of every dashboard page: head, stylesheet and header.

use super::assets::CSS;
use maud::{Markup, PreEscaped, html};

/// A whole page. `title` and `signed_in_as` are escaped; `content` is markup.
pub fn document(title: &str, signed_in_as: Option<&str>, content: Markup) -> String {
    html! {
        (PreEscaped("<!doctype html>\n"))
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="robots" content="noindex";
                meta name="referrer" content="no-referrer";
                title { (title) " · orgradar" }
                style { (PreEscaped(CSS)) }
            }
            body {
                header.top {
                    a.brand href="/dashboard" { "orgradar · Leads" }
                    @if let Some(login) = signed_in_as {
                        span.muted { "Signed in as " strong { (login) } }
                        form method="post" action="/dashboard/logout" {
                            button type="submit" { "Sign out" }
                        }
                    }
                }
                main { (content) }
            }
        }
    }
    .into_string()
}
