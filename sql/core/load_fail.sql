-- load_fail.sql: the pipeline gave up on load $1 (json2tsv or pg-stage
-- failed): mark it failed with the reason $3 at time $2.
UPDATE core.load
SET status = 'failed', finished_at = $2::timestamptz, message = $3::text
WHERE load_id = $1::bigint
  AND status = 'running'
RETURNING load_id
