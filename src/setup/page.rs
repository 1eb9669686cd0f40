//! The small HTML pages of the registration flow, rendered on the server.

use axum::http::{HeaderValue, header};
use axum::response::{Html, Response};

/// Every setup page: never cached (it may show the app's installations or
/// carry a registration's state), never framed, never referred onwards, and
/// with no script or outside resource; its forms post to GitHub, or the
/// address form to this server.
pub fn guarded(mut response: Response, github_web: &str) -> Response {
    let h = response.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    let policy = format!(
        "default-src 'none'; style-src 'unsafe-inline'; form-action {} 'self'; frame-ancestors 'none'; base-uri 'none'",
        origin(github_web)
    );
    if let Ok(policy) = HeaderValue::from_str(&policy) {
        h.insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    response
}

/// `https://github.example.com` of `https://github.example.com/some/path`.
fn origin(url: &str) -> &str {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    match url[after_scheme..].find('/') {
        Some(i) => &url[..after_scheme + i],
        None => url,
    }
}

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A page: `body` is HTML already escaped where it needs to be.
pub fn layout(title: &str, body: &str) -> Html<String> {
    Html(format!(
        r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · orgradar</title>
<style>
body {{ font: 16px/1.5 system-ui, sans-serif; max-width: 44rem; margin: 2rem auto; padding: 0 1rem; color: #1f2328; }}
h1 {{ font-size: 1.5rem; }} code, pre {{ background: #f6f8fa; padding: .1rem .3rem; border-radius: 4px; }}
pre {{ padding: .75rem; overflow-x: auto; }} button {{ font-size: 1rem; padding: .5rem 1rem; background: #1f883d; color: #fff; border: 0; border-radius: 6px; cursor: pointer; }}
.note {{ background: #fff8c5; padding: .75rem; border-radius: 6px; }} li {{ margin: .25rem 0; }}
</style></head>
<body><h1>{title}</h1>
{body}
</body></html>"#,
        title = escape(title),
    ))
}

#[cfg(test)]
mod tests {
    use super::{escape, origin};

    #[test]
    fn form_action_is_githubs_origin() {
        assert_eq!(origin("https://github.com"), "https://github.com");
        assert_eq!(
            origin("https://ghe.example.com/x/y"),
            "https://ghe.example.com"
        );
    }

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape(r#"<a href="x">'&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }
}
