-- keep_clients.sql: landed clients -> staging.clients, keeping only records
-- that are new or differ from the key's current version in core.  A
-- cumulative part repeats every earlier record; storing them again would
-- multiply staging by the number of parts for nothing (they are counted as
-- unchanged instead).  A key that occurs twice in one file: copies equal to
-- core count as unchanged, the differing ones are kept and promote-core
-- quarantines all but the last of those.  (Finding duplicates here cost a
-- hash aggregate over the whole file, doubling this step, for a case that
-- only matters when the copies disagree -- and then they are kept anyway.)
-- Hash joins on the key; $1 load id, $2 source file, $3 load time.
INSERT INTO staging.clients (
    load_id, source, recno, loaded_at, client_id, fio, passport, gender,
    birth_date, education, count_of_children, job_type, region,
    family_status, address, phone, income)
SELECT $1::bigint, $2::text, l.recno, $3::timestamptz, l.client_id, l.fio,
       l.passport, l.gender, l.birth_date, l.education, l.count_of_children,
       l.job_type, l.region, l.family_status, l.address, l.phone, l.income
FROM pg_temp.land AS l
LEFT JOIN core.client_version AS c
       ON c.client_id = l.client_id AND c.valid_to_load IS NULL
WHERE c.client_id IS NULL
   OR (c.fio, c.passport, c.gender, c.birth_date, c.education,
       c.count_of_children, c.job_type, c.region, c.family_status,
       c.address, c.phone, c.income)
      IS DISTINCT FROM
      (l.fio, l.passport, l.gender, l.birth_date, l.education,
       l.count_of_children, l.job_type, l.region, l.family_status,
       l.address, l.phone, l.income)
