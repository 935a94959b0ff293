-- 40_views.sql: what other layers and operators read.
-- Idempotent (CREATE OR REPLACE VIEW with unchanged definitions).
--
-- core.*_current are contract 5: the mart reads exactly these columns.
-- (A column is only ever added at the end -- email, schema version 3 -- so
-- CREATE OR REPLACE VIEW can bring an older warehouse's view up to date.)

CREATE OR REPLACE VIEW core.clients_current AS
SELECT v.client_id, v.fio, v.passport, v.gender, v.birth_date, v.education,
       v.count_of_children, v.job_type, v.region, v.family_status, v.address,
       v.phone, v.income, v.email
FROM core.client_version AS v
WHERE v.valid_to_load IS NULL;

CREATE OR REPLACE VIEW core.loans_current AS
SELECT v.client_id, v.loan_name, v.loan_amount, v.loan_start_date,
       v.loan_end_date, v.payment_numbers, v.paid_amount
FROM core.loan_version AS v
WHERE v.valid_to_load IS NULL;

CREATE OR REPLACE VIEW core.payments_current AS
SELECT v.client_id, v.loan_name, v.payment_number, v.payment_date,
       v.payment_fact_date, v.paid_fact_amount
FROM core.payment_version AS v
WHERE v.valid_to_load IS NULL;

-- Every rejected record with its load, for operators (make rejects LOAD=N).
CREATE OR REPLACE VIEW core.rejects AS
SELECT q.load_id, l.part, l.source AS load_source, q.entity, q.source,
       q.recno, q.stage, q.field, q.reason, q.client_id, q.byte_offset, q.raw
FROM core.quarantine AS q
JOIN core.load AS l ON l.load_id = q.load_id;

-- One line per load and entity with its counts (make status).
CREATE OR REPLACE VIEW core.load_status AS
SELECT l.load_id, l.part, l.source, l.status, l.forced,
       l.started_at, l.finished_at,
       round(extract(epoch FROM l.finished_at - l.started_at)::numeric, 3) AS seconds,
       s.entity, s.read, s.new, s.changed, s.unchanged, s.rejected,
       l.message
FROM core.load AS l
LEFT JOIN core.load_entity_stats AS s ON s.load_id = l.load_id;
