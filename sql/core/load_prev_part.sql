-- load_prev_part.sql: has part $1 - 1 been loaded (committed, or found
-- already loaded)?  Cumulative parts must arrive in order, like the seed's.
SELECT EXISTS (
    SELECT 1 FROM core.load AS l
    WHERE l.part = $1::integer - 1
      AND l.status IN ('committed', 'noop')
)
