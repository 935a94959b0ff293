-- load_step.sql: one step of load $1 took $3 milliseconds (and touched $4
-- rows, or NULL): $2 names it ('stage payments', 'promote', 'mart', ...).
-- Run again for the same step (a mart rebuilt after a failed first try),
-- the newer figure replaces the older.
INSERT INTO core.load_step (load_id, step, ms, rows)
VALUES ($1::bigint, $2::text, $3::integer, $4::bigint)
ON CONFLICT (load_id, step) DO UPDATE SET ms = excluded.ms, rows = excluded.rows
