//! The organizations a person was seen at, and when a person known at one
//! shows up at another: a job change.

use crate::time::Millis;
use serde::{Deserialize, Serialize};

/// One organization a person was seen at, from the first sighting there to
/// the last.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tenure {
    /// `account:ID` or `org:name`, as sightings group.
    pub key: String,
    /// The account's display name, or the organization's.
    pub name: String,
    pub account: Option<String>,
    pub first_at: Millis,
    pub last_at: Millis,
}

/// A person seen at a new organization after an earlier one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Moved {
    /// Where they were last seen before.
    pub from: Tenure,
    /// Where they are now: key, name and account.
    pub to_key: String,
    pub to_name: String,
    pub to_account: Option<String>,
}

/// How long a person seen at two organizations in turn is taken to work at
/// both (a contractor, a consultancy and its client) rather than to have
/// moved back: 30 days.
pub const BOTH_WITHIN_MS: Millis = 30 * 86_400_000;

/// Whether a person now seen at `to_key` (named `to_name`, account
/// `to_account`) at `at` moved there, given `tenures` (any order). A move
/// is from the organization they were last seen at, when that was another
/// and not after `at`; seeing them again at an organization they were seen
/// at in the last [`BOTH_WITHIN_MS`] is not one.
pub fn moved(
    tenures: &[Tenure],
    to_key: &str,
    to_name: &str,
    to_account: Option<&str>,
    at: Millis,
) -> Option<Moved> {
    let latest = tenures
        .iter()
        .filter(|t| t.last_at <= at)
        .max_by_key(|t| t.last_at)?;
    if latest.key == to_key {
        return None;
    }
    let recently_there = tenures
        .iter()
        .any(|t| t.key == to_key && at - t.last_at <= BOTH_WITHIN_MS);
    if recently_there {
        return None;
    }
    Some(Moved {
        from: latest.clone(),
        to_key: to_key.to_string(),
        to_name: to_name.to_string(),
        to_account: to_account.map(str::to_string),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: Millis = 86_400_000;

    fn at(key: &str, first: Millis, last: Millis) -> Tenure {
        Tenure {
            key: key.into(),
            name: key.trim_start_matches("account:").into(),
            account: None,
            first_at: first * DAY,
            last_at: last * DAY,
        }
    }

    #[test]
    fn a_person_seen_elsewhere_after_an_earlier_organization_moved() {
        let seen = [at("account:globex", 10, 200)];
        let m = moved(&seen, "account:acme", "Acme", Some("acme"), 300 * DAY).unwrap();
        assert_eq!(m.from.key, "account:globex");
        assert_eq!(m.to_account.as_deref(), Some("acme"));
    }

    #[test]
    fn the_same_organization_a_first_sighting_or_a_recent_second_one_is_no_move() {
        let seen = [at("account:globex", 10, 200)];
        assert!(moved(&seen, "account:globex", "G", None, 300 * DAY).is_none());
        assert!(moved(&[], "account:acme", "A", None, 300 * DAY).is_none());
        // Seen at Acme ten days ago, then at Globex, now at Acme again.
        let both = [at("account:acme", 1, 290), at("account:globex", 295, 299)];
        assert!(moved(&both, "account:acme", "A", None, 300 * DAY).is_none());
        // A sighting older than what is known (a late delivery) moves nobody.
        assert!(moved(&seen, "account:acme", "A", None, 100 * DAY).is_none());
    }
}
