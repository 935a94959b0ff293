-- status.sql: every load with its counts per entity, newest last
-- (make status).  Run by psql; the view is core.load_status.
SELECT s.load_id, s.part, s.source, s.status,
       s.started_at::timestamp(0) AS started, s.seconds,
       s.entity, s.read, s.new, s.changed, s.unchanged, s.rejected,
       s.message
FROM core.load_status AS s
ORDER BY s.load_id, s.entity;

-- The trend of load times: the last 20 committed loads, oldest first, with
-- each step's seconds (stage = json2tsv | pg-stage of the three files, from
-- begin to promotion; promote = promote-core's transaction; total = begin to
-- commit), the
-- records read per second of the whole load, and a bar of its total seconds
-- scaled to the slowest shown.  Fits 80 columns.  (The mart step after a load
-- is timed on stderr only: make load prints it in the load's summary block.)
\echo
\echo 'Load times of the last 20 committed loads (bar: total seconds; longest = 15 #)'
\pset border 0
WITH l AS (
    SELECT l.load_id, l.source,
           -- staging: from begin until promotion started (pg-stage's
           -- staged_at is its own start, not its end)
           extract(epoch FROM l.finished_at - l.started_at)
               - l.promote_ms / 1000.0 AS stage_s,
           l.promote_ms / 1000.0 AS promote_s,
           extract(epoch FROM l.finished_at - l.started_at) AS total_s,
           (SELECT sum(s.read) FROM core.load_entity_stats AS s
            WHERE s.load_id = l.load_id) AS records
    FROM core.load AS l
    WHERE l.status = 'committed'
    ORDER BY l.load_id DESC
    LIMIT 20
)
SELECT l.load_id AS load, left(l.source, 10) AS source, l.records,
       round(l.stage_s::numeric, 2) AS stage,
       round(l.promote_s::numeric, 2) AS promote,
       round(l.total_s::numeric, 2) AS total,
       CASE WHEN l.total_s > 0 THEN round(l.records / l.total_s) END AS "rec/s",
       repeat('#', greatest(1, round(15 * l.total_s
           / nullif(max(l.total_s) OVER (), 0))::int)) AS seconds
FROM l
ORDER BY l.load_id;
