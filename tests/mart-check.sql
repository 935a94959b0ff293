-- mart-check.sql: SPEC 5's per-loan rules written again, set-based and
-- independently of lib/position.c, compared with what build-mart stored in
-- mart.loan.  psql -v asof=YYYY-MM-DD; prints the number of loans that
-- differ (must be 0), then up to 5 of them.
--
-- Differences in method from the C code, on purpose: the schedule uses
-- PostgreSQL's date + interval (which clamps to the month's end), the
-- oldest unpaid installment is found with a window count and a filter
-- instead of a division, and amounts stay numeric.
SET max_parallel_workers_per_gather = 0;
SET enable_nestloop = off;   -- the estimates for generate_series are poor; hash joins are right here
SET work_mem = '256MB';
CREATE TEMP TABLE chk AS
WITH params AS (
    SELECT :'asof'::date AS d
), sched AS (
    SELECT l.client_id, l.loan_name, k,
           coalesce(p.payment_date,
                    (l.loan_start_date + make_interval(months => k - 1))::date) AS due
    FROM core.loans_current l
    CROSS JOIN LATERAL generate_series(1, l.payment_numbers) AS k
    LEFT JOIN core.payments_current p
           ON p.client_id = l.client_id AND p.loan_name = l.loan_name
          AND p.payment_number = k
), ordered AS (
    SELECT client_id, loan_name, due,
           row_number() OVER (PARTITION BY client_id, loan_name ORDER BY due, k) AS rn
    FROM sched
), paid AS (
    SELECT p.client_id, p.loan_name,
           coalesce(sum(coalesce(p.paid_fact_amount, 0))
                    FILTER (WHERE p.payment_fact_date <= (SELECT d FROM params)), 0) AS paid
    FROM core.payments_current p
    GROUP BY p.client_id, p.loan_name
), inst AS (
    SELECT o.client_id, o.loan_name,
           count(*) FILTER (WHERE o.due < (SELECT d FROM params)) AS n_due,
           min(o.due) FILTER (WHERE o.rn * l.paid_amount > coalesce(pd.paid, 0)) AS oldest
    FROM ordered o
    JOIN core.loans_current l ON l.client_id = o.client_id AND l.loan_name = o.loan_name
    LEFT JOIN paid pd ON pd.client_id = o.client_id AND pd.loan_name = o.loan_name
    GROUP BY o.client_id, o.loan_name
), pos AS (
    SELECT l.client_id, l.loan_name, l.loan_start_date,
           l.payment_numbers * l.paid_amount AS total,
           coalesce(pd.paid, 0) AS paid,
           l.paid_amount * coalesce(i.n_due, 0) AS due_amt,
           i.oldest
    FROM core.loans_current l
    LEFT JOIN paid pd ON pd.client_id = l.client_id AND pd.loan_name = l.loan_name
    LEFT JOIN inst i ON i.client_id = l.client_id AND i.loan_name = l.loan_name
), started AS (
    SELECT client_id, loan_name,
           greatest(0, due_amt - paid) AS arrears,
           greatest(0, total - paid) AS outstanding,
           oldest,
           CASE WHEN oldest < (SELECT d FROM params) THEN (SELECT d FROM params) - oldest ELSE 0 END AS dpd,
           CASE WHEN loan_start_date > (SELECT d FROM params) THEN 'not_started'
                WHEN total - paid <= 0 THEN 'closed'
                WHEN due_amt - paid > 0 THEN 'overdue'
                ELSE 'current' END AS status
    FROM pos
), expect AS (
    -- a loan not started by D is no exposure: dpd 0, arrears 0, outstanding 0,
    -- no oldest unpaid installment, whatever its schedule and records say
    SELECT client_id, loan_name, status,
           CASE WHEN status = 'not_started' THEN 0 ELSE arrears END AS arrears,
           CASE WHEN status = 'not_started' THEN 0 ELSE outstanding END AS outstanding,
           CASE WHEN status = 'not_started' THEN NULL ELSE oldest END AS oldest,
           CASE WHEN status = 'not_started' THEN 0 ELSE dpd END AS dpd
    FROM started
)
SELECT e.client_id, e.loan_name,
       e.status AS want_status, m.status AS got_status,
       e.dpd AS want_dpd, m.dpd AS got_dpd,
       e.arrears AS want_arrears, m.arrears AS got_arrears,
       e.outstanding AS want_outstanding, m.outstanding AS got_outstanding,
       e.oldest AS want_oldest, m.oldest_unpaid_due AS got_oldest
FROM expect e
FULL JOIN mart.loan m ON m.client_id = e.client_id AND m.loan_name = e.loan_name
WHERE m.client_id IS NULL OR e.client_id IS NULL
   OR e.status IS DISTINCT FROM m.status OR e.dpd IS DISTINCT FROM m.dpd
   OR e.arrears IS DISTINCT FROM m.arrears OR e.outstanding IS DISTINCT FROM m.outstanding
   OR e.oldest IS DISTINCT FROM m.oldest_unpaid_due
   OR (SELECT as_of FROM mart.build_info) <> (SELECT d FROM params);
SELECT count(*) FROM chk;
SELECT * FROM chk ORDER BY client_id, loan_name LIMIT 5;
