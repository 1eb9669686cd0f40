-- The action ledger: every action orgradar takes for a delivery (a label, a
-- Slack message, a tracking-issue comment), so a retry, a redelivery or a
-- restart never repeats one that was made.
CREATE TABLE actions (
    delivery_id TEXT NOT NULL,
    action      TEXT NOT NULL,       -- e.g. label:enterprise, notify:product
    state       TEXT NOT NULL,       -- started, done, throttled, withheld
    detail      TEXT,                -- what was made (an issue number), or why not
    updated_at  BIGINT NOT NULL,
    PRIMARY KEY (delivery_id, action)
);
CREATE INDEX actions_updated ON actions (updated_at);

-- Who was seen doing what, for throttling, the digest and the dashboard.
-- Only people with an account or organization; purged after `retention`.
CREATE TABLE sightings (
    delivery_id  TEXT PRIMARY KEY,
    at           BIGINT NOT NULL,
    group_key    TEXT NOT NULL,      -- account:ID, org:NAME or login:LOGIN
    account      TEXT,
    organization TEXT,
    tier         TEXT,
    login        TEXT NOT NULL,
    repository   TEXT NOT NULL,
    event        TEXT NOT NULL,
    url          TEXT NOT NULL,
    data         TEXT NOT NULL       -- the whole sighting, JSON
);
CREATE INDEX sightings_at ON sightings (at);
CREATE INDEX sightings_group ON sightings (group_key, at);

-- Which channels each sighting was for (the digest reads these).
CREATE TABLE sighting_channels (
    channel     TEXT NOT NULL,
    at          BIGINT NOT NULL,
    delivery_id TEXT NOT NULL,
    PRIMARY KEY (channel, at, delivery_id)
);

-- The last notification per group and channel, until the throttle window ends.
CREATE TABLE throttle (
    channel     TEXT NOT NULL,
    group_key   TEXT NOT NULL,
    delivery_id TEXT NOT NULL,
    until       BIGINT NOT NULL,
    PRIMARY KEY (channel, group_key)
);

-- The tracking issue of each group in a leads repository.
CREATE TABLE tracking_issues (
    repository TEXT NOT NULL,
    group_key  TEXT NOT NULL,
    number     BIGINT NOT NULL,
    PRIMARY KEY (repository, group_key)
);
