-- Dashboard sessions, kept on the server so that signing out and losing
-- membership end them on every instance. The cookie holds a random id; only
-- its SHA-256 is stored, so a copy of the database opens no session.
CREATE TABLE dashboard_sessions (
    id_hash TEXT PRIMARY KEY,
    login TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    -- when membership of dashboard.allow_orgs was last confirmed
    checked_at BIGINT NOT NULL
);
CREATE INDEX dashboard_sessions_expiry ON dashboard_sessions (expires_at);
