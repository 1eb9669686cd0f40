-- The delivery ledger and the work queue: one row per GitHub delivery id.
-- Times are Unix milliseconds. Written in SQL that SQLite and PostgreSQL both run.
CREATE TABLE deliveries (
    id              TEXT PRIMARY KEY,      -- X-GitHub-Delivery
    event           TEXT NOT NULL,         -- X-GitHub-Event
    action          TEXT,
    installation_id BIGINT,
    repository      TEXT,                  -- owner/name
    received_at     BIGINT NOT NULL,
    payload         TEXT NOT NULL,         -- the slim payload the worker needs
    status          TEXT NOT NULL,         -- queued, processing, done, failed, dead
    attempts        INTEGER NOT NULL DEFAULT 0,  -- attempts ever made; the latest holds the lease
    budget_start    INTEGER NOT NULL DEFAULT 0,  -- attempts made before the last manual retry
    next_attempt_at BIGINT NOT NULL,
    lease_owner     TEXT,
    lease_until     BIGINT,
    last_error      TEXT,
    updated_at      BIGINT NOT NULL
);

CREATE INDEX deliveries_due ON deliveries (status, next_attempt_at);
CREATE INDEX deliveries_received ON deliveries (received_at);

-- Every attempt at processing a delivery, and how it ended.
CREATE TABLE delivery_attempts (
    delivery_id TEXT NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
    attempt     INTEGER NOT NULL,
    worker      TEXT NOT NULL,
    started_at  BIGINT NOT NULL,
    finished_at BIGINT,
    outcome     TEXT,                      -- done, failed, dead, interrupted; NULL while running
    error       TEXT,
    PRIMARY KEY (delivery_id, attempt)
);
