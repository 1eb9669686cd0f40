//! "Sign in with GitHub" with the app's own OAuth credentials: the browser
//! goes to GitHub's authorize page, comes back with a code, and the code is
//! exchanged for a user token that tells who signed in. The token is used
//! for that one question and then dropped.

use crate::github::ApiUrl;
use crate::https::Http;
use bytes::Bytes;
use http::{Method, Request, header};
use http_body_util::{BodyExt, Full};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use std::time::Duration;

const TIMEOUT: Duration = Duration::from_secs(10);

/// The app's OAuth client.
pub struct OAuth {
    pub client_id: String,
    client_secret: SecretString,
    /// Where people sign in: `https://github.com`, or the GHES host.
    web_url: String,
    /// The REST API, for `GET /user`.
    api_url: String,
    http: Result<Http, String>,
}

impl OAuth {
    pub fn new(client_id: String, client_secret: SecretString, api: &ApiUrl) -> Self {
        Self {
            client_id,
            client_secret,
            web_url: api.web.trim_end_matches('/').to_string(),
            api_url: api.to_string().trim_end_matches('/').to_string(),
            http: crate::https::client(),
        }
    }

    /// GitHub's authorize page, which sends the browser back to `redirect_uri`.
    pub fn authorize_url(&self, state: &str, redirect_uri: &str) -> String {
        let query: String = form_urlencoded::Serializer::new(String::new())
            .append_pair("client_id", &self.client_id)
            .append_pair("state", state)
            .append_pair("redirect_uri", redirect_uri)
            .finish();
        format!("{}/login/oauth/authorize?{query}", self.web_url)
    }

    /// Exchanges the code for a user token and returns the user's login.
    pub async fn login_of(&self, code: &str, redirect_uri: &str) -> Result<String, String> {
        #[derive(Deserialize)]
        struct Token {
            access_token: Option<String>,
            error_description: Option<String>,
            error: Option<String>,
        }
        #[derive(Deserialize)]
        struct User {
            login: String,
        }
        let form: String = form_urlencoded::Serializer::new(String::new())
            .append_pair("client_id", &self.client_id)
            .append_pair("client_secret", self.client_secret.expose_secret())
            .append_pair("code", code)
            .append_pair("redirect_uri", redirect_uri)
            .finish();
        let url = format!("{}/login/oauth/access_token", self.web_url);
        let answer: Token = self
            .call(Method::POST, &url, None, Some(form))
            .await
            .map_err(|e| format!("GitHub's sign-in did not answer: {e}"))?;
        let Some(token) = answer.access_token else {
            let why = answer
                .error_description
                .or(answer.error)
                .unwrap_or_else(|| "no token".into());
            return Err(format!("GitHub refused the sign-in: {why}; try again"));
        };
        let user: User = self
            .call(
                Method::GET,
                &format!("{}/user", self.api_url),
                Some(&token),
                None,
            )
            .await
            .map_err(|e| format!("GitHub did not say who signed in: {e}"))?;
        Ok(user.login)
    }

    async fn call<T: for<'de> Deserialize<'de>>(
        &self,
        method: Method,
        url: &str,
        token: Option<&str>,
        form: Option<String>,
    ) -> Result<T, String> {
        let http = self.http.as_ref().map_err(Clone::clone)?;
        let mut request = Request::builder()
            .method(method)
            .uri(url)
            .header(header::ACCEPT, "application/json")
            .header(header::USER_AGENT, "orgradar");
        if let Some(token) = token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        if form.is_some() {
            request = request.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        }
        let request = request
            .body(Full::new(Bytes::from(form.unwrap_or_default())))
            .map_err(|e| e.to_string())?;
        let response = tokio::time::timeout(TIMEOUT, http.request(request))
            .await
            .map_err(|_| "timed out".to_string())?
            .map_err(|e| {
                if e.is_connect() {
                    "cannot connect"
                } else {
                    "no answer"
                }
                .to_string()
            })?;
        let status = response.status();
        let body = response
            .into_body()
            .collect()
            .await
            .map_err(|_| "the answer was cut off".to_string())?
            .to_bytes();
        if !status.is_success() {
            return Err(format!("HTTP {}", status.as_u16()));
        }
        serde_json::from_slice(&body).map_err(|e| format!("unexpected answer ({e})"))
    }
}
