//! The SQL both stores run for the dashboard, written once with `$N`
//! placeholders (SQLite reads them as `?N`, see [`for_sqlite`](crate::store::sql::for_sqlite)).
//!
//! Why rollups: a 90-day overview of a busy installation covers hundreds of
//! thousands of sightings, and grouping them on every page view takes
//! seconds on SQLite. So `record_sighting` also keeps `group_days` (per UTC
//! day, group and tier: counts by event, first and last seen), `event_days`
//! (the same per event, for the views filtered by one), `facet_days`
//! (repositories and tiers per day), `group_people` (each person's first and
//! last sighting) and `person_events` (the same per tier and event). An
//! overview reads whole days from those and only the partial days at the
//! edges of its period from `sightings`. People are counted from their first
//! and last sighting: one whose first or last sighting falls inside the
//! period counts without a look at the sightings, which is everyone for the
//! dashboard's periods (they end now); only a person seen both before and
//! after the period is looked up. A repository filter is not in the rollups:
//! that view reads the sightings through an index that leads with the
//! repository, which narrows it enough.

use super::model::{DAY, Filter};
use crate::store::sql::Param;
use crate::time::Millis;

/// A `WHERE` clause over `sightings` and its parameters.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Conditions {
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
pub(crate) struct Plan {
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
        if filter.repository.is_some() {
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

/// The start of a query for day rows computed from `sightings`, up to its
/// conditions (see [`raw_days`]); a macro, so that constant SQL can be built
/// from it too.
macro_rules! raw_days_select {
    () => {
        "SELECT at / 86400000, group_key, COALESCE(tier, ''), COALESCE(MAX(name), group_key), \
         MAX(account), \
         CAST(SUM(CASE WHEN event = 'issues.opened' THEN 1 ELSE 0 END) AS BIGINT), \
         CAST(SUM(CASE WHEN event = 'pull_request.opened' THEN 1 ELSE 0 END) AS BIGINT), \
         CAST(SUM(CASE WHEN event = 'discussion.created' THEN 1 ELSE 0 END) AS BIGINT), \
         CAST(SUM(CASE WHEN event = 'issue_comment.created' THEN 1 ELSE 0 END) AS BIGINT), \
         CAST(SUM(CASE WHEN event = 'star.created' THEN 1 ELSE 0 END) AS BIGINT), \
         CAST(SUM(CASE WHEN event = 'fork' THEN 1 ELSE 0 END) AS BIGINT), \
         MIN(at), MAX(at) FROM sightings WHERE "
    };
}

/// The end of a query for day rows computed from `sightings`.
macro_rules! raw_days_group {
    () => {
        " GROUP BY at / 86400000, group_key, COALESCE(tier, '')"
    };
}

pub(crate) use {raw_days_group, raw_days_select};

/// Day rows computed from the `sightings` that meet `c`.
pub(crate) fn raw_days(c: &Conditions) -> String {
    format!(concat!(raw_days_select!(), "{}", raw_days_group!()), c.sql)
}

/// Day rows of whole days `[first, end)` from the rollups: `group_days`, or
/// `event_days` when the filter names an event.
pub(crate) fn rollup_days(first: i64, end: i64, filter: &Filter) -> (String, Vec<Param>) {
    let mut params = vec![Param::Int(first), Param::Int(end)];
    let mut sql = match filter.event {
        None => format!("SELECT {DAY_COLUMNS} FROM group_days WHERE day >= $1 AND day < $2"),
        Some(event) => {
            params.push(Param::Text(event.as_str().to_string()));
            format!(
                "SELECT day, group_key, tier, name, account, {}, first_at, last_at \
                 FROM event_days WHERE event = $3 AND day >= $1 AND day < $2",
                EVENT_COLUMNS
                    .iter()
                    .map(|(e, c)| format!(
                        "CASE WHEN event = '{e}' THEN sightings ELSE 0 END AS {c}"
                    ))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
    };
    if let Some(tier) = &filter.tier {
        params.push(Param::Text(tier.to_lowercase()));
        sql.push_str(&format!(" AND lower(tier) = ${}", params.len()));
    }
    (sql, params)
}

/// PostgreSQL: the day rows of `rollup_days` summed up per group, with the
/// name, account and tier of its latest row (day 0). A day's counts fit an
/// INTEGER, whose SUM is a BIGINT (a BIGINT's would be a slower NUMERIC).
pub(crate) fn rollup_groups(days: &str) -> String {
    format!(
        "WITH d AS NOT MATERIALIZED ({days}), g AS (SELECT group_key, \
         SUM(CAST(issues AS INTEGER)) AS issues, \
         SUM(CAST(pull_requests AS INTEGER)) AS pull_requests, \
         SUM(CAST(discussions AS INTEGER)) AS discussions, \
         SUM(CAST(comments AS INTEGER)) AS comments, SUM(CAST(stars AS INTEGER)) AS stars, \
         SUM(CAST(forks AS INTEGER)) AS forks, \
         MIN(first_at) AS first_at, MAX(last_at) AS last_at FROM d GROUP BY group_key) \
         SELECT DISTINCT ON (g.group_key) CAST(0 AS BIGINT), g.group_key, d.tier, d.name, \
         d.account, g.issues, g.pull_requests, g.discussions, g.comments, g.stars, g.forks, \
         g.first_at, g.last_at \
         FROM g JOIN d ON d.group_key = g.group_key AND d.last_at = g.last_at \
         ORDER BY g.group_key, d.tier"
    )
}

/// PostgreSQL: (a day of the week, tier, sightings) per week and tier of
/// the day rows of `rollup_days`.
pub(crate) fn rollup_weeks(days: &str) -> String {
    format!(
        "SELECT MIN(day), tier, SUM(CAST(issues + pull_requests + discussions + comments + \
         stars + forks AS INTEGER)) FROM ({days}) d GROUP BY (day + 3) / 7, tier"
    )
}

/// The events of the six counts of a day row and their columns, in
/// `EventCounts` order.
const EVENT_COLUMNS: [(&str, &str); 6] = [
    ("issues.opened", "issues"),
    ("pull_request.opened", "pull_requests"),
    ("discussion.created", "discussions"),
    ("issue_comment.created", "comments"),
    ("star.created", "stars"),
    ("fork", "forks"),
];

/// (group, people) of the filter's period. From `group_people`, or
/// `person_events` when the filter names a tier or an event: a person whose
/// first or last sighting falls inside the period counts as is; one seen
/// only before and after it is looked up in the sightings. A repository
/// filter counts from the sightings.
pub(crate) fn people(filter: &Filter) -> (String, Vec<Param>) {
    if filter.repository.is_some() {
        let c = Conditions::new(None, filter.from, filter.to, filter);
        return (raw_people(&c), c.params);
    }
    let mut params = vec![Param::Int(filter.from), Param::Int(filter.to)];
    let inside = "p.last_at >= $1 AND p.first_at < $2 AND \
                  (p.first_at >= $1 OR p.last_at < $2 OR EXISTS (SELECT 1 FROM sightings s \
                  WHERE s.group_key = p.group_key AND s.login = p.login \
                  AND s.at >= $1 AND s.at < $2";
    if filter.tier.is_none() && filter.event.is_none() {
        return (
            format!(
                "SELECT p.group_key, COUNT(*) FROM group_people p WHERE {inside})) GROUP BY p.group_key"
            ),
            params,
        );
    }
    let mut tests = String::new();
    if let Some(event) = filter.event {
        params.push(Param::Text(event.as_str().to_string()));
        tests.push_str(&format!(" AND p.event = ${}", params.len()));
    }
    if let Some(tier) = &filter.tier {
        params.push(Param::Text(tier.to_lowercase()));
        tests.push_str(&format!(" AND lower(p.tier) = ${}", params.len()));
    }
    (
        format!(
            "SELECT p.group_key, COUNT(DISTINCT p.login) FROM person_events p WHERE {inside} \
             AND COALESCE(s.tier, '') = p.tier AND s.event = p.event)){tests} GROUP BY p.group_key"
        ),
        params,
    )
}

/// (group, people) computed from `sightings`.
fn raw_people(c: &Conditions) -> String {
    format!(
        "SELECT group_key, COUNT(DISTINCT login) FROM sightings WHERE {} GROUP BY group_key",
        c.sql
    )
}

/// (repository, tier) pairs seen in whole days `[$1, $2)` and in the partial
/// days `[$3, $4)` and `[$5, $6)`.
pub(crate) const FACETS: &str = "\
    SELECT repository, tier FROM facet_days WHERE day >= $1 AND day < $2 \
    UNION SELECT repository, COALESCE(tier, '') FROM sightings WHERE at >= $3 AND at < $4 \
    UNION SELECT repository, COALESCE(tier, '') FROM sightings WHERE at >= $5 AND at < $6";

/// One group's sightings, without their JSON, for its page's counts.
pub(crate) fn group_rows(c: &Conditions) -> String {
    format!(
        "SELECT at, login, event, repository, COALESCE(tier, ''), COALESCE(name, group_key), \
         account FROM sightings WHERE {}",
        c.sql
    )
}

/// One group's latest sightings, as JSON.
pub(crate) fn group_sightings(c: &Conditions, limit: usize) -> String {
    format!(
        "SELECT data FROM sightings WHERE {} ORDER BY at DESC, delivery_id DESC LIMIT {limit}",
        c.sql
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sighting::EventKind;
    use crate::store::sql::parameters;

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
        f.repository = Some("acme/widgets".into());
        assert_eq!(Plan::of(&f).days, None);
        f.repository = None;
        f.event = Some(EventKind::Fork);
        assert_eq!(Plan::of(&f).days, Some((0, 10)));
    }

    #[test]
    fn rollup_queries_number_their_parameters() {
        let mut f = filter(DAY, 3 * DAY);
        let (sql, params) = rollup_days(1, 3, &f);
        assert!(sql.contains("FROM group_days"));
        assert_eq!((parameters(&sql), params.len()), (2, 2));
        let (sql, params) = people(&f);
        assert!(sql.contains("FROM group_people"));
        assert_eq!((parameters(&sql), params.len()), (2, 2));

        f.event = Some(EventKind::Fork);
        f.tier = Some("Growth".into());
        let (sql, params) = rollup_days(1, 3, &f);
        assert!(sql.contains("FROM event_days WHERE event = $3"));
        assert!(sql.ends_with("lower(tier) = $4"));
        assert_eq!(params[2], Param::Text("fork".into()));
        assert_eq!(params[3], Param::Text("growth".into()));
        assert_eq!(parameters(&sql), params.len());
        let (sql, params) = people(&f);
        assert!(sql.contains("FROM person_events"));
        assert!(sql.contains("p.event = $3 AND lower(p.tier) = $4"));
        assert_eq!(parameters(&sql), params.len());

        f.repository = Some("acme/widgets".into());
        let (sql, params) = people(&f);
        assert!(sql.contains("FROM sightings"));
        assert_eq!(parameters(&sql), params.len());
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
    }
}
