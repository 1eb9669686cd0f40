//! Slack's request signing: `X-Slack-Signature: v0=<hex>`, the HMAC-SHA256
//! of `v0:<X-Slack-Request-Timestamp>:<raw body>` keyed with the app's
//! signing secret, and a timestamp within five minutes of now.

use crate::config::SlackSigningSecrets;
use hmac::{Hmac, Mac};
use secrecy::ExposeSecret;
use sha2::Sha256;
use std::collections::{HashSet, VecDeque};
use std::sync::Mutex;

/// How far a request's timestamp may be from now, either way, in seconds.
pub const MAX_SKEW_SECS: i64 = 5 * 60;
/// Signatures remembered against replays at most (the oldest go first).
const MAX_REMEMBERED: usize = 100_000;

/// Why a Slack request was refused. The texts say what was wrong and how
/// to fix it, and never hold a secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SlackFault {
    #[error(
        "unsigned: the request has no X-Slack-Signature or X-Slack-Request-Timestamp header; only Slack's interaction requests are taken here (set the Slack app's Interactivity Request URL to https://YOUR-HOST/api/slack/interactions)"
    )]
    Unsigned,
    #[error(
        "malformed signature: X-Slack-Signature must be `v0=` and 64 hex digits, and X-Slack-Request-Timestamp a whole number of seconds"
    )]
    Malformed,
    #[error(
        "stale: the request's timestamp is {skew_secs} seconds from this server's time, more than the {MAX_SKEW_SECS} allowed; an old request replayed, or the server clock may be off (check that it is synchronised, e.g. with NTP)"
    )]
    Stale { skew_secs: i64 },
    #[error(
        "the signature matches no signing secret: check SLACK_SIGNING_SECRET against the Slack app's Basic Information → Signing Secret (several may be set, comma-separated, while rotating)"
    )]
    Mismatch,
    #[error(
        "replay: this signed request was received before, within the last five minutes; it is not taken again"
    )]
    Replay,
}

impl SlackFault {
    /// A short name for logs and metrics.
    pub fn reason(&self) -> &'static str {
        match self {
            SlackFault::Unsigned => "unsigned",
            SlackFault::Malformed => "malformed_signature",
            SlackFault::Stale { .. } => "stale",
            SlackFault::Mismatch => "signature_mismatch",
            SlackFault::Replay => "replay",
        }
    }
}

/// Checks a request's timestamp and signature against every configured
/// secret, in constant time; `now_secs` is the Unix time now. Returns the
/// signature's digest, for [`Replays`].
pub fn verify(
    secrets: &SlackSigningSecrets,
    timestamp: Option<&str>,
    signature: Option<&str>,
    body: &[u8],
    now_secs: i64,
) -> Result<[u8; 32], SlackFault> {
    let (Some(timestamp), Some(signature)) = (timestamp, signature) else {
        return Err(SlackFault::Unsigned);
    };
    let at: i64 = timestamp
        .parse()
        .ok()
        .filter(|_| timestamp.bytes().all(|b| b.is_ascii_digit()))
        .ok_or(SlackFault::Malformed)?;
    let skew_secs = at.saturating_sub(now_secs);
    if skew_secs.abs() > MAX_SKEW_SECS {
        return Err(SlackFault::Stale { skew_secs });
    }
    let hex_digest = signature.strip_prefix("v0=").ok_or(SlackFault::Malformed)?;
    let mut expected = [0u8; 32];
    hex::decode_to_slice(hex_digest, &mut expected).map_err(|_| SlackFault::Malformed)?;
    let matched = secrets.secrets().iter().any(|secret| {
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.expose_secret().as_bytes()) else {
            return false;
        };
        mac.update(b"v0:");
        mac.update(timestamp.as_bytes());
        mac.update(b":");
        mac.update(body);
        mac.verify_slice(&expected).is_ok()
    });
    if matched {
        Ok(expected)
    } else {
        Err(SlackFault::Mismatch)
    }
}

/// The `X-Slack-Signature` Slack would send for `body` at `timestamp`.
pub fn sign(secret: &str, timestamp: &str, body: &[u8]) -> String {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac =
        <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes()).unwrap_or_else(|_| unreachable!());
    mac.update(format!("v0:{timestamp}:").as_bytes());
    mac.update(body);
    format!("v0={}", hex::encode(mac.finalize().into_bytes()))
}

/// The signatures verified within the last five minutes, so that a request
/// captured and sent again is refused. Bounded, and pruned by time. Across
/// instances a replay is harmless anyway: the answer it carries has a
/// deterministic id, and a second answer with the same id changes nothing.
#[derive(Default)]
pub struct Replays {
    seen: Mutex<Seen>,
}

#[derive(Default)]
struct Seen {
    digests: HashSet<[u8; 32]>,
    /// `(when received, digest)`, oldest first.
    order: VecDeque<(i64, [u8; 32])>,
}

impl Replays {
    /// Remembers `digest` received at `now_secs`; `Err(Replay)` when it was
    /// received within the last five minutes.
    pub fn first_time(&self, digest: [u8; 32], now_secs: i64) -> Result<(), SlackFault> {
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        // A timestamp is accepted for five minutes either side of now, so
        // a signature is kept for ten.
        while let Some(&(at, old)) = seen.order.front() {
            if at >= now_secs - 2 * MAX_SKEW_SECS && seen.order.len() < MAX_REMEMBERED {
                break;
            }
            seen.order.pop_front();
            seen.digests.remove(&old);
        }
        if !seen.digests.insert(digest) {
            return Err(SlackFault::Replay);
        }
        seen.order.push_back((now_secs, digest));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "8f742231b10e8888abcd99yyyzzz85a5";
    const BODY: &[u8] = b"payload=%7B%22type%22%3A%22block_actions%22%7D";
    const NOW: i64 = 1_795_420_800;

    fn secrets(list: &str) -> SlackSigningSecrets {
        SlackSigningSecrets::parse(list).unwrap()
    }

    fn check(list: &str, ts: i64, signature: &str, body: &[u8]) -> Result<[u8; 32], SlackFault> {
        verify(
            &secrets(list),
            Some(&ts.to_string()),
            Some(signature),
            body,
            NOW,
        )
    }

    #[test]
    fn slacks_documented_example_verifies() {
        // The example of Slack's "Verifying requests from Slack".
        let body = b"token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
        let expected = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
        assert_eq!(sign(SECRET, "1531420618", body), expected);
        let result = verify(
            &secrets(SECRET),
            Some("1531420618"),
            Some(expected),
            body,
            1_531_420_618,
        );
        assert!(result.is_ok());
    }

    #[test]
    fn a_good_signature_verifies_and_a_tampered_body_does_not() {
        let good = sign(SECRET, &NOW.to_string(), BODY);
        assert!(check(SECRET, NOW, &good, BODY).is_ok());
        let mut tampered = BODY.to_vec();
        tampered[10] ^= 1;
        assert_eq!(
            check(SECRET, NOW, &good, &tampered),
            Err(SlackFault::Mismatch)
        );
        // The timestamp is signed too.
        assert_eq!(
            check(SECRET, NOW + 1, &good, BODY),
            Err(SlackFault::Mismatch)
        );
    }

    #[test]
    fn the_wrong_secret_is_refused_and_any_of_several_verifies() {
        let signed = sign("new-secret", &NOW.to_string(), BODY);
        assert_eq!(check(SECRET, NOW, &signed, BODY), Err(SlackFault::Mismatch));
        let rotating = format!("{SECRET},new-secret");
        assert!(check(&rotating, NOW, &signed, BODY).is_ok());
    }

    #[test]
    fn timestamps_more_than_five_minutes_off_either_way_are_stale() {
        for (ts, ok) in [
            (NOW - 300, true),
            (NOW + 300, true),
            (NOW - 301, false),
            (NOW + 301, false),
        ] {
            let signed = sign(SECRET, &ts.to_string(), BODY);
            let result = check(SECRET, ts, &signed, BODY);
            assert_eq!(result.is_ok(), ok, "{ts}: {result:?}");
            if !ok {
                assert_eq!(
                    result,
                    Err(SlackFault::Stale {
                        skew_secs: ts - NOW
                    })
                );
                assert!(
                    SlackFault::Stale { skew_secs: 301 }
                        .to_string()
                        .contains("clock")
                );
            }
        }
    }

    #[test]
    fn missing_and_malformed_headers_are_told_apart() {
        let s = secrets(SECRET);
        let good = sign(SECRET, &NOW.to_string(), BODY);
        let ts = NOW.to_string();
        assert_eq!(
            verify(&s, None, Some(&good), BODY, NOW),
            Err(SlackFault::Unsigned)
        );
        assert_eq!(
            verify(&s, Some(&ts), None, BODY, NOW),
            Err(SlackFault::Unsigned)
        );
        for (ts, sig) in [
            ("+1795420800", good.as_str()),
            ("soon", good.as_str()),
            (ts.as_str(), "v1=00"),
            (ts.as_str(), "v0=zz"),
            (ts.as_str(), &good[..20]),
        ] {
            assert_eq!(
                verify(&s, Some(ts), Some(sig), BODY, NOW),
                Err(SlackFault::Malformed),
                "{ts} {sig}"
            );
        }
    }

    #[test]
    fn a_signature_is_taken_once_within_ten_minutes() {
        let replays = Replays::default();
        let digest = [7u8; 32];
        assert_eq!(replays.first_time(digest, NOW), Ok(()));
        assert_eq!(
            replays.first_time(digest, NOW + 599),
            Err(SlackFault::Replay)
        );
        assert_eq!(replays.first_time([8u8; 32], NOW + 700), Ok(()));
        // Pruned by then: the timestamp it came with is stale anyway.
        assert_eq!(replays.first_time(digest, NOW + 700), Ok(()));
    }

    #[test]
    fn faults_never_show_a_secret() {
        let signed = sign("other", &NOW.to_string(), BODY);
        let fault = check(SECRET, NOW, &signed, BODY).unwrap_err();
        assert!(!fault.to_string().contains(SECRET));
        assert!(fault.to_string().contains("Signing Secret"));
    }
}
