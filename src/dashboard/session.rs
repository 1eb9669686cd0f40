//! Session cookies and the server's key. A session cookie holds a random id
//! (256 bits); the store keeps its SHA-256 with the login and the expiry, so
//! signing out or losing membership ends it on every instance. The key,
//! derived from a secret every instance has, vouches for the refusal
//! messages the sign-in page shows.

use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};

type HmacSha256 = Hmac<Sha256>;

/// The session cookie's name.
pub const COOKIE: &str = "orgradar_session";
/// The cookie that carries the OAuth `state` during sign-in.
pub const STATE_COOKIE: &str = "orgradar_signin";

/// The server's key: it vouches for the messages the sign-in page shows.
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

    /// The token a signed-in person's forms carry: bound to their session
    /// (its id, which only their browser holds), so a page elsewhere cannot
    /// post in their name.
    pub fn form_token(&self, session_id: &str) -> String {
        self.sign(&format!("form\n{session_id}"))
    }

    /// Whether `token` is [`Self::form_token`]'s for `session_id`, compared
    /// in constant time.
    pub fn checks_form_token(&self, session_id: &str, token: &str) -> bool {
        let Ok(token) = hex::decode(token.trim()) else {
            return false;
        };
        let mut mac = self.0.clone();
        mac.update(format!("form\n{session_id}").as_bytes());
        mac.verify_slice(&token).is_ok()
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
}

/// A new session id for a cookie; `None` when the system has no randomness.
pub fn new_session_id() -> Option<String> {
    let mut bytes = [0u8; 32];
    getrandom::getrandom(&mut bytes).ok()?;
    Some(hex::encode(bytes))
}

/// What the store keeps of a session id: its SHA-256, in hex.
pub fn session_hash(id: &str) -> String {
    hex::encode(Sha256::digest(id.as_bytes()))
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
    fn session_ids_are_random_and_stored_as_hashes() {
        let (a, b) = (new_session_id().unwrap(), new_session_id().unwrap());
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        assert_ne!(session_hash(&a), a);
        assert_eq!(session_hash(&a), session_hash(&a));
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
    fn form_tokens_hold_for_their_session_only() {
        let k = key("client-secret");
        let token = k.form_token("session-a");
        assert!(k.checks_form_token("session-a", &token));
        assert!(!k.checks_form_token("session-b", &token));
        assert!(!key("another-secret").checks_form_token("session-a", &token));
        assert!(!k.checks_form_token("session-a", ""));
        assert!(!k.checks_form_token("session-a", "not hex"));
        assert_ne!(token, k.vouch("session-a"), "tokens are not messages");
    }

    #[test]
    fn cookies_are_found_by_name() {
        let header = "a=1; orgradar_session=x.y.z; b=2";
        assert_eq!(cookie(header, COOKIE), Some("x.y.z"));
        assert_eq!(cookie(header, "c"), None);
    }
}
