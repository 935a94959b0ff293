-- promote_clients.sql: this load's staged clients -> core.client(_version).
-- Runs inside promote-core's one transaction, after common/writer_lock.sql;
-- the load id and load time come from the session settings overdue.load_id
-- and overdue.load_time (set from parameters by promote-core), never now().
--
-- 1. judge every staged record: the first failed rule names the field and
--    the reason; a key staged twice keeps only its last record (highest
--    recno), the others are quarantined as superseded;
-- 2. classify the rest against the current version: new / changed / unchanged;
--    1 and 2 go into staging.promote_clients (39_promote_work.sql);
-- 3. quarantine, close the replaced versions, insert identities and versions;
-- 4. promote-core then records the counts from staging.promote_clients
--    (core/promote_counts.sql).
-- Every statement reads and writes per-client tables joined on client_id
-- (the window too is per client): on Citus each runs inside the shards.
TRUNCATE staging.promote_clients;  -- the previous load's
INSERT INTO staging.promote_clients (
    load_id, source, recno, client_id, fio, passport, gender, birth_date,
    education, count_of_children, job_type, region, family_status, address,
    phone, income, email, rule, kind)
WITH staged AS (
    SELECT s.*,
           row_number() OVER (PARTITION BY s.client_id ORDER BY s.recno DESC) AS dup_rank
    FROM staging.clients AS s
    WHERE s.load_id = current_setting('overdue.load_id')::bigint
),
judged AS (
    SELECT st.*,
           CASE
               WHEN st.client_id IS NULL THEN 'client_id|missing client_id'
               WHEN st.client_id <= 0 THEN 'client_id|client_id must be positive'
               WHEN st.dup_rank > 1 THEN 'client_id|duplicate key in this file: a later record replaces this one'
               WHEN st.fio IS NULL THEN 'fio|missing fio'
               WHEN st.passport IS NULL THEN 'passport|missing passport'
               WHEN st.gender IS NULL THEN 'gender|missing gender'
               WHEN st.birth_date IS NULL THEN 'birth_date|missing birth_date'
               WHEN st.education IS NULL THEN 'education|missing education'
               WHEN st.count_of_children < 0 THEN 'count_of_children|negative count_of_children'
               WHEN st.job_type IS NULL THEN 'job_type|missing job_type'
               WHEN st.income IS NULL THEN 'income|missing income'
               WHEN st.income < 0 THEN 'income|negative income'
           END AS rule
    FROM staged AS st
)
SELECT j.load_id, j.source, j.recno, j.client_id, j.fio, j.passport, j.gender,
       j.birth_date, j.education, j.count_of_children, j.job_type, j.region,
       j.family_status, j.address, j.phone, j.income, j.email, j.rule,
       CASE
           WHEN j.rule IS NOT NULL THEN 'rejected'
           WHEN c.client_id IS NULL THEN 'new'
           WHEN (c.fio, c.passport, c.gender, c.birth_date, c.education,
                 c.count_of_children, c.job_type, c.region, c.family_status,
                 c.address, c.phone, c.income, c.email)
                IS NOT DISTINCT FROM
                (j.fio, j.passport, j.gender, j.birth_date, j.education,
                 j.count_of_children, j.job_type, j.region, j.family_status,
                 j.address, j.phone, j.income, j.email) THEN 'unchanged'
           ELSE 'changed'
       END AS kind
FROM judged AS j
LEFT JOIN core.client_version AS c
       ON c.client_id = j.client_id AND c.valid_to_load IS NULL;

-- This load's statistics of the work table, for the statements after this
-- one: a previous load's (autovacuum analyses the table after a load) once
-- said "no new loans", and promote_payments.sql's join with
-- staging.promote_loans became a nested loop over every loan for each
-- payment (64 s instead of 0.8 s on 20 000 clients).  A few columns, a
-- sample: tens of milliseconds.
ANALYZE staging.promote_clients (client_id, kind);

INSERT INTO core.quarantine (
    load_id, entity, recno, source, stage, byte_offset, field, reason, client_id, raw)
SELECT p.load_id, 'clients', p.recno, p.source, 'promote', NULL,
       split_part(p.rule, '|', 1), split_part(p.rule, '|', 2), p.client_id,
       json_build_object(
           'client_id', p.client_id, 'fio', p.fio, 'passport', p.passport,
           'gender', p.gender, 'birth_date', p.birth_date,
           'education', p.education, 'count_of_children', p.count_of_children,
           'job_type', p.job_type, 'region', p.region,
           'family_status', p.family_status, 'address', p.address,
           'phone', p.phone, 'income', p.income, 'email', p.email)::text
FROM staging.promote_clients AS p
WHERE p.kind = 'rejected'
UNION ALL
SELECT r.load_id, r.entity, r.recno, r.source, 'json2tsv', r.byte_offset,
       nullif(r.field, ''), r.reason, NULL, r.raw
FROM staging.rejects AS r
WHERE r.load_id = current_setting('overdue.load_id')::bigint
  AND r.entity = 'clients';

UPDATE core.client_version AS v
SET valid_to_load = current_setting('overdue.load_id')::bigint
FROM staging.promote_clients AS p
WHERE p.kind = 'changed'
  AND v.client_id = p.client_id
  AND v.valid_to_load IS NULL;

INSERT INTO core.client (client_id, first_load_id)
SELECT p.client_id, p.load_id
FROM staging.promote_clients AS p
WHERE p.kind = 'new';

INSERT INTO core.client_version (
    client_id, valid_from_load, valid_to_load, fio, passport, gender,
    birth_date, education, count_of_children, job_type, region,
    family_status, address, phone, income, email)
SELECT p.client_id, p.load_id, NULL, p.fio, p.passport, p.gender,
       p.birth_date, p.education, p.count_of_children, p.job_type, p.region,
       p.family_status, p.address, p.phone, p.income, p.email
FROM staging.promote_clients AS p
WHERE p.kind IN ('new', 'changed');
