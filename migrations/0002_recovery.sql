-- Checkpoints of periodic jobs (e.g. how far back missed deliveries were looked for).
CREATE TABLE checkpoints (
    name       TEXT PRIMARY KEY,
    value      BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- Jobs that must run on one instance at a time hold a lock here until `until`.
CREATE TABLE job_locks (
    name  TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    until BIGINT NOT NULL
);
