-- PostgreSQL only (see `POSTGRES_ONLY` in src/store/migrate.rs).
-- The overview filtered by tier compares `lower(tier)`. These indexes give
-- PostgreSQL that expression's statistics: without them it expects almost
-- no day rows to match, joins them in a nested loop, and a 90-day overview
-- takes seconds instead of a fraction of one.
CREATE INDEX group_days_tier ON group_days (lower(tier));
CREATE INDEX event_days_tier ON event_days (lower(tier));
