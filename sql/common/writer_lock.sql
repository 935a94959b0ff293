-- writer_lock.sql: taken first in every transaction that writes core or mart.
-- Waits for any other writer (a load, a promotion, a mart rebuild) to commit.
-- The transaction-scoped advisory lock makes the wait visible in pg_locks with
-- a recognisable key; the table lock is what a distributed cluster honours.
SELECT pg_advisory_xact_lock(7243001);
LOCK TABLE core.etl_lock IN EXCLUSIVE MODE;
