//! The dashboard's rollups as sightings are stored and purged (see
//! `query` for why they exist and how an overview reads them).

use super::query::{raw_days_group, raw_days_select};
use crate::sighting::{EventKind, Sighting};
use crate::store::insights::DAY;
use crate::store::sql::{Param, Step, parameters, params};

/// Adds a new sighting to `group_days`: `$1` day, `$2` group, `$3` tier
/// ('' for none), `$4` name, `$5` account, `$6`..`$11` the counts, `$12` at.
pub(crate) const UPSERT_GROUP_DAY: &str = "\
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
pub(crate) const UPSERT_FACET_DAY: &str = "\
    INSERT INTO facet_days (day, repository, tier, sightings) VALUES ($1, $2, $3, 1) \
    ON CONFLICT (day, repository, tier) DO UPDATE SET sightings = facet_days.sightings + 1";

/// `$1` group, `$2` login, `$3` at.
pub(crate) const UPSERT_PERSON: &str = "\
    INSERT INTO group_people (group_key, login, first_at, last_at) VALUES ($1, $2, $3, $3) \
    ON CONFLICT (group_key, login) DO UPDATE SET \
    first_at = CASE WHEN excluded.first_at < group_people.first_at \
        THEN excluded.first_at ELSE group_people.first_at END, \
    last_at = CASE WHEN excluded.last_at > group_people.last_at \
        THEN excluded.last_at ELSE group_people.last_at END";

/// Adds a new sighting to `event_days`: `$1` event, `$2` day, `$3` group,
/// `$4` tier ('' for none), `$5` name, `$6` account, `$7` at.
pub(crate) const UPSERT_EVENT_DAY: &str = "\
    INSERT INTO event_days (event, day, group_key, tier, name, account, sightings, first_at, \
    last_at) VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7) \
    ON CONFLICT (event, day, group_key, tier) DO UPDATE SET \
    sightings = event_days.sightings + 1, \
    first_at = CASE WHEN excluded.first_at < event_days.first_at \
        THEN excluded.first_at ELSE event_days.first_at END, \
    name = CASE WHEN excluded.last_at >= event_days.last_at \
        THEN excluded.name ELSE event_days.name END, \
    account = CASE WHEN excluded.last_at >= event_days.last_at \
        THEN excluded.account ELSE event_days.account END, \
    last_at = CASE WHEN excluded.last_at > event_days.last_at \
        THEN excluded.last_at ELSE event_days.last_at END";

/// `$1` group, `$2` login, `$3` tier ('' for none), `$4` event, `$5` at.
pub(crate) const UPSERT_PERSON_EVENT: &str = "\
    INSERT INTO person_events (group_key, login, tier, event, first_at, last_at) \
    VALUES ($1, $2, $3, $4, $5, $5) \
    ON CONFLICT (group_key, login, tier, event) DO UPDATE SET \
    first_at = CASE WHEN excluded.first_at < person_events.first_at \
        THEN excluded.first_at ELSE person_events.first_at END, \
    last_at = CASE WHEN excluded.last_at > person_events.last_at \
        THEN excluded.last_at ELSE person_events.last_at END";

/// After sightings before `$1` are purged: the day rollups of the days
/// before `$1`'s day go, and its day (`$2` its start, `$3` its end, `$4` the
/// day) is counted again from what is left of it. People last seen before
/// `$1` go; those first seen before it get their first sighting left, so
/// first and last seen stay exact.
pub(crate) const PURGE_ROLLUPS: [&str; 10] = [
    "DELETE FROM group_days WHERE day <= $4",
    "DELETE FROM event_days WHERE day <= $4",
    "DELETE FROM facet_days WHERE day <= $4",
    "DELETE FROM group_people WHERE last_at < $1",
    "DELETE FROM person_events WHERE last_at < $1",
    "UPDATE group_people SET first_at = (SELECT MIN(s.at) FROM sightings s \
     WHERE s.group_key = group_people.group_key AND s.login = group_people.login) \
     WHERE first_at < $1",
    "UPDATE person_events SET first_at = (SELECT MIN(s.at) FROM sightings s \
     WHERE s.group_key = person_events.group_key AND s.login = person_events.login \
     AND COALESCE(s.tier, '') = person_events.tier AND s.event = person_events.event) \
     WHERE first_at < $1",
    concat!(
        "INSERT INTO group_days (day, group_key, tier, name, account, issues, pull_requests, \
         discussions, comments, stars, forks, first_at, last_at) ",
        raw_days_select!(),
        "at >= $2 AND at < $3",
        raw_days_group!()
    ),
    "INSERT INTO event_days (event, day, group_key, tier, name, account, sightings, first_at, \
     last_at) \
     SELECT event, at / 86400000, group_key, COALESCE(tier, ''), COALESCE(MAX(name), group_key), \
     MAX(account), COUNT(*), MIN(at), MAX(at) FROM sightings WHERE at >= $2 AND at < $3 \
     GROUP BY event, at / 86400000, group_key, COALESCE(tier, '')",
    "INSERT INTO facet_days (day, repository, tier, sightings) \
     SELECT at / 86400000, repository, COALESCE(tier, ''), COUNT(*) FROM sightings \
     WHERE at >= $2 AND at < $3 GROUP BY at / 86400000, repository, COALESCE(tier, '')",
];

/// The statements that add a newly stored sighting to the rollups.
pub(crate) fn record(s: &Sighting) -> Vec<Step> {
    let (day, tier) = (s.at.div_euclid(DAY), s.tier.as_deref().unwrap_or(""));
    let (key, name) = (s.group_key(), s.group_name());
    let one = |kind: EventKind| i64::from(s.event == kind);
    vec![
        Step::new(
            UPSERT_GROUP_DAY,
            params![
                day,
                &key,
                tier,
                name,
                &s.account,
                one(EventKind::IssueOpened),
                one(EventKind::PullRequestOpened),
                one(EventKind::DiscussionCreated),
                one(EventKind::IssueCommentCreated),
                one(EventKind::StarCreated),
                one(EventKind::Fork),
                s.at
            ],
        ),
        Step::new(UPSERT_FACET_DAY, params![day, &s.repository, tier]),
        Step::new(UPSERT_PERSON, params![&key, &s.login, s.at]),
        Step::new(
            UPSERT_EVENT_DAY,
            params![s.event.as_str(), day, &key, tier, name, &s.account, s.at],
        ),
        Step::new(
            UPSERT_PERSON_EVENT,
            params![&key, &s.login, tier, s.event.as_str(), s.at],
        ),
    ]
}

/// One group's day counted again from `sightings`: `$1` group, `$2` the
/// day's start, `$3` its end, `$4` the day.
const RECOUNT_GROUP_DAY: [&str; 4] = [
    "DELETE FROM group_days WHERE group_key = $1 AND day = $4",
    concat!(
        "INSERT INTO group_days (day, group_key, tier, name, account, issues, pull_requests, \
         discussions, comments, stars, forks, first_at, last_at) ",
        raw_days_select!(),
        "group_key = $1 AND at >= $2 AND at < $3",
        raw_days_group!()
    ),
    "DELETE FROM event_days WHERE group_key = $1 AND day = $4",
    "INSERT INTO event_days (event, day, group_key, tier, name, account, sightings, first_at, \
     last_at) \
     SELECT event, at / 86400000, group_key, COALESCE(tier, ''), COALESCE(MAX(name), group_key), \
     MAX(account), COUNT(*), MIN(at), MAX(at) FROM sightings \
     WHERE group_key = $1 AND at >= $2 AND at < $3 \
     GROUP BY event, at / 86400000, group_key, COALESCE(tier, '')",
];

/// One repository's day counted again: `$1` repository, `$2` start, `$3`
/// end, `$4` the day.
const RECOUNT_FACET_DAY: [&str; 2] = [
    "DELETE FROM facet_days WHERE repository = $1 AND day = $4",
    "INSERT INTO facet_days (day, repository, tier, sightings) \
     SELECT at / 86400000, repository, COALESCE(tier, ''), COUNT(*) FROM sightings \
     WHERE repository = $1 AND at >= $2 AND at < $3 \
     GROUP BY at / 86400000, repository, COALESCE(tier, '')",
];

/// One person in one group counted again: `$1` group, `$2` login.
const RECOUNT_PERSON: [&str; 4] = [
    "DELETE FROM group_people WHERE group_key = $1 AND login = $2",
    "INSERT INTO group_people (group_key, login, first_at, last_at) \
     SELECT group_key, login, MIN(at), MAX(at) FROM sightings \
     WHERE group_key = $1 AND login = $2 GROUP BY group_key, login",
    "DELETE FROM person_events WHERE group_key = $1 AND login = $2",
    "INSERT INTO person_events (group_key, login, tier, event, first_at, last_at) \
     SELECT group_key, login, COALESCE(tier, ''), event, MIN(at), MAX(at) FROM sightings \
     WHERE group_key = $1 AND login = $2 GROUP BY group_key, login, COALESCE(tier, ''), event",
];

/// The statements that count the rollups `s` was part of again.
pub(crate) fn recount(s: &Sighting) -> Vec<Step> {
    let day = s.at.div_euclid(DAY);
    // Each statement takes the parameters it names (SQLite refuses more).
    let bounds = |sql: &str, first: Param| {
        let all = [
            first,
            Param::Int(day * DAY),
            Param::Int((day + 1) * DAY),
            Param::Int(day),
        ];
        all.into_iter().take(parameters(sql)).collect::<Vec<_>>()
    };
    let group = s.group_key();
    let mut steps: Vec<Step> = RECOUNT_GROUP_DAY
        .iter()
        .map(|sql| Step::new(sql, bounds(sql, Param::from(&group))))
        .collect();
    steps.extend(
        RECOUNT_FACET_DAY
            .iter()
            .map(|sql| Step::new(sql, bounds(sql, Param::from(&s.repository)))),
    );
    steps.extend(
        RECOUNT_PERSON
            .iter()
            .map(|sql| Step::new(sql, params![&group, &s.login])),
    );
    steps
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::sql::parameters;

    #[test]
    fn rollup_statements_take_the_parameters_they_name() {
        assert_eq!(parameters(PURGE_ROLLUPS[0]), 4);
        assert_eq!(parameters(UPSERT_GROUP_DAY), 12);
        assert_eq!(parameters(UPSERT_PERSON_EVENT), 5);
    }
}
