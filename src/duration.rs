//! Durations written the way people write them in app.yml: `90s`, `15m`, `24h`, `7d`.
//!
//! Hand-written on purpose: humantime would also take `1.5h`, `10 years`
//! (365.25 days) and `1M` (30.44 days), and jiff's `SignedDuration` refuses
//! `7d` while its `Span` takes `-3s`, `1.5h` and ISO 8601; a whole number and
//! one of five units is what app.yml documents and what the errors ask for.

use serde::{Deserialize, Deserializer};
use std::fmt;

/// A duration read from text such as `500ms`, `30s`, `15m`, `24h` or `7d`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Duration(pub std::time::Duration);

impl Duration {
    pub const fn from_secs(secs: u64) -> Self {
        Self(std::time::Duration::from_secs(secs))
    }

    /// Parses `<number><unit>` with unit one of ms, s, m, h, d.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let split = text
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(text.len());
        let (digits, unit) = text.split_at(split);
        let expected = || {
            format!(
                "`{text}` is not a duration: write a whole number and a unit, e.g. 500ms, 30s, 15m, 24h or 7d"
            )
        };
        let n: u64 = digits.parse().map_err(|_| expected())?;
        let ms_per_unit: u64 = match unit.trim() {
            "ms" => 1,
            "s" => 1_000,
            "m" => 60_000,
            "h" => 3_600_000,
            "d" => 86_400_000,
            _ => return Err(expected()),
        };
        let ms = n.checked_mul(ms_per_unit).ok_or_else(expected)?;
        Ok(Self(std::time::Duration::from_millis(ms)))
    }

    pub fn as_millis_i64(&self) -> i64 {
        i64::try_from(self.0.as_millis()).unwrap_or(i64::MAX)
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ms = self.0.as_millis();
        let units = [
            (86_400_000, "d"),
            (3_600_000, "h"),
            (60_000, "m"),
            (1_000, "s"),
        ];
        for (size, unit) in units {
            if ms >= size && ms.is_multiple_of(size) {
                return write!(f, "{}{unit}", ms / size);
            }
        }
        write!(f, "{ms}ms")
    }
}

impl<'de> Deserialize<'de> for Duration {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Duration::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::Duration;

    #[test]
    fn parses_every_unit_and_prints_back() {
        for (text, ms, shown) in [
            ("500ms", 500, "500ms"),
            ("30s", 30_000, "30s"),
            ("90s", 90_000, "90s"),
            ("15m", 900_000, "15m"),
            ("36h", 129_600_000, "36h"),
            ("24h", 86_400_000, "1d"),
            ("7d", 604_800_000, "7d"),
        ] {
            let d = Duration::parse(text).unwrap();
            assert_eq!(d.0.as_millis(), ms);
            assert_eq!(d.to_string(), shown);
        }
    }

    #[test]
    fn refuses_what_is_not_a_duration() {
        for text in [
            "",
            "10",
            "s",
            "1.5h",
            "-3s",
            "10 years",
            "99999999999999999999d",
        ] {
            let err = Duration::parse(text).unwrap_err();
            assert!(err.contains("e.g. 500ms"), "{text}: {err}");
        }
    }
}
