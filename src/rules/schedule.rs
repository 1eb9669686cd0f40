//! When the digest is sent: `every: monday 09:00` (weekly) or `day 09:00`
//! (daily), in an IANA time zone. Pure: the caller supplies the time.

use crate::time::Millis;
use jiff::Timestamp;
use jiff::civil::{Date, DateTime, Time, Weekday};
use jiff::tz::TimeZone;

const DAYS: [(&str, Weekday); 7] = [
    ("monday", Weekday::Monday),
    ("tuesday", Weekday::Tuesday),
    ("wednesday", Weekday::Wednesday),
    ("thursday", Weekday::Thursday),
    ("friday", Weekday::Friday),
    ("saturday", Weekday::Saturday),
    ("sunday", Weekday::Sunday),
];

/// A weekly or daily time of day in a time zone.
#[derive(Debug, Clone)]
pub struct Schedule {
    /// `None`: every day.
    day: Option<Weekday>,
    time: Time,
    zone: TimeZone,
    every: String,
    zone_name: String,
}

impl PartialEq for Schedule {
    fn eq(&self, other: &Self) -> bool {
        self.every == other.every && self.zone_name == other.zone_name
    }
}

impl Schedule {
    /// Parses `every` (`monday 09:00`, `day 18:30`).
    pub fn parse_every(every: &str) -> Result<(Option<Weekday>, Time), String> {
        let bad = || {
            format!(
                "`{every}` is not a schedule: write a day and a 24-hour time, e.g. `monday 09:00`, or `day 09:00` for every day"
            )
        };
        let mut words = every.split_whitespace();
        let (Some(day), Some(clock), None) = (words.next(), words.next(), words.next()) else {
            return Err(bad());
        };
        let day = day.to_lowercase();
        let day = if day == "day" {
            None
        } else {
            Some(
                DAYS.iter()
                    .find(|(name, _)| *name == day)
                    .map(|(_, d)| *d)
                    .ok_or_else(bad)?,
            )
        };
        let (h, m) = clock.split_once(':').ok_or_else(bad)?;
        let two_digits = |s: &str| s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit());
        if !(1..=2).contains(&h.len()) || !h.bytes().all(|b| b.is_ascii_digit()) || !two_digits(m) {
            return Err(bad());
        }
        let hour: i8 = h.parse().map_err(|_| bad())?;
        let minute: i8 = m.parse().map_err(|_| bad())?;
        let time = Time::new(hour, minute, 0, 0).map_err(|_| bad())?;
        Ok((day, time))
    }

    /// Looks up an IANA time zone name (`Europe/Berlin`, `UTC`).
    pub fn parse_zone(name: &str) -> Result<TimeZone, String> {
        TimeZone::get(name).map_err(|_| {
            format!(
                "`{name}` is not a time zone orgradar knows: write an IANA name such as `Europe/Berlin`, `America/New_York` or `UTC`"
            )
        })
    }

    /// A schedule from the text of `every` and `timezone`.
    pub fn new(every: &str, zone_name: &str) -> Result<Self, String> {
        let (day, time) = Self::parse_every(every)?;
        let zone = Self::parse_zone(zone_name)?;
        Ok(Self {
            day,
            time,
            zone,
            every: every.trim().to_string(),
            zone_name: zone_name.to_string(),
        })
    }

    /// The IANA name of the time zone (`UTC` unless app.yml names one).
    pub fn zone_name(&self) -> &str {
        &self.zone_name
    }

    /// As written: `monday 09:00 Europe/Berlin`.
    pub fn describe(&self) -> String {
        format!("{} {}", self.every, self.zone_name)
    }

    /// The most recent scheduled instant at or before `t`. A time of day
    /// that a change to summer time skips is taken as the same length of
    /// time after the change (02:30 → 03:30); one that occurs twice, as the
    /// first. Instants beyond the years −9999 to 9999 give `Millis::MIN`.
    pub fn latest_at_or_before(&self, t: Millis) -> Millis {
        self.search(t).unwrap_or(Millis::MIN)
    }

    /// The occurrence before `occurrence` (more precisely: the latest
    /// scheduled instant strictly before it).
    pub fn previous(&self, occurrence: Millis) -> Millis {
        match occurrence.checked_sub(1) {
            Some(t) => self.latest_at_or_before(t),
            None => Millis::MIN,
        }
    }

    fn search(&self, t: Millis) -> Option<Millis> {
        let now = Timestamp::from_millisecond(t).ok()?;
        let mut date: Date = now.to_zoned_datetime(self.zone.clone()).date();
        // A week and a day covers a weekly schedule whose slot on t's own
        // date is still ahead.
        for _ in 0..9 {
            if self.day.is_none_or(|d| date.weekday() == d) {
                let at = DateTime::from_parts(date, self.time)
                    .to_zoned_datetime(self.zone.clone())
                    .ok()?
                    .timestamp()
                    .as_millisecond();
                if at <= t {
                    return Some(at);
                }
            }
            date = date.yesterday().ok()?;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(text: &str) -> Millis {
        text.parse::<Timestamp>().unwrap().as_millisecond()
    }

    #[test]
    fn weekly_in_berlin_across_the_spring_change() {
        // Summer time began on Sunday 2025-03-30 at 02:00 CET.
        let s = Schedule::new("monday 09:00", "Europe/Berlin").unwrap();
        let after = ms("2025-03-31T07:30:00Z"); // Monday 09:30 CEST
        let this = s.latest_at_or_before(after);
        assert_eq!(this, ms("2025-03-31T07:00:00Z")); // 09:00 CEST
        assert_eq!(s.latest_at_or_before(this), this);
        let before = s.previous(this);
        assert_eq!(before, ms("2025-03-24T08:00:00Z")); // 09:00 CET
        assert_eq!(this - before, (7 * 24 - 1) * 3_600_000);
        assert_eq!(s.previous(before), ms("2025-03-17T08:00:00Z"));
    }

    #[test]
    fn weekly_in_berlin_across_the_autumn_change() {
        // Summer time ended on Sunday 2025-10-26 at 03:00 CEST.
        let s = Schedule::new("monday 09:00", "Europe/Berlin").unwrap();
        let this = s.latest_at_or_before(ms("2025-10-29T12:00:00Z"));
        assert_eq!(this, ms("2025-10-27T08:00:00Z")); // 09:00 CET
        assert_eq!(s.previous(this), ms("2025-10-20T07:00:00Z")); // 09:00 CEST
    }

    #[test]
    fn daily_at_a_time_the_change_skips_or_repeats() {
        let s = Schedule::new("day 02:30", "Europe/Berlin").unwrap();
        // 02:30 does not exist on 2025-03-30: taken as 03:30 CEST (01:30Z).
        let spring = s.latest_at_or_before(ms("2025-03-30T12:00:00Z"));
        assert_eq!(spring, ms("2025-03-30T01:30:00Z"));
        assert_eq!(s.previous(spring), ms("2025-03-29T01:30:00Z")); // 02:30 CET
        // 02:30 happens twice on 2025-10-26: the first (CEST) counts.
        let autumn = s.latest_at_or_before(ms("2025-10-26T12:00:00Z"));
        assert_eq!(autumn, ms("2025-10-26T00:30:00Z"));
        assert_eq!(s.previous(autumn), ms("2025-10-25T00:30:00Z"));
    }

    #[test]
    fn before_the_slot_on_the_same_day_gives_last_week() {
        let s = Schedule::new("Monday 9:00", "UTC").unwrap();
        let t = ms("2025-06-02T08:59:59Z"); // a Monday
        assert_eq!(s.latest_at_or_before(t), ms("2025-05-26T09:00:00Z"));
        assert_eq!(
            s.latest_at_or_before(ms("2025-06-02T09:00:00Z")),
            ms("2025-06-02T09:00:00Z")
        );
    }

    #[test]
    fn refuses_what_is_no_schedule() {
        for every in [
            "monday",
            "mon 09:00",
            "day 24:00",
            "day 9:5",
            "friday 09:00 pm",
            "",
        ] {
            let err = Schedule::new(every, "UTC").unwrap_err();
            assert!(err.contains("is not a schedule"), "{every}: {err}");
        }
        let err = Schedule::new("day 09:00", "Europe/Berlinn").unwrap_err();
        assert!(err.contains("IANA"), "{err}");
    }
}
