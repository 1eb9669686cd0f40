//! The SQL both stores run for the dashboard, written once with `$N`
//! placeholders (SQLite reads them as `?N`, see [`for_sqlite`]).
//!
//! Why rollups: a 90-day overview of a busy installation covers hundreds of
//! thousands of sightings, and grouping them on every page view takes
//! seconds on SQLite. So `record_sighting` also keeps `group_days` (per UTC
//! day, group and tier: counts by event, first and last seen), `facet_days`
//! (repositories and tiers per day) and `group_people` (each person's first
//! and last sighting). An overview reads whole days from those and only the
//! partial days at the edges of its period from `sightings`. A repository or
//! event filter is not in the rollups: those views read the sightings through
//! an index that leads with the filtered column, which narrows them enough.

use crate::dashboard::model::Filter;
use crate::time::Millis;

pub(super) const DAY: Millis = 86_400_000;

/// A query parameter.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Param {
    Int(i64),
    Text(String),
}

/// `$N` placeholders as SQLite's `?N`.
pub(super) fn for_sqlite(sql: &str) -> String {
    sql.replace('$', "?")
}

/// The highest `$N` in `sql`: how many parameters it takes.
pub(super) fn parameters(sql: &str) -> usize {
    sql.split('$')
        .skip(1)
        .filter_map(|rest| {
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            digits.parse().ok()
        })
        .max()
        .unwrap_or(0)
}

/// A `WHERE` clause over `sightings` and its parameters.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Conditions {
    pub sql: String,
    pub params: Vec<Param>,
}

impl Conditions {
    /// Sightings in `[from, to)` matching the filter's repository, event and
    /// tier, of group `group` when given.
    pub fn new(group: Option<&str>, from: Millis, to: Millis, filter: &Filter) -> Self {
        let mut c = Conditions {
            sql: String::new(),
            params: Vec::new(),
        };
        if let Some(key) = group {
            c.push("group_key =", Param::Text(key.to_string()));
        }
        c.push("at >=", Param::Int(from));
        c.push("at <", Param::Int(to));
        if let Some(repository) = &filter.repository {
            c.push("repository =", Param::Text(repository.clone()));
        }
        if let Some(event) = filter.event {
            c.push("event =", Param::Text(event.as_str().to_string()));
        }
        if let Some(tier) = &filter.tier {
            c.push("lower(tier) =", Param::Text(tier.to_lowercase()));
        }
        c
    }

    fn push(&mut self, test: &str, param: Param) {
        self.params.push(param);
        if !self.sql.is_empty() {
            self.sql.push_str(" AND ");
        }
        self.sql.push_str(&format!("{test} ${}", self.params.len()));
    }
}

/// How an overview reads its period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Plan {
    /// Read from `sightings`: the partial day at the start (or the whole
    /// period when the rollups cannot serve the filter).
    pub head: (Millis, Millis),
    /// Whole UTC days `[first, end)` read from the rollups, if any.
    pub days: Option<(i64, i64)>,
    /// Read from `sightings`: the partial day at the end.
    pub tail: (Millis, Millis),
}

impl Plan {
    pub fn of(filter: &Filter) -> Plan {
        let (from, to) = (filter.from, filter.to.max(filter.from));
        let raw = Plan {
            head: (from, to),
            days: None,
            tail: (to, to),
        };
        if filter.repository.is_some() || filter.event.is_some() {
            return raw;
        }
        let first = from.div_euclid(DAY) + i64::from(from.rem_euclid(DAY) != 0);
        let end = to.div_euclid(DAY);
        if first >= end {
            return raw;
        }
        Plan {
            head: (from, first * DAY),
            days: Some((first, end)),
            tail: (end * DAY, to),
        }
    }
}

/// The columns of a day row: day, group, tier ('' for none), name, account,
/// the six counts in `EventCounts` order, first and last seen.
const DAY_COLUMNS: &str = "day, group_key, tier, name, account, issues, pull_requests, \
     discussions, comments, stars, forks, first_at, last_at";

/// Day rows computed from `sightings`.
pub(super) fn raw_days(c: &Conditions) -> String {
    format!(
        "SELECT at / 86400000, group_key, COALESCE(tier, ''), COALESCE(MAX(name), group_key), \
         MAX(account), {} FROM sightings WHERE {} \
         GROUP BY at / 86400000, group_key, COALESCE(tier, '')",
        COUNTS_AND_SPAN, c.sql
    )
}

const COUNTS_AND_SPAN: &str = "\
    CAST(SUM(CASE WHEN event = 'issues.opened' THEN 1 ELSE 0 END) AS BIGINT), \
    CAST(SUM(CASE WHEN event = 'pull_request.opened' THEN 1 ELSE 0 END) AS BIGINT), \
    CAST(SUM(CASE WHEN event = 'discussion.created' THEN 1 ELSE 0 END) AS BIGINT), \
    CAST(SUM(CASE WHEN event = 'issue_comment.created' THEN 1 ELSE 0 END) AS BIGINT), \
    CAST(SUM(CASE WHEN event = 'star.created' THEN 1 ELSE 0 END) AS BIGINT), \
    CAST(SUM(CASE WHEN event = 'fork' THEN 1 ELSE 0 END) AS BIGINT), \
    MIN(at), MAX(at)";

/// Day rows from the rollup: `$1` first day, `$2` end day, `$3` tier (lowercased).
pub(super) fn rollup_days(tier: bool) -> String {
    format!(
        "SELECT {DAY_COLUMNS} FROM group_days WHERE day >= $1 AND day < $2{}",
        if tier { " AND lower(tier) = $3" } else { "" }
    )
}

/// (group, people) of `[$1, $2)` from `group_people`, `$3` the tier
/// (lowercased): a person seen only inside the period counts without a
/// look at the sightings; one seen on both sides of a bound is looked up.
pub(super) fn rollup_people(tier: bool) -> String {
    let (inside, tier) = if tier {
        ("", " AND lower(s.tier) = $3")
    } else {
        ("(p.first_at >= $1 AND p.last_at < $2) OR ", "")
    };
    format!(
        "SELECT p.group_key, COUNT(*) FROM group_people p \
         WHERE p.last_at >= $1 AND p.first_at < $2 AND ({inside}EXISTS (\
         SELECT 1 FROM sightings s WHERE s.group_key = p.group_key AND s.login = p.login \
         AND s.at >= $1 AND s.at < $2{tier})) GROUP BY p.group_key"
    )
}

/// (group, people) computed from `sightings`.
pub(super) fn raw_people(c: &Conditions) -> String {
    format!(
        "SELECT group_key, COUNT(DISTINCT login) FROM sightings WHERE {} GROUP BY group_key",
        c.sql
    )
}

/// (repository, tier) pairs seen in whole days `[$1, $2)` and in the partial
/// days `[$3, $4)` and `[$5, $6)`.
pub(super) const FACETS: &str = "\
    SELECT repository, tier FROM facet_days WHERE day >= $1 AND day < $2 \
    UNION SELECT repository, COALESCE(tier, '') FROM sightings WHERE at >= $3 AND at < $4 \
    UNION SELECT repository, COALESCE(tier, '') FROM sightings WHERE at >= $5 AND at < $6";

/// One group's sightings, without their JSON, for its page's counts.
pub(super) fn group_rows(c: &Conditions) -> String {
    format!(
        "SELECT at, login, event, repository, COALESCE(tier, ''), COALESCE(name, group_key), \
         account FROM sightings WHERE {}",
        c.sql
    )
}

/// One group's latest sightings, as JSON.
pub(super) fn group_sightings(c: &Conditions, limit: usize) -> String {
    format!(
        "SELECT data FROM sightings WHERE {} ORDER BY at DESC, delivery_id DESC LIMIT {limit}",
        c.sql
    )
}

/// Adds a new sighting to `group_days`: `$1` day, `$2` group, `$3` tier
/// ('' for none), `$4` name, `$5` account, `$6`..`$11` the counts, `$12` at.
pub(super) const UPSERT_GROUP_DAY: &str = "\
    INSERT INTO group_days (day, group_key, tier, name, account, issues, pull_requests, \
    discussions, comments, stars, forks, first_at, last_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) \
    ON CONFLICT (day, group_key, tier) DO UPDATE SET \
    issues = group_days.issues + excluded.issues, \
    pull_requests = group_days.pull_requests + excluded.pull_requests, \
    discussions = group_days.discussions + excluded.discussions, \
    comments = group_days.comments + excluded.comments, \
    stars = group_days.stars + excluded.stars, \
    forks = group_days.forks + excluded.forks, \
    first_at = CASE WHEN excluded.first_at < group_days.first_at \
        THEN excluded.first_at ELSE group_days.first_at END, \
    name = CASE WHEN excluded.last_at >= group_days.last_at \
        THEN excluded.name ELSE group_days.name END, \
    account = CASE WHEN excluded.last_at >= group_days.last_at \
        THEN excluded.account ELSE group_days.account END, \
    last_at = CASE WHEN excluded.last_at > group_days.last_at \
        THEN excluded.last_at ELSE group_days.last_at END";

/// `$1` day, `$2` repository, `$3` tier ('' for none).
pub(super) const UPSERT_FACET_DAY: &str = "\
    INSERT INTO facet_days (day, repository, tier, sightings) VALUES ($1, $2, $3, 1) \
    ON CONFLICT (day, repository, tier) DO UPDATE SET sightings = facet_days.sightings + 1";

/// `$1` group, `$2` login, `$3` at.
pub(super) const UPSERT_PERSON: &str = "\
    INSERT INTO group_people (group_key, login, first_at, last_at) VALUES ($1, $2, $3, $3) \
    ON CONFLICT (group_key, login) DO UPDATE SET \
    first_at = CASE WHEN excluded.first_at < group_people.first_at \
        THEN excluded.first_at ELSE group_people.first_at END, \
    last_at = CASE WHEN excluded.last_at > group_people.last_at \
        THEN excluded.last_at ELSE group_people.last_at END";

/// After sightings before `$1` are purged: the rollups of the days before
/// `$1`'s day go, and its day (`$2` its start, `$3` its end, `$4` the day) is
/// counted again from what is left of it. A person's `first_at` may then be
/// earlier than their first sighting left, which only costs a look-up.
pub(super) const PURGE_ROLLUPS: [&str; 5] = [
    "DELETE FROM group_days WHERE day <= $4",
    "DELETE FROM facet_days WHERE day <= $4",
    "DELETE FROM group_people WHERE last_at < $1",
    "INSERT INTO group_days (day, group_key, tier, name, account, issues, pull_requests, \
     discussions, comments, stars, forks, first_at, last_at) \
     SELECT at / 86400000, group_key, COALESCE(tier, ''), COALESCE(MAX(name), group_key), \
     MAX(account), \
     CAST(SUM(CASE WHEN event = 'issues.opened' THEN 1 ELSE 0 END) AS BIGINT), \
     CAST(SUM(CASE WHEN event = 'pull_request.opened' THEN 1 ELSE 0 END) AS BIGINT), \
     CAST(SUM(CASE WHEN event = 'discussion.created' THEN 1 ELSE 0 END) AS BIGINT), \
     CAST(SUM(CASE WHEN event = 'issue_comment.created' THEN 1 ELSE 0 END) AS BIGINT), \
     CAST(SUM(CASE WHEN event = 'star.created' THEN 1 ELSE 0 END) AS BIGINT), \
     CAST(SUM(CASE WHEN event = 'fork' THEN 1 ELSE 0 END) AS BIGINT), \
     MIN(at), MAX(at) FROM sightings WHERE at >= $2 AND at < $3 \
     GROUP BY at / 86400000, group_key, COALESCE(tier, '')",
    "INSERT INTO facet_days (day, repository, tier, sightings) \
     SELECT at / 86400000, repository, COALESCE(tier, ''), COUNT(*) FROM sightings \
     WHERE at >= $2 AND at < $3 GROUP BY at / 86400000, repository, COALESCE(tier, '')",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sighting::EventKind;

    fn filter(from: Millis, to: Millis) -> Filter {
        Filter {
            from,
            to,
            repository: None,
            tier: None,
            event: None,
        }
    }

    #[test]
    fn a_period_splits_into_whole_days_and_partial_edges() {
        let p = Plan::of(&filter(DAY + 5, 4 * DAY + 7));
        assert_eq!(p.head, (DAY + 5, 2 * DAY));
        assert_eq!(p.days, Some((2, 4)));
        assert_eq!(p.tail, (4 * DAY, 4 * DAY + 7));
        let aligned = Plan::of(&filter(DAY, 3 * DAY));
        assert_eq!(aligned.days, Some((1, 3)));
        assert_eq!(aligned.head, (DAY, DAY));
        assert_eq!(aligned.tail, (3 * DAY, 3 * DAY));
    }

    #[test]
    fn short_periods_and_unrolled_filters_read_the_sightings() {
        let p = Plan::of(&filter(DAY + 5, 2 * DAY + 5));
        assert_eq!((p.head, p.days), ((DAY + 5, 2 * DAY + 5), None));
        let mut f = filter(0, 10 * DAY);
        f.event = Some(EventKind::Fork);
        assert_eq!(Plan::of(&f).days, None);
    }

    #[test]
    fn conditions_number_their_parameters() {
        let mut f = filter(1, 2);
        f.tier = Some("Enterprise".into());
        let c = Conditions::new(Some("org:acme"), 1, 2, &f);
        assert_eq!(
            c.sql,
            "group_key = $1 AND at >= $2 AND at < $3 AND lower(tier) = $4"
        );
        assert_eq!(c.params[3], Param::Text("enterprise".into()));
        assert_eq!(for_sqlite("a = $1"), "a = ?1");
        assert_eq!(parameters("a = $2 AND b < $12 OR c = $1"), 12);
        assert_eq!(parameters(PURGE_ROLLUPS[0]), 4);
    }
}
