-- dirty_asof.sql: the clients whose part of the mart can differ between the
-- as-of dates $1 (D0, the mart's) and $2 (D, later in the same month), core
-- unchanged (build-mart(1), "incremental build"):
--   a loan not closed at D0 (its position and D's month snapshot move);
--   a loan closed at D0 with a record dated D0 or later (D's month may gain
--   a record due before D: the flow measures);
--   a client whose age band differs at D0 and D (the loan rows, by_attr).
-- A loan closed at D0 stays closed (what is paid only grows), and every
-- other snapshot is a month end before D0.  The age is lib/date.c's
-- date_age_years: the years between, less one before the birthday.  The
-- masked client rows do not depend on the date (attrs false).
-- @DIRTY@: where the changed clients are, mart_dirty (dirty_table.sql) or
-- on a Citus cluster mart.dirty (dirty_citus.sql).
INSERT INTO @DIRTY@ (client_id, attrs)
SELECT client_id, false FROM mart.loan
WHERE status <> 'closed' OR last_record_date >= $1::date
UNION
SELECT b.client_id, false
FROM (SELECT c.client_id,
             CASE WHEN a.age BETWEEN 18 AND 25 THEN 1 WHEN a.age BETWEEN 26 AND 35 THEN 2
                  WHEN a.age BETWEEN 36 AND 45 THEN 3 WHEN a.age BETWEEN 46 AND 60 THEN 4
                  WHEN a.age BETWEEN 61 AND 75 THEN 5 ELSE 0 END AS band
      FROM core.clients_current c
      CROSS JOIN (VALUES ($1::date), ($2::date)) AS v(d)
      CROSS JOIN LATERAL (
          SELECT extract(year FROM v.d)::int - extract(year FROM c.birth_date)::int
                 - (extract(month FROM v.d) * 100 + extract(day FROM v.d)
                    < extract(month FROM c.birth_date) * 100 + extract(day FROM c.birth_date))::int
                 AS age) a) b
GROUP BY b.client_id
HAVING min(b.band) <> max(b.band)
ON CONFLICT (client_id) DO NOTHING
