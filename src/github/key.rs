//! The GitHub App's private key, read from `PRIVATE_KEY` (PEM text, PEM with
//! literal `\n` sequences, or base64 of the PEM) or `PRIVATE_KEY_PATH`.
//! Errors say which variable was read and what was wrong, never the key.

use base64::Engine;
use jsonwebtoken::EncodingKey;
use std::fmt;
use std::path::PathBuf;

/// Where the key comes from.
#[derive(Clone)]
pub enum KeySource {
    /// The value of `PRIVATE_KEY`.
    Env(secrecy::SecretString),
    /// `PRIVATE_KEY_PATH`.
    Path(PathBuf),
}

impl fmt::Debug for KeySource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeySource::Env(_) => f.write_str("PRIVATE_KEY([redacted])"),
            KeySource::Path(p) => write!(f, "PRIVATE_KEY_PATH({})", p.display()),
        }
    }
}

/// A parsed RSA private key, ready to sign app JWTs. Never printed.
#[derive(Clone)]
pub struct AppKey(pub(crate) EncodingKey);

impl fmt::Debug for AppKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AppKey([redacted])")
    }
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum KeyError {
    #[error(
        "PRIVATE_KEY_PATH={path}: cannot read the file ({reason}); point it at the .pem file downloaded from the GitHub App's settings"
    )]
    Unreadable { path: String, reason: String },
    #[error(
        "{variable} does not hold a PEM private key: expected text starting with `-----BEGIN RSA PRIVATE KEY-----` (the .pem file GitHub lets you download), that text with `\\n` for line breaks, or that text in base64"
    )]
    NotPem { variable: String },
    #[error(
        "{variable} holds a PEM block that is not a usable RSA private key ({reason}); download a new private key from the GitHub App's settings"
    )]
    NotRsa { variable: String, reason: String },
}

impl KeySource {
    fn variable(&self) -> String {
        match self {
            KeySource::Env(_) => "PRIVATE_KEY".into(),
            KeySource::Path(p) => format!("PRIVATE_KEY_PATH={}", p.display()),
        }
    }

    /// Reads and parses the key.
    pub fn load(&self) -> Result<AppKey, KeyError> {
        use secrecy::ExposeSecret;
        let variable = self.variable();
        let text = match self {
            KeySource::Env(value) => value.expose_secret().to_string(),
            KeySource::Path(path) => {
                std::fs::read_to_string(path).map_err(|e| KeyError::Unreadable {
                    path: path.display().to_string(),
                    reason: e.to_string(),
                })?
            }
        };
        let pem = normalize(&text).ok_or(KeyError::NotPem {
            variable: variable.clone(),
        })?;
        let key = EncodingKey::from_rsa_pem(pem.as_bytes()).map_err(|e| KeyError::NotRsa {
            variable: variable.clone(),
            reason: e.to_string(),
        })?;
        // Sign once now, so a key that parses but cannot sign fails at start-up.
        let header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
        jsonwebtoken::encode(&header, &serde_json::json!({ "iss": "0" }), &key).map_err(|e| {
            KeyError::NotRsa {
                variable,
                reason: e.to_string(),
            }
        })?;
        Ok(AppKey(key))
    }
}

/// The PEM text in any of the accepted spellings, or `None`.
fn normalize(text: &str) -> Option<String> {
    let text = text.trim().trim_matches('"').trim();
    if text.starts_with("-----BEGIN") {
        return Some(text.replace("\\n", "\n"));
    }
    let compact: String = text.split_whitespace().collect();
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(compact.as_bytes())
        .ok()?;
    let decoded = String::from_utf8(decoded).ok()?;
    let decoded = decoded.trim();
    decoded
        .starts_with("-----BEGIN")
        .then(|| decoded.replace("\\n", "\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PEM: &str = include_str!("../../tests/fixtures/test-app-key.pem");

    fn env(value: &str) -> KeySource {
        KeySource::Env(secrecy::SecretString::from(value.to_string()))
    }

    #[test]
    fn loads_pem_escaped_pem_and_base64() {
        assert!(env(PEM).load().is_ok());
        assert!(env(&PEM.trim().replace('\n', "\\n")).load().is_ok());
        let b64 = base64::engine::general_purpose::STANDARD.encode(PEM);
        assert!(env(&b64).load().is_ok());
    }

    #[test]
    fn loads_from_a_file_and_names_a_missing_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("key.pem");
        std::fs::write(&path, PEM).unwrap();
        assert!(KeySource::Path(path.clone()).load().is_ok());
        let missing = dir.path().join("nope.pem");
        let err = KeySource::Path(missing).load().unwrap_err().to_string();
        assert!(err.starts_with("PRIVATE_KEY_PATH="), "{err}");
        assert!(err.contains("nope.pem"), "{err}");
    }

    #[test]
    fn a_broken_key_is_named_but_never_shown() {
        let broken = PEM.replace("MII", "XXX");
        let err = env(&broken).load().unwrap_err().to_string();
        assert!(err.starts_with("PRIVATE_KEY holds a PEM block"), "{err}");
        let secret_line = PEM.lines().nth(3).unwrap();
        assert!(!err.contains(secret_line));
        let err = env("hunter2").load().unwrap_err().to_string();
        assert!(
            err.starts_with("PRIVATE_KEY does not hold a PEM private key"),
            "{err}"
        );
        assert!(!err.contains("hunter2"));
        assert_eq!(format!("{:?}", env(PEM)), "PRIVATE_KEY([redacted])");
    }
}
