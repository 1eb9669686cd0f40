-- Sightings per UTC day, event, group and tier ('' for none): the overview
-- filtered by an event reads these instead of the sightings.
-- `record_sighting` keeps them up to date; `purge` rebuilds the day it cuts.
CREATE TABLE event_days (
    event     TEXT NOT NULL,
    day       BIGINT NOT NULL,   -- at / 86400000
    group_key TEXT NOT NULL,
    tier      TEXT NOT NULL,
    name      TEXT NOT NULL,     -- of the latest sighting
    account   TEXT,
    sightings BIGINT NOT NULL,
    first_at  BIGINT NOT NULL,
    last_at   BIGINT NOT NULL,
    PRIMARY KEY (event, day, group_key, tier)
);
CREATE INDEX event_days_scan ON event_days (event, day, group_key, tier, name, account,
    sightings, first_at, last_at);

-- Each person of each group by tier and event, first and last seen: the
-- people of a period filtered by tier or event, counted like `group_people`.
CREATE TABLE person_events (
    group_key TEXT NOT NULL,
    login     TEXT NOT NULL,
    tier      TEXT NOT NULL,
    event     TEXT NOT NULL,
    first_at  BIGINT NOT NULL,
    last_at   BIGINT NOT NULL,
    PRIMARY KEY (group_key, login, tier, event)
);

INSERT INTO event_days (event, day, group_key, tier, name, account, sightings, first_at, last_at)
SELECT event, at / 86400000, group_key, COALESCE(tier, ''), COALESCE(MAX(name), group_key),
    MAX(account), COUNT(*), MIN(at), MAX(at)
FROM sightings GROUP BY event, at / 86400000, group_key, COALESCE(tier, '');

INSERT INTO person_events (group_key, login, tier, event, first_at, last_at)
SELECT group_key, login, COALESCE(tier, ''), event, MIN(at), MAX(at)
FROM sightings GROUP BY group_key, login, COALESCE(tier, ''), event;

-- First and last seen are now exact (purge sets `first_at` again), so a
-- person seen first or last inside a period counts without a look-up.
DELETE FROM group_people;
INSERT INTO group_people (group_key, login, first_at, last_at)
SELECT group_key, login, MIN(at), MAX(at) FROM sightings GROUP BY group_key, login;
