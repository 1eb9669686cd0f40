-- The dashboard's queries. Every stored sighting names an account or an
-- organization, so every group has a name to show: `name` keeps it.
ALTER TABLE sightings ADD COLUMN name TEXT;
UPDATE sightings SET name = COALESCE(account, organization) WHERE name IS NULL;

-- Raw sightings by period, by event and by repository (the filtered views
-- and the partial days at the edges of a period), and by person.
CREATE INDEX sightings_window ON sightings (at, group_key, tier, event, repository, login, name, account);
CREATE INDEX sightings_by_event ON sightings (event, at, group_key, tier, repository, login, name, account);
CREATE INDEX sightings_by_repository ON sightings (repository, at, group_key, tier, event, login, name, account);
CREATE INDEX sightings_person ON sightings (group_key, login, at, tier);

-- Sightings per UTC day, group and tier ('' for none), counted by event:
-- the overview of whole days reads these instead of every sighting.
-- `record_sighting` keeps them up to date; `purge` rebuilds the day it cuts.
CREATE TABLE group_days (
    day           BIGINT NOT NULL,   -- at / 86400000
    group_key     TEXT NOT NULL,
    tier          TEXT NOT NULL,
    name          TEXT NOT NULL,     -- of the day's latest sighting
    account       TEXT,
    issues        BIGINT NOT NULL,
    pull_requests BIGINT NOT NULL,
    discussions   BIGINT NOT NULL,
    comments      BIGINT NOT NULL,
    stars         BIGINT NOT NULL,
    forks         BIGINT NOT NULL,
    first_at      BIGINT NOT NULL,
    last_at       BIGINT NOT NULL,
    PRIMARY KEY (day, group_key, tier)
);
CREATE INDEX group_days_scan ON group_days (day, group_key, tier, name, account, issues,
    pull_requests, discussions, comments, stars, forks, first_at, last_at);

-- Each person of each group, first and last seen: the people of a period are
-- counted without reading their sightings when they fall wholly inside it.
CREATE TABLE group_people (
    group_key TEXT NOT NULL,
    login     TEXT NOT NULL,
    first_at  BIGINT NOT NULL,
    last_at   BIGINT NOT NULL,
    PRIMARY KEY (group_key, login)
);

-- Repositories and tiers ('' for none) seen per UTC day, for the filter lists.
CREATE TABLE facet_days (
    day        BIGINT NOT NULL,
    repository TEXT NOT NULL,
    tier       TEXT NOT NULL,
    sightings  BIGINT NOT NULL,
    PRIMARY KEY (day, repository, tier)
);

INSERT INTO group_days (day, group_key, tier, name, account, issues, pull_requests,
    discussions, comments, stars, forks, first_at, last_at)
SELECT at / 86400000, group_key, COALESCE(tier, ''), MAX(name), MAX(account),
    SUM(CASE WHEN event = 'issues.opened' THEN 1 ELSE 0 END),
    SUM(CASE WHEN event = 'pull_request.opened' THEN 1 ELSE 0 END),
    SUM(CASE WHEN event = 'discussion.created' THEN 1 ELSE 0 END),
    SUM(CASE WHEN event = 'issue_comment.created' THEN 1 ELSE 0 END),
    SUM(CASE WHEN event = 'star.created' THEN 1 ELSE 0 END),
    SUM(CASE WHEN event = 'fork' THEN 1 ELSE 0 END),
    MIN(at), MAX(at)
FROM sightings GROUP BY at / 86400000, group_key, COALESCE(tier, '');

INSERT INTO group_people (group_key, login, first_at, last_at)
SELECT group_key, login, MIN(at), MAX(at) FROM sightings GROUP BY group_key, login;

INSERT INTO facet_days (day, repository, tier, sightings)
SELECT at / 86400000, repository, COALESCE(tier, ''), COUNT(*)
FROM sightings GROUP BY at / 86400000, repository, COALESCE(tier, '');
