-- load_insert.sql: a new load row.  $1 source, $2 part (NULL for a folder),
-- $3 status ('running' or 'noop'), $4 forced, $5 start time, $6 finish
-- time (NULL while running), $7 message.  The base is the last committed
-- load: what staging will compare the files with.
INSERT INTO core.load (
    source, part, status, forced, base_load_id, started_at, finished_at, message)
SELECT $1::text, $2::integer, $3::text, $4::boolean,
       (SELECT max(c.load_id) FROM core.load AS c WHERE c.status = 'committed'),
       $5::timestamptz, $6::timestamptz, $7::text
RETURNING load_id
