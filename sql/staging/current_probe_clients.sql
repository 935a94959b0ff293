-- current_probe_clients.sql: the current client versions of the keys in
-- pg_temp.stage_keys (one chunk of pg-stage's input; probe_keys_clients.sql)
-- as COPY text in json2tsv's column order after recno, for pg-stage's
-- client-side filter (see current_range_clients.sql).  For a chunk whose
-- clients are spread over core's whole range (a daily delta): one probe of
-- client_version_key per key, an equi-join on client_id first (SPEC 10),
-- instead of a scan.  pg-stage turns hash and merge joins off in its
-- transaction, so the plan stays these probes whatever the planner guesses
-- for the keys table (no statistics): with 131 072 keys and a core of
-- 162 k rows it chose a merge join over all of core's index (lib/load/stage.c).
COPY (
    SELECT v.client_id, v.fio, v.passport, v.gender, v.birth_date,
           v.education, v.count_of_children, v.job_type, v.region,
           v.family_status, v.address, v.phone, v.income, v.email
    FROM pg_temp.stage_keys AS k
    JOIN core.client_version AS v
      ON v.client_id = k.client_id
     AND v.valid_to_load IS NULL
) TO STDOUT
