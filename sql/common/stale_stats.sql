-- stale_stats.sql: is a table's planner estimate too old after adding $2 rows?
-- $1 = schema-qualified table name, $2 = rows this transaction added.
-- PostgreSQL's own autovacuum rule: re-analyse once the changes exceed
-- 10 % of the rows counted at the last ANALYZE (plus 50); a table never
-- analysed (reltuples < 0) always needs it.  Loads run ANALYZE themselves
-- because autovacuum comes minutes later, after the next load has planned.
SELECT c.reltuples < 0 OR $2::bigint > 0.1 * c.reltuples + 50 AS stale
FROM pg_class AS c
WHERE c.oid = $1::regclass;
