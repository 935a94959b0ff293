-- core_rows_shards.sql: on Citus, the rows of a distributed version table
-- ($1, from pg-stage's fixed list) as its shards' statistics count them,
-- for pg-stage's choice between a range scan and key probes (see
-- core_span.sql).  The coordinator's table is an empty shell whose
-- reltuples stays 0, which would make every chunk try a range first.  A
-- catalogue look-up per shard, run by Citus in parallel on the workers; a
-- shard never analysed counts its size at 32 bytes a row, as core_span.sql
-- does.  No row (NULL) when the table is not distributed.  Only run where
-- pg_dist_partition exists.
SELECT sum(s.result::float8) AS version_rows
FROM pg_dist_partition AS p
CROSS JOIN LATERAL run_command_on_shards(p.logicalrelid,
    $$SELECT CASE WHEN c.reltuples >= 0 THEN c.reltuples
                 ELSE pg_relation_size(c.oid) / 32 END
      FROM pg_class AS c WHERE c.oid = '%s'::regclass$$) AS s
WHERE p.logicalrelid = $1::regclass
  AND p.partmethod = 'h'
  AND s.success
