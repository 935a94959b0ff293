-- promote_check.sql: may load $1 be promoted?  It must be running, its base
-- must still be the last committed load (staging compared the files with
-- that state of core), and all three entities must be staged.
SELECT l.status,
       l.base_load_id IS NOT DISTINCT FROM (
           SELECT max(c.load_id) FROM core.load AS c WHERE c.status = 'committed'
       ) AS base_ok,
       (SELECT count(*) FROM staging.load_stage AS s
        WHERE s.load_id = l.load_id AND s.what = 'data') AS entities_staged
FROM core.load AS l
WHERE l.load_id = $1::bigint
