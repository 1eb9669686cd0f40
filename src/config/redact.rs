//! Database URLs as they may be printed: without their password.

/// `url` with the password, if any, replaced by `***`: in the user
/// information (even when it holds an unencoded `/`, `?` or `#`) and in
/// `password=` / `sslpassword=` parameters of the query string.
pub fn redact_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    // The host follows the last `@`; everything before it is user information.
    // (Without a `:` there is no password before it, and the `@` may be in the query.)
    let (user, after) = match rest.rsplit_once('@') {
        Some((credentials, after)) if credentials.contains(':') => {
            (credentials.split_once(':').map(|(user, _)| user), after)
        }
        _ => (None, rest),
    };
    let mut out = format!("{scheme}://");
    if let Some(user) = user {
        out.push_str(&format!("{user}:***@"));
    }
    let (path, query) = match after.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (after, None),
    };
    out.push_str(path);
    if let Some(query) = query {
        let pairs: Vec<String> = query
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((key, _)) if key.to_ascii_lowercase().contains("password") => {
                    format!("{key}=***")
                }
                _ => pair.to_string(),
            })
            .collect();
        out.push('?');
        out.push_str(&pairs.join("&"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::redact_password;

    #[test]
    fn passwords_in_the_query_or_with_a_slash_are_never_shown() {
        for (url, shown) in [
            (
                "postgres://orgradar:pa/ss@db:5432/orgradar",
                "postgres://orgradar:***@db:5432/orgradar",
            ),
            (
                "postgres://orgradar:p@ss?w#rd@db/orgradar",
                "postgres://orgradar:***@db/orgradar",
            ),
            (
                "postgres://db/orgradar?user=orgradar&password=s3cr3t&sslmode=require",
                "postgres://db/orgradar?user=orgradar&password=***&sslmode=require",
            ),
            (
                "postgres://db/orgradar?password=s3@cr3t",
                "postgres://db/orgradar?password=***",
            ),
            (
                "postgresql:///orgradar?host=/run/pg&PASSWORD=s3cr3t&sslpassword=k3y",
                "postgresql:///orgradar?host=/run/pg&PASSWORD=***&sslpassword=***",
            ),
        ] {
            assert_eq!(redact_password(url), shown, "{url}");
        }
    }
}
