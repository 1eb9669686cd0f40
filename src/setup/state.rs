//! The `state` of a registration: random, single use, good for an hour, and
//! bound to the browser that started it by a cookie set on that browser
//! alone. Every state still outstanding is void once the app is registered.

use axum::http::{HeaderMap, header};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use subtle::ConstantTimeEq;

/// A registration link is good for this long.
const STATE_LIFETIME: Duration = Duration::from_secs(3600);
/// The cookie that binds a state to the browser it was given to.
pub const STATE_COOKIE: &str = "orgradar_setup";

/// A state handed out, and whether it may replace an app already registered.
#[derive(Debug, Clone)]
struct Issued {
    at: Instant,
    started: Started,
}

/// What a registration was started with.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Started {
    /// Register a new app in place of the current one.
    pub replace: bool,
    /// The address entered on the setup page, written to `.env` as `PUBLIC_URL` once registered.
    pub public_url: Option<String>,
}

/// Why a callback's state is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StateFault {
    /// Not handed out here in the last hour, or used already.
    Unknown,
    /// Handed out, but the browser presenting it is not the one it was given to.
    OtherBrowser,
}

#[derive(Default)]
pub struct States(Mutex<HashMap<String, Issued>>);

impl States {
    /// A fresh, unguessable state for a registration `started` so.
    pub fn issue(&self, started: Started) -> Result<String, getrandom::Error> {
        let mut bytes = [0u8; 24];
        getrandom::getrandom(&mut bytes)?;
        let state = hex::encode(bytes);
        if let Ok(mut states) = self.0.lock() {
            states.retain(|_, issued| issued.at.elapsed() < STATE_LIFETIME);
            let issued = Issued {
                at: Instant::now(),
                started,
            };
            states.insert(state.clone(), issued);
        }
        Ok(state)
    }

    /// Checks `state` against the cookie the browser sent; a known state is
    /// used up either way. What the registration was started with when it is good.
    pub fn take(&self, state: &str, headers: &HeaderMap) -> Result<Started, StateFault> {
        let issued = self
            .0
            .lock()
            .ok()
            .and_then(|mut states| states.remove(state))
            .filter(|issued| issued.at.elapsed() < STATE_LIFETIME)
            .ok_or(StateFault::Unknown)?;
        let cookie = headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|h| h.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(name, _)| *name == STATE_COOKIE)
            .map(|(_, value)| value)
            .unwrap_or_default();
        if bool::from(cookie.as_bytes().ct_eq(state.as_bytes())) {
            Ok(issued.started)
        } else {
            Err(StateFault::OtherBrowser)
        }
    }

    /// Voids every outstanding state (the app is registered now).
    pub fn expire_all(&self) {
        if let Ok(mut states) = self.0.lock() {
            states.clear();
        }
    }
}

/// The `Set-Cookie` value that binds `state` to this browser.
pub fn cookie(state: &str, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!(
        "{STATE_COOKIE}={state}; Path=/setup; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
        STATE_LIFETIME.as_secs()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn with_cookie(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, HeaderValue::from_str(value).unwrap());
        h
    }

    #[test]
    fn a_state_works_once_and_only_in_the_browser_it_was_given_to() {
        let states = States::default();
        let state = states.issue(Started::default()).unwrap();
        let theirs = with_cookie("orgradar_setup=0000");
        assert_eq!(states.take(&state, &theirs), Err(StateFault::OtherBrowser));
        // Used up by the failed attempt too.
        let mine = with_cookie(&format!("a=b; {STATE_COOKIE}={state}"));
        assert_eq!(states.take(&state, &mine), Err(StateFault::Unknown));
        let started = Started {
            replace: true,
            public_url: Some("https://orgradar.example.com".into()),
        };
        let state = states.issue(started.clone()).unwrap();
        let mine = with_cookie(&format!("{STATE_COOKIE}={state}"));
        assert_eq!(states.take(&state, &mine), Ok(started));
        assert_eq!(states.take(&state, &mine), Err(StateFault::Unknown));
    }

    #[test]
    fn registering_voids_every_outstanding_state() {
        let states = States::default();
        let state = states.issue(Started::default()).unwrap();
        states.expire_all();
        let mine = with_cookie(&format!("{STATE_COOKIE}={state}"));
        assert_eq!(states.take(&state, &mine), Err(StateFault::Unknown));
    }
}
