-- promote_payments.sql: this load's staged payments -> core.payment_version.
-- Same steps as promote_clients.sql; runs after promote_loans.sql, so the
-- reference checks see the loans as they are after this load:
--   payment of an unknown loan;
--   payment_number outside 1..payment_numbers of the loan's current version;
--   payment_date before loan_start_date (an installment cannot fall due
--   before the loan exists; the seed's first installment is due on the
--   start date itself).  payment_fact_date may precede it: the seed's
--   generator pays early, and an early payment is a fact, not an error.
--
-- Cost in proportion to the load, not to core: core is read by key, for
-- the keys the load brings (on a big core, index probes: once per loan
-- with Memoize, the rows come sorted by key from the window), and the
-- current version of a payment is looked up only when its loan existed
-- before this load.  A payment of a loan this load brought (kind 'new' in
-- staging.promote_loans, left by promote_loans.sql) cannot have a version yet:
-- it is new without a look (a cumulative part brings its new loans'
-- payments that way, and pg-stage has already dropped the records core
-- holds).  promote-core analyses the loan tables first when this load made
-- their statistics stale.
-- The judged records go into staging.promote_payments (39_promote_work.sql);
-- every statement joins per-client tables on client_id: on Citus each runs
-- inside the shards.
TRUNCATE staging.promote_payments;  -- the previous load's
INSERT INTO staging.promote_payments (
    load_id, source, recno, client_id, loan_name, payment_number, payment_date,
    payment_fact_date, paid_fact_amount, known_loan, rule, kind)
WITH staged AS (
    SELECT s.*,
           row_number() OVER (PARTITION BY s.client_id, s.loan_name, s.payment_number
                              ORDER BY s.recno DESC) AS dup_rank
    FROM staging.payments AS s
    WHERE s.load_id = current_setting('overdue.load_id')::bigint
),
judged AS (
    SELECT st.*,
           -- the loan was in core before this load: only then can core
           -- hold a version of this payment
           n.client_id IS NULL AS known_loan,
           CASE
               WHEN st.client_id IS NULL THEN 'client_id|missing client_id'
               WHEN st.loan_name IS NULL OR st.loan_name = '' THEN 'loan_name|missing loan_name'
               WHEN st.payment_number IS NULL THEN 'payment_number|missing payment_number'
               WHEN lv.client_id IS NULL THEN 'loan_name|payment of unknown loan ' || st.client_id || '/' || st.loan_name
               WHEN st.payment_number < 1 OR st.payment_number > lv.payment_numbers
                   THEN 'payment_number|payment_number ' || st.payment_number
                        || ' outside 1..' || lv.payment_numbers
               WHEN st.dup_rank > 1 THEN 'payment_number|duplicate key in this file: a later record replaces this one'
               WHEN st.payment_date IS NULL THEN 'payment_date|missing payment_date'
               WHEN st.payment_date < lv.loan_start_date
                   THEN 'payment_date|payment_date before loan_start_date ' || lv.loan_start_date
               WHEN st.paid_fact_amount < 0 THEN 'paid_fact_amount|negative paid_fact_amount'
           END AS rule
    FROM staged AS st
    LEFT JOIN core.loan_version AS lv
           ON lv.client_id = st.client_id AND lv.loan_name = st.loan_name
          AND lv.valid_to_load IS NULL
    LEFT JOIN staging.promote_loans AS n
           ON n.client_id = st.client_id AND n.loan_name = st.loan_name
          AND n.kind = 'new'
)
-- kind: 'rejected', or 'new' until the look below finds a version
SELECT j.load_id, j.source, j.recno, j.client_id, j.loan_name, j.payment_number,
       j.payment_date, j.payment_fact_date, j.paid_fact_amount, j.known_loan, j.rule,
       CASE WHEN j.rule IS NOT NULL THEN 'rejected' ELSE 'new' END AS kind
FROM judged AS j;

-- This load's statistics of the work table, for the statements after this
-- one: a previous load's (autovacuum analyses the table after a load) once
-- said "no new loans", and promote_payments.sql's join with
-- staging.promote_loans became a nested loop over every loan for each
-- payment (64 s instead of 0.8 s on 20 000 clients).  A few columns, a
-- sample: tens of milliseconds.
ANALYZE staging.promote_payments (client_id, loan_name, payment_number, known_loan, kind);

-- the payments of loans core had before: is there a current version, and
-- does it equal the record?  (pg-stage keeps only records whose text
-- differs from core's, so 'unchanged' is rare: the same values written
-- differently.)
UPDATE staging.promote_payments AS p
SET kind = CASE
               WHEN (c.payment_date, c.payment_fact_date, c.paid_fact_amount)
                    IS NOT DISTINCT FROM
                    (p.payment_date, p.payment_fact_date, p.paid_fact_amount) THEN 'unchanged'
               ELSE 'changed'
           END
FROM core.payment_version AS c
WHERE p.kind = 'new' AND p.known_loan
  AND c.client_id = p.client_id AND c.loan_name = p.loan_name
  AND c.payment_number = p.payment_number AND c.valid_to_load IS NULL;

INSERT INTO core.quarantine (
    load_id, entity, recno, source, stage, byte_offset, field, reason, client_id, raw)
SELECT p.load_id, 'payments', p.recno, p.source, 'promote', NULL,
       split_part(p.rule, '|', 1), split_part(p.rule, '|', 2), p.client_id,
       json_build_object(
           'client_id', p.client_id, 'loan_name', p.loan_name,
           'payment_number', p.payment_number, 'payment_date', p.payment_date,
           'payment_fact_date', p.payment_fact_date,
           'paid_fact_amount', p.paid_fact_amount)::text
FROM staging.promote_payments AS p
WHERE p.kind = 'rejected'
UNION ALL
SELECT r.load_id, r.entity, r.recno, r.source, 'json2tsv', r.byte_offset,
       nullif(r.field, ''), r.reason, NULL, r.raw
FROM staging.rejects AS r
WHERE r.load_id = current_setting('overdue.load_id')::bigint
  AND r.entity = 'payments';

UPDATE core.payment_version AS v
SET valid_to_load = current_setting('overdue.load_id')::bigint
FROM staging.promote_payments AS p
WHERE p.kind = 'changed'
  AND v.client_id = p.client_id AND v.loan_name = p.loan_name
  AND v.payment_number = p.payment_number
  AND v.valid_to_load IS NULL;

INSERT INTO core.payment_version (
    client_id, loan_name, payment_number, valid_from_load, valid_to_load,
    payment_date, payment_fact_date, paid_fact_amount)
SELECT p.client_id, p.loan_name, p.payment_number, p.load_id, NULL,
       p.payment_date, p.payment_fact_date, p.paid_fact_amount
FROM staging.promote_payments AS p
WHERE p.kind IN ('new', 'changed');
