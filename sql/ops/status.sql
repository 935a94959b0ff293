-- status.sql: every load with its counts per entity, newest last
-- (make status).  Run by psql; the view is core.load_status.
SELECT s.load_id, s.part, s.source, s.status,
       s.started_at::timestamp(0) AS started, s.seconds,
       s.entity, s.read, s.new, s.changed, s.unchanged, s.rejected,
       s.message
FROM core.load_status AS s
ORDER BY s.load_id, s.entity;

-- The trend of load times: the last 20 committed loads, oldest first, with
-- each step's seconds from the audit (core.load_step, written by
-- promote-core and pipelines/load-part): stage = json2tsv | pg-stage of
-- the three files in parallel, promote = promote-core's transaction, mart
-- = build-mart after the commit (empty when the load did not refresh it),
-- total = begin to commit plus the mart; the records read per second of
-- the whole, and a bar of its total seconds scaled to the slowest shown.
-- A load from before the audit had steps (schema version 6) shows its
-- staging as begin-to-commit minus the promotion.  Fits 80 columns.
\echo
\echo 'Load times of the last 20 committed loads (seconds; bar: total, longest = 15 #)'
\pset border 0
WITH l AS (
    SELECT l.load_id, l.source,
           extract(epoch FROM l.finished_at - l.started_at) AS commit_s,
           l.promote_ms / 1000.0 AS promote_s,
           (SELECT sum(s.read) FROM core.load_entity_stats AS s
            WHERE s.load_id = l.load_id) AS records
    FROM core.load AS l
    WHERE l.status = 'committed'
    ORDER BY l.load_id DESC
    LIMIT 20
),
t AS (
    SELECT l.*,
           coalesce(st.ms / 1000.0, l.commit_s - l.promote_s) AS stage_s,
           m.ms / 1000.0 AS mart_s,
           l.commit_s + coalesce(m.ms / 1000.0, 0) AS total_s
    FROM l
    LEFT JOIN core.load_step AS st ON st.load_id = l.load_id AND st.step = 'stage'
    LEFT JOIN core.load_step AS m ON m.load_id = l.load_id AND m.step = 'mart'
)
SELECT t.load_id AS load, left(t.source, 10) AS source, t.records,
       round(t.stage_s::numeric, 2) AS stage,
       round(t.promote_s::numeric, 2) AS promote,
       round(t.mart_s::numeric, 2) AS mart,
       round(t.total_s::numeric, 2) AS total,
       CASE WHEN t.total_s > 0 THEN round(t.records / t.total_s) END AS "rec/s",
       repeat('#', greatest(1, round(15 * t.total_s
           / nullif(max(t.total_s) OVER (), 0))::int)) AS bar
FROM t
ORDER BY t.load_id;

-- Every step of the newest committed load: where its time went.  rows:
-- what the step recorded (versions added by a promotion), for staging the
-- records read (core.load_entity_stats).
\echo
\echo 'Steps of the newest committed load (rows: records read, versions added)'
WITH last AS (
    SELECT max(l.load_id) AS load_id FROM core.load AS l WHERE l.status = 'committed'
),
steps AS (
    SELECT s.step, s.ms,
           coalesce(s.rows, CASE
               WHEN s.step = 'stage' THEN (
                   SELECT sum(e.read) FROM core.load_entity_stats AS e
                   WHERE e.load_id = s.load_id)
               WHEN s.step LIKE 'stage %' THEN (
                   SELECT e.read FROM core.load_entity_stats AS e
                   WHERE e.load_id = s.load_id AND e.entity = substr(s.step, 7))
           END) AS rows
    FROM core.load_step AS s
    JOIN last ON last.load_id = s.load_id
)
SELECT s.step, round(s.ms / 1000.0, 3) AS seconds, s.rows,
       CASE WHEN s.rows > 0 AND s.ms > 0 THEN round(s.rows * 1000.0 / s.ms) END AS "rows/s"
FROM steps AS s
ORDER BY s.step = 'prepare' DESC, s.step = 'stage' DESC, s.step LIKE 'stage %' DESC,
         s.step LIKE 'promote %' DESC, s.step = 'analyze' DESC, s.step = 'promote' DESC,
         s.step;
