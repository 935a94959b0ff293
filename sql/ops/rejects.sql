-- rejects.sql: the quarantined records of one load (psql variable load;
-- empty = the newest load that has rejects) -- make rejects LOAD=N.
SELECT r.load_id, r.entity, r.source, r.recno, r.stage, r.field, r.reason,
       left(r.raw, 120) AS raw
FROM core.rejects AS r
WHERE r.load_id = coalesce(nullif(:'load', '')::bigint,
                           (SELECT max(q.load_id) FROM core.quarantine AS q))
ORDER BY r.entity, r.recno;
