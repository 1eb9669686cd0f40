//! Paginated lists: every page of a list, following `Link: rel="next"` by
//! path on the configured server.

use super::client::{GitHub, decode};
use super::error::GitHubError;
use super::request::{Auth, Kind};
use http::{HeaderMap, Method, header};
use serde::de::DeserializeOwned;

impl GitHub {
    /// Every item of a paginated list, following `Link: rel="next"` by path
    /// on this server (so the token goes with every page, on any host).
    pub async fn get_all<T: DeserializeOwned>(
        &self,
        auth: Auth,
        route: &str,
    ) -> Result<Vec<T>, GitHubError> {
        self.get_pages_while(auth, route, |_| true).await
    }

    /// Like [`Self::get_all`], but stops after a page for which `more` is false.
    pub async fn get_pages_while<T: DeserializeOwned>(
        &self,
        auth: Auth,
        route: &str,
        mut more: impl FnMut(&[T]) -> bool,
    ) -> Result<Vec<T>, GitHubError> {
        let sep = if route.contains('?') { '&' } else { '?' };
        let mut path = Some(self.url.rest(&format!("{route}{sep}per_page=100")));
        let mut items = Vec::new();
        let mut pages = 0;
        while let Some(current) = path.take() {
            pages += 1;
            let answer = self
                .send(auth, Method::GET, &current, None, Kind::Read)
                .await?;
            let mut page: Vec<T> = decode("GET", &current, &answer.body)?;
            let go_on = more(&page);
            items.append(&mut page);
            path = next_link(&answer.headers)
                .and_then(|url| path_of(&url))
                .filter(|_| go_on && pages < 1000);
        }
        Ok(items)
    }
}

/// The path and query of a URL GitHub gave. It is requested on the configured
/// server, whatever host the URL names, so credentials go nowhere else.
fn path_of(url: &str) -> Option<String> {
    if url.starts_with('/') {
        return Some(url.to_string());
    }
    let uri: http::Uri = url.parse().ok()?;
    uri.path_and_query().map(|p| p.to_string())
}

/// The `rel="next"` URL of a `Link` header.
fn next_link(headers: &HeaderMap) -> Option<String> {
    let link = headers.get(header::LINK)?.to_str().ok()?;
    link.split(',').find_map(|part| {
        let (url, params) = part.split_once(';')?;
        params
            .split(';')
            .any(|p| p.trim() == "rel=\"next\"")
            .then(|| {
                url.trim()
                    .trim_start_matches('<')
                    .trim_end_matches('>')
                    .to_string()
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    #[test]
    fn finds_the_next_page_among_the_links() {
        let mut h = HeaderMap::new();
        h.insert(
            header::LINK,
            HeaderValue::from_static(
                "<https://ghe.example.com/api/v3/app/installations?page=1>; rel=\"prev\", <https://ghe.example.com/api/v3/app/installations?page=3>; rel=\"next\"",
            ),
        );
        assert_eq!(
            next_link(&h).as_deref(),
            Some("https://ghe.example.com/api/v3/app/installations?page=3")
        );
        assert_eq!(next_link(&HeaderMap::new()), None);
    }
}
