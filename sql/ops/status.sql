-- status.sql: every load with its counts per entity, newest last
-- (make status).  Run by psql; the view is core.load_status.
SELECT s.load_id, s.part, s.source, s.status,
       s.started_at::timestamp(0) AS started, s.seconds,
       s.entity, s.read, s.new, s.changed, s.unchanged, s.rejected,
       s.message
FROM core.load_status AS s
ORDER BY s.load_id, s.entity;
