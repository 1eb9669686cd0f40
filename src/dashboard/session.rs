//! Signed session cookies: `LOGIN.EXPIRES.SIGNATURE`, where the signature is
//! an HMAC-SHA256 of the login and the expiry under a key only the server
//! knows. Nothing is stored on the server; a changed login or expiry, or an
//! expired cookie, is refused.

use crate::time::Millis;
use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretString};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// The session cookie's name.
pub const COOKIE: &str = "orgradar_session";
/// The cookie that carries the OAuth `state` during sign-in.
pub const STATE_COOKIE: &str = "orgradar_signin";

/// The key sessions are signed with.
#[derive(Clone)]
pub struct SessionKey(HmacSha256);

impl SessionKey {
    /// A key derived from a secret the server has (the app's client secret),
    /// so every instance signs alike and nothing more has to be configured.
    pub fn derive(secret: &SecretString) -> Option<Self> {
        let mut root = HmacSha256::new_from_slice(secret.expose_secret().as_bytes()).ok()?;
        root.update(b"orgradar dashboard sessions v1");
        let key = root.finalize().into_bytes();
        HmacSha256::new_from_slice(&key).ok().map(SessionKey)
    }

    fn sign(&self, payload: &str) -> String {
        let mut mac = self.0.clone();
        mac.update(payload.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    /// A proof that this server wrote `message` (a sign-in refusal carried
    /// in the URL), so the sign-in page shows no text a link made up.
    pub fn vouch(&self, message: &str) -> String {
        self.sign(&format!("message\n{message}"))
    }

    /// Whether `proof` is [`Self::vouch`]'s for `message`.
    pub fn vouches(&self, message: &str, proof: &str) -> bool {
        let Ok(proof) = hex::decode(proof) else {
            return false;
        };
        let mut mac = self.0.clone();
        mac.update(format!("message\n{message}").as_bytes());
        mac.verify_slice(&proof).is_ok()
    }

    /// The cookie value for `login`, valid until `expires`.
    pub fn issue(&self, login: &str, expires: Millis) -> String {
        let payload = format!("{login}.{expires}");
        format!("{payload}.{}", self.sign(&payload))
    }

    /// The login of a valid, unexpired cookie value.
    pub fn verify(&self, value: &str, now: Millis) -> Option<String> {
        let (payload, signature) = value.rsplit_once('.')?;
        let (login, expires) = payload.rsplit_once('.')?;
        let expires: Millis = expires.parse().ok()?;
        let signature = hex::decode(signature).ok()?;
        let mut mac = self.0.clone();
        mac.update(payload.as_bytes());
        mac.verify_slice(&signature).ok()?;
        (expires > now && !login.is_empty()).then(|| login.to_string())
    }
}

/// The value of cookie `name` in a `Cookie` header.
pub fn cookie<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header.split(';').find_map(|pair| {
        let (k, v) = pair.trim().split_once('=')?;
        (k == name).then_some(v)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(secret: &str) -> SessionKey {
        SessionKey::derive(&SecretString::from(secret.to_string())).unwrap()
    }

    #[test]
    fn a_session_is_read_back_until_it_expires() {
        let k = key("client-secret");
        let value = k.issue("octocat", 1_000);
        assert_eq!(k.verify(&value, 999).as_deref(), Some("octocat"));
        assert_eq!(k.verify(&value, 1_000), None, "expired");
    }

    #[test]
    fn tampered_or_foreign_cookies_are_refused() {
        let k = key("client-secret");
        let value = k.issue("octocat", 1_000);
        assert_eq!(k.verify(&value.replace("octocat", "hubot"), 0), None);
        assert_eq!(k.verify(&value.replace("1000", "9999"), 0), None);
        assert_eq!(key("another-secret").verify(&value, 0), None);
        for junk in [
            "",
            ".",
            "octocat",
            "octocat.1000",
            "octocat.1000.zz",
            "a.b.c.d",
        ] {
            assert_eq!(k.verify(junk, 0), None, "{junk}");
        }
    }

    #[test]
    fn only_messages_this_server_wrote_are_vouched_for() {
        let k = key("client-secret");
        let proof = k.vouch("octocat is not a member of acme");
        assert!(k.vouches("octocat is not a member of acme", &proof));
        assert!(!k.vouches("Call support at +1 555 0100", &proof));
        assert!(!key("another-secret").vouches("octocat is not a member of acme", &proof));
        assert!(!k.vouches("x", "zz"));
    }

    #[test]
    fn cookies_are_found_by_name() {
        let header = "a=1; orgradar_session=x.y.z; b=2";
        assert_eq!(cookie(header, COOKIE), Some("x.y.z"));
        assert_eq!(cookie(header, "c"), None);
    }
}
