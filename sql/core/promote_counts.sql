-- promote_counts.sql: the counts of one entity's promotion, $1 = clients |
-- loans | payments, from promote_batch (left by core/promote_$1.sql in this
-- transaction) and what pg-stage recorded for the load.  json2tsv's rejects
-- count as read and rejected; rows pg-stage found equal to core count as read
-- and unchanged.  The CHECK on load_entity_stats proves
-- read = new + changed + unchanged + rejected.
WITH counts AS (
    SELECT count(*) FILTER (WHERE p.kind = 'new') AS new,
           count(*) FILTER (WHERE p.kind = 'changed') AS changed,
           count(*) FILTER (WHERE p.kind = 'unchanged') AS unchanged,
           count(*) FILTER (WHERE p.kind = 'rejected') AS rejected
    FROM promote_batch AS p
),
staged AS (
    SELECT coalesce(sum(s.rows_read) FILTER (WHERE s.what = 'data'), 0) AS data_read,
           coalesce(sum(s.rows_unchanged) FILTER (WHERE s.what = 'data'), 0) AS data_unchanged,
           coalesce(sum(s.rows_read) FILTER (WHERE s.what = 'rejects'), 0) AS json_rejected
    FROM staging.load_stage AS s
    WHERE s.load_id = current_setting('overdue.load_id')::bigint
      AND s.entity = $1::text
)
INSERT INTO core.load_entity_stats (load_id, entity, read, new, changed, unchanged, rejected)
SELECT current_setting('overdue.load_id')::bigint, $1::text,
       s.data_read + s.json_rejected, c.new, c.changed,
       s.data_unchanged + c.unchanged, c.rejected + s.json_rejected
FROM counts AS c CROSS JOIN staged AS s
RETURNING entity, read, new, changed, unchanged, rejected;
