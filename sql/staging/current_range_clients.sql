-- current_range_clients.sql: the current client versions of the clients
-- @LO@ .. @HI@ as COPY text, in the column order of json2tsv's client TSV
-- after recno (contract 3), for pg-stage's client-side filter: an input
-- line byte-equal to one of these lines is an unchanged record and never
-- leaves pg-stage.  Run in pg-stage's REPEATABLE READ transaction with
-- DateStyle ISO and client_encoding UTF8, so dates and text come out
-- exactly as json2tsv writes them.
--
-- The range is a chunk's smallest and largest client_id, numbers pg-stage
-- parsed itself, substituted as bigint literals (so the planner sees the
-- range: one scan of the unique index client_version_key).  At most @LIMIT@
-- rows (a number, or ALL): a range holding more is probed key by key
-- instead (lib/load/stagechunk.h), so pg-stage's memory stays bounded.
COPY (
    SELECT v.client_id, v.fio, v.passport, v.gender, v.birth_date,
           v.education, v.count_of_children, v.job_type, v.region,
           v.family_status, v.address, v.phone, v.income, v.email
    FROM core.client_version AS v
    WHERE v.client_id BETWEEN @LO@ AND @HI@
      AND v.valid_to_load IS NULL
    LIMIT @LIMIT@
) TO STDOUT
