-- What orgradar learned about a GitHub account, so it asks GitHub at most once
-- per cache period. Only what classification needs: email addresses are kept
-- as their domains, never whole.
CREATE TABLE actors (
    login      TEXT PRIMARY KEY,     -- lowercased
    facts      TEXT NOT NULL,        -- JSON
    fetched_at BIGINT NOT NULL
);

CREATE INDEX actors_fetched ON actors (fetched_at);
