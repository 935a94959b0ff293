-- load_check.sql: may pg-stage add ENTITY ($2, what $3) to load $1?
-- Only a running load, whose base (the last committed load when it began)
-- is still the last committed one -- otherwise the comparison with core that
-- decides what to keep would be against a state that no longer exists --
-- and only once per entity.
SELECT l.status,
       l.base_load_id IS NOT DISTINCT FROM (
           SELECT max(c.load_id) FROM core.load AS c WHERE c.status = 'committed'
       ) AS base_ok,
       EXISTS (
           SELECT 1 FROM staging.load_stage AS s
           WHERE s.load_id = l.load_id AND s.entity = $2 AND s.what = $3
       ) AS already_staged
FROM core.load AS l
WHERE l.load_id = $1::bigint
