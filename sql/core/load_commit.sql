-- load_commit.sql: mark load $1 committed, in the promotion's transaction.
-- $2 load time (end), $3 promotion milliseconds.
UPDATE core.load AS l
SET status = 'committed',
    finished_at = $2::timestamptz,
    promote_ms = $3::integer,
    staged_at = (SELECT max(s.staged_at) FROM staging.load_stage AS s
                 WHERE s.load_id = l.load_id)
WHERE l.load_id = $1::bigint
  AND l.status = 'running'
