-- load_exists.sql: the status of load $1 (no row: there is no such load).
SELECT l.status FROM core.load AS l WHERE l.load_id = $1::bigint
