-- What people said about a person (Slack buttons, the dashboard, the command
-- line): rows are added, never changed; the latest per login is in force
-- until `orgradar people forget` erases them. See src/people.
CREATE TABLE corrections (
    id        TEXT PRIMARY KEY,
    login     TEXT NOT NULL,           -- lowercased
    verdict   TEXT NOT NULL,           -- confirm, account, none, ignore
    account   TEXT,                    -- the account named (confirm, account)
    sighting  TEXT,                    -- the delivery of the sighting answered
    sighted   TEXT,                    -- the account that sighting named
    signal    TEXT,                    -- the evidence kind that decided it
    rules     TEXT NOT NULL,           -- the rules it matched, comma-separated
    by_whom   TEXT NOT NULL,
    via       TEXT NOT NULL,           -- slack, dashboard, cli
    note      TEXT,
    at        BIGINT NOT NULL
);
CREATE INDEX corrections_login ON corrections (login, at);
CREATE INDEX corrections_at ON corrections (at);

-- The organizations each person was seen at, first and last: job changes.
CREATE TABLE tenures (
    login     TEXT NOT NULL,           -- lowercased
    org_key   TEXT NOT NULL,           -- account:ID or org:name, as sightings group
    name      TEXT NOT NULL,
    account   TEXT,
    first_at  BIGINT NOT NULL,
    last_at   BIGINT NOT NULL,
    PRIMARY KEY (login, org_key)
);

-- People who asked to be forgotten: a salted hash of the login, nothing more.
CREATE TABLE forgotten (
    hash      TEXT PRIMARY KEY,
    at        BIGINT NOT NULL
);

-- Values an installation keeps for itself (the salt of `forgotten`).
CREATE TABLE settings (
    name      TEXT PRIMARY KEY,
    value     TEXT NOT NULL
);
