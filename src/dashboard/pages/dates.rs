//! Dates as the dashboard shows them, all in UTC.

pub use crate::dashboard::model::{DAY, week_start};
use crate::time::{Millis, rfc3339};

pub const WEEK: Millis = 7 * DAY;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// `YYYY-MM-DD`.
pub fn day(ms: Millis) -> String {
    let mut text = rfc3339(ms);
    text.truncate(10);
    text
}

/// `Mar 2`: a week's label on the chart.
pub fn short_day(ms: Millis) -> String {
    let text = day(ms);
    let month = text
        .get(5..7)
        .and_then(|m| m.parse::<usize>().ok())
        .and_then(|m| MONTHS.get(m.wrapping_sub(1)));
    let day_of_month = text.get(8..10).and_then(|d| d.parse::<u32>().ok());
    match (month, day_of_month) {
        (Some(m), Some(d)) => format!("{m} {d}"),
        _ => text,
    }
}

/// How long before `now` `ms` was, in words: `today`, `yesterday`, `12 days ago`.
pub fn ago(now: Millis, ms: Millis) -> String {
    let days = now.div_euclid(DAY) - ms.div_euclid(DAY);
    match days {
        i64::MIN..=0 => "today".to_string(),
        1 => "yesterday".to_string(),
        n => format!("{n} days ago"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // 2026-03-04T12:00:00Z, a Wednesday.
    const WEDNESDAY: Millis = 1_772_625_600_000;

    #[test]
    fn formats_days() {
        assert_eq!(day(WEDNESDAY), "2026-03-04");
        assert_eq!(short_day(WEDNESDAY), "Mar 4");
    }

    #[test]
    fn weeks_start_on_monday() {
        assert_eq!(day(week_start(WEDNESDAY)), "2026-03-02");
        let monday = week_start(WEDNESDAY);
        assert_eq!(week_start(monday), monday);
        assert_eq!(week_start(monday - 1), monday - WEEK);
    }

    #[test]
    fn says_how_long_ago() {
        assert_eq!(ago(WEDNESDAY, WEDNESDAY - 1000), "today");
        assert_eq!(ago(WEDNESDAY, WEDNESDAY - DAY), "yesterday");
        assert_eq!(ago(WEDNESDAY, WEDNESDAY - 12 * DAY), "12 days ago");
    }
}
