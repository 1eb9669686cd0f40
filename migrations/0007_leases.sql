-- Claimed deliveries by the end of their lease: a worker looks for expired
-- leases on every claim, and this keeps that look to the few rows whose lease
-- has run out instead of every claimed delivery since the last vacuum.
CREATE INDEX deliveries_leases ON deliveries (lease_until) WHERE status = 'processing';
