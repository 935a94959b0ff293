-- core_span.sql: what pg-stage reads about core once per run, to choose for
-- each chunk of its input between a client_id range scan and key probes
-- (lib/load/stagechunk.h): core.client's smallest and largest client_id (its
-- primary key: two index look-ups; NULL when core is empty) and the rows of
-- the entity's version table ($1, from a fixed list) as the statistics
-- count them -- no scan of core.  promote-core analyses core after every
-- load; a table never analysed (reltuples -1) is estimated from its size at
-- 32 bytes a row, fewer than any version row takes, so too many rather than
-- too few (too many only means probes where a range would do).
SELECT (SELECT min(c.client_id) FROM core.client AS c) AS min_client_id,
       (SELECT max(c.client_id) FROM core.client AS c) AS max_client_id,
       (SELECT CASE WHEN r.reltuples >= 0 THEN r.reltuples
                    ELSE pg_relation_size(r.oid) / 32 END
        FROM pg_class AS r WHERE r.oid = $1::regclass) AS version_rows
