//! The HTTPS client for the services orgradar calls besides GitHub's API
//! (Slack, GitHub's sign-in): HTTP/1.1 over rustls with the system's root
//! certificates and the one crypto provider the build has (ring).

use bytes::Bytes;
use http_body_util::Full;
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use std::sync::Arc;

pub type Http = Client<HttpsConnector<HttpConnector>, Full<Bytes>>;

/// A client for HTTPS (and plain HTTP, for tests), or why there is none.
pub fn client() -> Result<Http, String> {
    let provider = rustls::crypto::CryptoProvider::get_default()
        .cloned()
        .unwrap_or_else(|| Arc::new(rustls::crypto::ring::default_provider()));
    let builder = hyper_rustls::HttpsConnectorBuilder::new()
        .with_provider_and_native_roots(provider)
        .map_err(|e| format!("cannot set up TLS: no usable root certificates ({e})"))?;
    let connector = builder.https_or_http().enable_http1().build();
    Ok(Client::builder(TokioExecutor::new()).build(connector))
}
