-- 55_mart_views.sql: views over the mart tables (data_mart also over
-- core.payments_current, so this file comes after 40_views.sql).  build-mart
-- runs this file again after it swaps in new tables (dropping a table drops
-- its views).

-- The month-end snapshots, one row per loan and month.
CREATE OR REPLACE VIEW mart.loan_month AS
SELECT l.client_id, l.loan_name, l.loan_amount,
       (l.first_month + make_interval(months => (u.i - 1)::int))::date AS month,
       CASE u.st WHEN 0 THEN 'not_started' WHEN 1 THEN 'current'
                 WHEN 2 THEN 'overdue' ELSE 'closed' END AS status,
       u.dpd,
       (u.outk / 100.0)::numeric(17,2) AS outstanding,
       (u.arrk / 100.0)::numeric(17,2) AS arrears,
       u.flow > 0 AS has_due_record,
       u.flow = 2 AS late
FROM mart.loan l,
     unnest(l.m_status, l.m_dpd, l.m_outstanding_k, l.m_arrears_k, l.m_flow)
         WITH ORDINALITY AS u(st, dpd, outk, arrk, flow, i);

-- The seed's flat mart: one row per payment record, personal data masked,
-- with the seed's flag as of the mart's date (SPEC 5): due before as_of and
-- paid late, never, or short.  The records are read from core when queried
-- (a view runs with its owner's rights: overdue_bi needs no core privilege),
-- the loans, the clients and the date from the mart; records of loans the
-- mart does not know (loaded after the last build) are left out.  Writing
-- ~30 M rows on every rebuild was most of build-mart's time.
CREATE OR REPLACE VIEW mart.data_mart AS
SELECT p.client_id, c.fio, c.passport, c.gender, c.birth_date, c.education,
       c.count_of_children, c.job_type, c.region, c.family_status, c.address,
       c.phone, c.income,
       p.loan_name, l.loan_amount, l.loan_start_date, l.loan_end_date,
       l.payment_numbers, l.paid_amount,
       p.payment_number, p.payment_date, p.payment_fact_date, p.paid_fact_amount,
       (p.payment_date < b.as_of
        AND (p.payment_fact_date IS NULL
             OR p.payment_fact_date > p.payment_date
             OR coalesce(p.paid_fact_amount, 0) < l.paid_amount)) AS status
FROM core.payments_current p
JOIN mart.loan l ON l.client_id = p.client_id AND l.loan_name = p.loan_name
LEFT JOIN mart.client c ON c.client_id = p.client_id
CROSS JOIN mart.build_info b;

-- The seed's Power BI view: per month of payment_date (before the as-of date)
-- and seed amount bucket, the loans with a record due in the month, those
-- with a flagged record, their share in percent (2 decimals), the issued
-- amount of those loans and the paid amount of the flagged records.
CREATE OR REPLACE VIEW mart.vw_overdue_by_month_and_amount AS
WITH b AS (
    SELECT month,
           CASE WHEN amount_bin < 50 THEN 'До 50 000'
                WHEN amount_bin < 100 THEN 'До 100 000'
                WHEN amount_bin < 500 THEN 'До 500 000'
                ELSE 'От 500 000' END AS loan_amount_bucket,
           flow_loans, flow_late, flow_amount_k, flow_late_paid_k
    FROM mart.month_bin
    WHERE flow_loans > 0
)
SELECT month AS period,
       extract(year FROM month)::int AS year,
       extract(month FROM month)::int AS month,
       loan_amount_bucket,
       sum(flow_loans)::bigint AS total_loans,
       sum(flow_late)::bigint AS total_overdue_loans,
       round(100.0 * sum(flow_late) / sum(flow_loans), 2) AS pct_overdue_loans,
       (sum(flow_amount_k) / 100.0)::numeric(17,2) AS sum_issued_loans,
       (sum(flow_late_paid_k) / 100.0)::numeric(17,2) AS sum_overdue_payments
FROM b
GROUP BY b.month, loan_amount_bucket;

-- The monthly series of the whole portfolio (what overdue-report prints
-- without filters), for BI tools.
CREATE OR REPLACE VIEW mart.vw_monthly AS
WITH months AS (
    SELECT generate_series(first_month, last_month, interval '1 month')::date AS month
    FROM mart.build_info WHERE first_month IS NOT NULL
), agg AS (
    SELECT month, sum(active_loans) AS active, sum(overdue_loans) AS overdue,
           sum(outstanding_k) AS outk, sum(overdue_outstanding_k) AS ooutk,
           sum(arrears_k) AS arrk, sum(dpd_1_30) AS d1, sum(dpd_31_60) AS d2,
           sum(dpd_61_90) AS d3, sum(dpd_91_plus) AS d4,
           sum(flow_loans) AS fl, sum(flow_late) AS fll
    FROM mart.month_bin GROUP BY month
)
SELECT m.month,
       coalesce(a.active, 0)::bigint AS active_loans,
       coalesce(a.overdue, 0)::bigint AS overdue_loans,
       round(a.overdue::numeric / nullif(a.active, 0), 6) AS overdue_share,
       (coalesce(a.outk, 0) / 100.0)::numeric(17,2) AS outstanding,
       (coalesce(a.ooutk, 0) / 100.0)::numeric(17,2) AS overdue_outstanding,
       round(a.ooutk::numeric / nullif(a.outk, 0), 6) AS par_share,
       (coalesce(a.arrk, 0) / 100.0)::numeric(17,2) AS arrears,
       coalesce(a.d1, 0)::bigint AS dpd_1_30, coalesce(a.d2, 0)::bigint AS dpd_31_60,
       coalesce(a.d3, 0)::bigint AS dpd_61_90, coalesce(a.d4, 0)::bigint AS dpd_91_plus,
       round(a.fll::numeric / nullif(a.fl, 0), 6) AS late_share
FROM months m LEFT JOIN agg a ON a.month = m.month;
