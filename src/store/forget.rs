//! Forgetting a person: what is kept about them goes, a salted hash of
//! their login stays so that they are not collected again.

use super::StoreError;
use super::insights::recount;
use super::sql::{Sql, Step, first_text, params, parse_sightings};
use crate::time::Millis;
use sha2::{Digest, Sha256};

/// What forgetting a person erased.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Forgotten {
    pub sightings: u64,
    pub corrections: u64,
    pub tenures: u64,
    pub profiles: u64,
}

pub(super) const SALT: &str = "forget_salt";

/// The salted hash kept of a forgotten login.
pub(super) fn login_hash(salt: &str, login: &str) -> String {
    let mut hash = Sha256::new();
    hash.update(salt.as_bytes());
    hash.update(b":");
    hash.update(login.to_lowercase().as_bytes());
    hex::encode(hash.finalize())
}

/// `$1` the delivery of a forgotten person's sighting.
const FORGET_DELIVERY: [&str; 3] = [
    "DELETE FROM actions WHERE delivery_id = $1",
    "UPDATE deliveries SET payload = '{}' WHERE id = $1",
    "DELETE FROM sighting_channels WHERE delivery_id = $1",
];

/// `$1` a forgotten login, lowercased. The counts of [`Forgotten`] are
/// those of steps 0 to 2.
const FORGET_PERSON: [&str; 5] = [
    "DELETE FROM corrections WHERE login = $1",
    "DELETE FROM tenures WHERE login = $1",
    "DELETE FROM actors WHERE login = $1",
    "DELETE FROM sighting_topics WHERE delivery_id IN \
     (SELECT delivery_id FROM sightings WHERE LOWER(login) = $1)",
    "DELETE FROM sightings WHERE LOWER(login) = $1",
];

pub(super) async fn forget<S: Sql>(
    store: &S,
    login: &str,
    now: Millis,
) -> Result<Forgotten, StoreError> {
    let login = login.to_lowercase();
    let salt = hex::encode(rand_bytes());
    store
        .execute(
            "INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
            params![SALT, salt],
        )
        .await?;
    let salt = store
        .row(
            "SELECT value FROM settings WHERE name = $1",
            params![SALT],
            first_text,
        )
        .await?
        .ok_or_else(|| StoreError::UnknownValue {
            table: "settings",
            column: "value",
            value: format!("{SALT} (missing)"),
        })?;
    let rows = store
        .rows(
            "SELECT data FROM sightings WHERE LOWER(login) = $1".to_string(),
            params![&login],
            first_text,
        )
        .await?;
    let sightings = parse_sightings(rows);
    let mut steps = Vec::new();
    for s in &sightings {
        steps.extend(
            FORGET_DELIVERY
                .iter()
                .map(|sql| Step::new(sql, params![&s.delivery_id])),
        );
    }
    let first = steps.len();
    steps.extend(
        FORGET_PERSON
            .iter()
            .map(|sql| Step::new(sql, params![&login])),
    );
    for s in &sightings {
        steps.extend(recount(s));
    }
    steps.push(Step::new(
        "INSERT INTO forgotten (hash, at) VALUES ($1, $2) ON CONFLICT (hash) DO NOTHING",
        params![login_hash(&salt, &login), now],
    ));
    let changed = store.transaction(steps).await?;
    let n = |i: usize| changed.get(first + i).copied().unwrap_or(0);
    Ok(Forgotten {
        corrections: n(0),
        tenures: n(1),
        profiles: n(2),
        sightings: n(4),
    })
}

fn rand_bytes() -> [u8; 32] {
    let mut bytes = [0u8; 32];
    // Without the system's randomness the salt falls back to the clock and
    // the process: still not a login anyone can look up in a table.
    if getrandom::getrandom(&mut bytes).is_err() {
        let seed = format!("{}:{}", crate::time::now_ms(), std::process::id());
        bytes.copy_from_slice(&Sha256::digest(seed.as_bytes()));
    }
    bytes
}
