-- promote_loans.sql: this load's staged loans -> core.loan(_version).
-- Same steps as promote_clients.sql, through staging.promote_loans; runs
-- after it, so "unknown client" means unknown after this load's clients
-- were promoted.
TRUNCATE staging.promote_loans;  -- the previous load's
INSERT INTO staging.promote_loans (
    load_id, source, recno, client_id, loan_name, loan_amount, loan_start_date,
    loan_end_date, payment_numbers, paid_amount, rule, kind)
WITH staged AS (
    SELECT s.*,
           row_number() OVER (PARTITION BY s.client_id, s.loan_name ORDER BY s.recno DESC) AS dup_rank
    FROM staging.loans AS s
    WHERE s.load_id = current_setting('overdue.load_id')::bigint
),
judged AS (
    SELECT st.*,
           CASE
               WHEN st.client_id IS NULL THEN 'client_id|missing client_id'
               WHEN st.loan_name IS NULL OR st.loan_name = '' THEN 'loan_name|missing loan_name'
               WHEN k.client_id IS NULL THEN 'client_id|loan of unknown client ' || st.client_id
               WHEN st.dup_rank > 1 THEN 'loan_name|duplicate key in this file: a later record replaces this one'
               WHEN st.loan_amount IS NULL THEN 'loan_amount|missing loan_amount'
               WHEN st.loan_amount < 0 THEN 'loan_amount|negative loan_amount'
               WHEN st.loan_start_date IS NULL THEN 'loan_start_date|missing loan_start_date'
               WHEN st.loan_end_date IS NULL THEN 'loan_end_date|missing loan_end_date'
               WHEN st.loan_end_date < st.loan_start_date THEN 'loan_end_date|loan_end_date before loan_start_date'
               WHEN st.payment_numbers IS NULL THEN 'payment_numbers|missing payment_numbers'
               WHEN st.payment_numbers < 1 THEN 'payment_numbers|payment_numbers must be at least 1'
               WHEN st.paid_amount IS NULL THEN 'paid_amount|missing paid_amount'
               WHEN st.paid_amount < 0 THEN 'paid_amount|negative paid_amount'
           END AS rule
    FROM staged AS st
    LEFT JOIN core.client AS k ON k.client_id = st.client_id
)
SELECT j.load_id, j.source, j.recno, j.client_id, j.loan_name, j.loan_amount,
       j.loan_start_date, j.loan_end_date, j.payment_numbers, j.paid_amount, j.rule,
       CASE
           WHEN j.rule IS NOT NULL THEN 'rejected'
           WHEN c.client_id IS NULL THEN 'new'
           WHEN (c.loan_amount, c.loan_start_date, c.loan_end_date,
                 c.payment_numbers, c.paid_amount)
                IS NOT DISTINCT FROM
                (j.loan_amount, j.loan_start_date, j.loan_end_date,
                 j.payment_numbers, j.paid_amount) THEN 'unchanged'
           ELSE 'changed'
       END AS kind
FROM judged AS j
LEFT JOIN core.loan_version AS c
       ON c.client_id = j.client_id AND c.loan_name = j.loan_name
      AND c.valid_to_load IS NULL;

-- This load's statistics of the work table, for the statements after this
-- one: a previous load's (autovacuum analyses the table after a load) once
-- said "no new loans", and promote_payments.sql's join with
-- staging.promote_loans became a nested loop over every loan for each
-- payment (64 s instead of 0.8 s on 20 000 clients).  A few columns, a
-- sample: tens of milliseconds.
ANALYZE staging.promote_loans (client_id, loan_name, kind);

INSERT INTO core.quarantine (
    load_id, entity, recno, source, stage, byte_offset, field, reason, client_id, raw)
SELECT p.load_id, 'loans', p.recno, p.source, 'promote', NULL,
       split_part(p.rule, '|', 1), split_part(p.rule, '|', 2), p.client_id,
       json_build_object(
           'client_id', p.client_id, 'loan_name', p.loan_name,
           'loan_amount', p.loan_amount, 'loan_start_date', p.loan_start_date,
           'loan_end_date', p.loan_end_date,
           'payment_numbers', p.payment_numbers,
           'paid_amount', p.paid_amount)::text
FROM staging.promote_loans AS p
WHERE p.kind = 'rejected'
UNION ALL
SELECT r.load_id, r.entity, r.recno, r.source, 'json2tsv', r.byte_offset,
       nullif(r.field, ''), r.reason, NULL, r.raw
FROM staging.rejects AS r
WHERE r.load_id = current_setting('overdue.load_id')::bigint
  AND r.entity = 'loans';

UPDATE core.loan_version AS v
SET valid_to_load = current_setting('overdue.load_id')::bigint
FROM staging.promote_loans AS p
WHERE p.kind = 'changed'
  AND v.client_id = p.client_id AND v.loan_name = p.loan_name
  AND v.valid_to_load IS NULL;

INSERT INTO core.loan (client_id, loan_name, first_load_id)
SELECT p.client_id, p.loan_name, p.load_id
FROM staging.promote_loans AS p
WHERE p.kind = 'new';

INSERT INTO core.loan_version (
    client_id, loan_name, valid_from_load, valid_to_load, loan_amount,
    loan_start_date, loan_end_date, payment_numbers, paid_amount)
SELECT p.client_id, p.loan_name, p.load_id, NULL, p.loan_amount,
       p.loan_start_date, p.loan_end_date, p.payment_numbers, p.paid_amount
FROM staging.promote_loans AS p
WHERE p.kind IN ('new', 'changed');
