-- promote_counts.sql: the counts of one entity's promotion, $1 = clients |
-- loans | payments, from staging.promote_$1 (filled by core/promote_$1.sql
-- in this transaction) and what pg-stage recorded for the load.  json2tsv's
-- rejects count as read and rejected; rows pg-stage found equal to core
-- count as read and unchanged.  The CHECK on load_entity_stats proves
-- read = new + changed + unchanged + rejected.
--
-- The three work tables are counted each in its own arm, only the one $1
-- names contributing: on Citus each arm is counted on the shards and only
-- the counts (a row per shard) reach the coordinator, which writes the one
-- row into the reference table core.load_entity_stats.
WITH per_table AS (
    SELECT count(*) FILTER (WHERE p.kind = 'new') AS new,
           count(*) FILTER (WHERE p.kind = 'changed') AS changed,
           count(*) FILTER (WHERE p.kind = 'unchanged') AS unchanged,
           count(*) FILTER (WHERE p.kind = 'rejected') AS rejected
    FROM staging.promote_clients AS p
    WHERE $1::text = 'clients'
    UNION ALL
    SELECT count(*) FILTER (WHERE p.kind = 'new'),
           count(*) FILTER (WHERE p.kind = 'changed'),
           count(*) FILTER (WHERE p.kind = 'unchanged'),
           count(*) FILTER (WHERE p.kind = 'rejected')
    FROM staging.promote_loans AS p
    WHERE $1::text = 'loans'
    UNION ALL
    SELECT count(*) FILTER (WHERE p.kind = 'new'),
           count(*) FILTER (WHERE p.kind = 'changed'),
           count(*) FILTER (WHERE p.kind = 'unchanged'),
           count(*) FILTER (WHERE p.kind = 'rejected')
    FROM staging.promote_payments AS p
    WHERE $1::text = 'payments'
),
counts AS (
    SELECT sum(t.new)::bigint AS new, sum(t.changed)::bigint AS changed,
           sum(t.unchanged)::bigint AS unchanged, sum(t.rejected)::bigint AS rejected
    FROM per_table AS t
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
