-- state_read.sql: what the mart was last built from (mart.build_state),
-- with mart.build_info's date, counts and first month, and the number of
-- committed loads up to that build's last one now (unchanged unless a load
-- with a smaller id committed since).  No row: no state (never built, or a
-- server crash emptied it).  The clients of the mart: recorded, or counted
-- (a state from before the count was kept).
SELECT s.as_of, s.load_id, s.loads, s.engine, s.mart_version,
       b.as_of, b.loans, b.payments, b.first_month,
       (SELECT count(*) FROM core.load l
        WHERE l.status = 'committed' AND l.load_id <= s.load_id),
       coalesce(s.clients, (SELECT count(*) FROM mart.client))
FROM mart.build_state s
LEFT JOIN mart.build_info b ON b.id = 1
WHERE s.id = 1
