-- The queue's priority: deliveries that can label or notify (issues, pull
-- requests, discussions, comments, installations) are claimed before stars
-- and forks, which only count people. 0 comes first, 1 after.
-- Deliveries that wait for GitHub (rate limit, budget, batched lookup) have
-- the status 'waiting' and are due again at next_attempt_at.
ALTER TABLE deliveries ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;
UPDATE deliveries SET priority = 1 WHERE event IN ('star', 'watch', 'fork');
DROP INDEX deliveries_due;
CREATE INDEX deliveries_due ON deliveries (status, priority, next_attempt_at);
