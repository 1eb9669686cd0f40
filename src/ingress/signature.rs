//! `X-Hub-Signature-256`: HMAC-SHA256 of the raw body, keyed with the webhook secret.

use crate::config::WebhookSecrets;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Why a signature was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureFault {
    /// Not `sha256=` followed by 64 hex digits.
    Malformed,
    /// Well formed, but no configured secret produces it for this body.
    Mismatch,
}

/// Checks `header` against the body with every configured secret, in constant time.
pub fn verify(secrets: &WebhookSecrets, header: &str, body: &[u8]) -> Result<(), SignatureFault> {
    verify_digest(secrets, &parse(header)?, body)
}

/// The digest in an `X-Hub-Signature-256` header, checked for its form only,
/// so that a request without a usable signature is refused before its body is read.
pub fn parse(header: &str) -> Result<[u8; 32], SignatureFault> {
    let hex_digest = header
        .strip_prefix("sha256=")
        .ok_or(SignatureFault::Malformed)?;
    // GitHub sends lowercase hex; anything else is not its signature.
    if !hex_digest
        .bytes()
        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        return Err(SignatureFault::Malformed);
    }
    let mut expected = [0u8; 32];
    hex::decode_to_slice(hex_digest, &mut expected).map_err(|_| SignatureFault::Malformed)?;
    Ok(expected)
}

/// Whether any configured secret signs `body` as `expected`, in constant time.
pub fn verify_digest(
    secrets: &WebhookSecrets,
    expected: &[u8; 32],
    body: &[u8],
) -> Result<(), SignatureFault> {
    let matched = secrets.keyed().iter().any(|keyed| {
        let mut mac = keyed.clone();
        mac.update(body);
        mac.verify_slice(expected).is_ok()
    });
    if matched {
        Ok(())
    } else {
        Err(SignatureFault::Mismatch)
    }
}

/// The `X-Hub-Signature-256` value GitHub would send for `body` signed with `secret`.
pub fn sign(secret: &[u8], body: &[u8]) -> String {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret).unwrap_or_else(|_| unreachable!());
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const SECRET: &str = "It's a Secret to Everybody";
    const BODY: &[u8] = b"Hello, World!";
    const EXPECTED: &str =
        "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

    fn secrets(list: &str) -> WebhookSecrets {
        WebhookSecrets::parse(list).unwrap()
    }

    #[test]
    fn githubs_documented_test_vector() {
        assert_eq!(sign(SECRET.as_bytes(), BODY), EXPECTED);
        assert_eq!(verify(&secrets(SECRET), EXPECTED, BODY), Ok(()));
    }

    #[test]
    fn any_of_several_secrets_verifies_during_rotation() {
        let both = secrets(&format!("old-secret,{SECRET}"));
        assert_eq!(verify(&both, EXPECTED, BODY), Ok(()));
        assert_eq!(
            verify(&secrets("old-secret"), EXPECTED, BODY),
            Err(SignatureFault::Mismatch)
        );
    }

    #[test]
    fn malformed_headers_are_told_apart_from_mismatches() {
        let s = secrets(SECRET);
        for bad in [
            "",
            "sha1=757107ea0eb2509fc211221cce984b8a37570b6d",
            "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
            "sha256=757107ea",
            "sha256=757107EA0EB2509FC211221CCE984B8A37570B6D7586C22C46F4379C8B043E17",
            " sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
            "sha256=zz7107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
        ] {
            assert_eq!(
                verify(&s, bad, BODY),
                Err(SignatureFault::Malformed),
                "{bad}"
            );
        }
    }

    proptest! {
        #[test]
        fn any_single_byte_change_to_the_body_is_refused(
            body in proptest::collection::vec(any::<u8>(), 1..2048),
            index in any::<proptest::sample::Index>(),
            delta in 1u8..=255,
        ) {
            let s = secrets(SECRET);
            let header = sign(SECRET.as_bytes(), &body);
            prop_assert_eq!(verify(&s, &header, &body), Ok(()));
            let mut changed = body.clone();
            let i = index.index(changed.len());
            changed[i] = changed[i].wrapping_add(delta);
            prop_assert_eq!(verify(&s, &header, &changed), Err(SignatureFault::Mismatch));
        }

        #[test]
        fn any_single_byte_change_to_the_signature_is_refused(
            body in proptest::collection::vec(any::<u8>(), 0..512),
            index in any::<proptest::sample::Index>(),
            delta in 1u8..=255,
        ) {
            let s = secrets(SECRET);
            let mut header = sign(SECRET.as_bytes(), &body).into_bytes();
            let i = index.index(header.len());
            header[i] = header[i].wrapping_add(delta);
            let changed = String::from_utf8_lossy(&header);
            prop_assert!(verify(&s, &changed, &body).is_err());
        }
    }
}
