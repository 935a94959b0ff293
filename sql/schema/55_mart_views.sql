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

-- On a Citus cluster a view's owner rights stop at the coordinator: the
-- workers run the shards' part of the query as the querying role, and
-- overdue_bi has no right on core ("permission denied for schema core").
-- There data_mart reads through a SECURITY DEFINER function (Citus opens
-- the workers' connections as its owner) that runs the view's own query
-- (taken from the view above, so the two never differ), and the view is
-- that function's rows, with the same columns.  The function hands over all
-- of its rows before the query's own conditions apply: fine for the seed's
-- flat export, slow for a narrow question (the bi_* views read the mart
-- tables directly).  Who may call it is gated by USAGE on schema mart.
DO $$
DECLARE
    path text := current_setting('search_path');
    cols text;
    casts text;
    body text;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN
        RETURN;
    END IF;
    SELECT string_agg(quote_ident(attname) || ' ' || format_type(atttypid, atttypmod), ', ' ORDER BY attnum),
           string_agg(quote_ident(attname) || '::' || format_type(atttypid, atttypmod), ', ' ORDER BY attnum)
    INTO cols, casts
    FROM pg_attribute WHERE attrelid = 'mart.data_mart'::regclass AND attnum > 0;
    -- every name schema-qualified in the text
    PERFORM set_config('search_path', 'pg_catalog', true);
    body := pg_get_viewdef('mart.data_mart'::regclass, true);
    PERFORM set_config('search_path', path, true);
    EXECUTE format('CREATE OR REPLACE FUNCTION mart.data_mart_rows() RETURNS TABLE (%s) '
                   'LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS %L',
                   cols, body);
    DROP VIEW mart.data_mart;
    EXECUTE format('CREATE VIEW mart.data_mart AS SELECT %s FROM mart.data_mart_rows() AS r', casts);
END
$$;

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

-- ===========================================================================
-- mart.bi_*: the views BI tools (Power BI, Metabase, Superset, Excel) read
-- directly, as the role overdue_bi (58_mart_role.sql).  Same numbers as
-- `overdue-report --format tsv` (SPEC 6): shares are fractions rounded to 6
-- decimals (NULL when the denominator is 0), money numeric(17,2) from the
-- kopecks, months the first day of the month.  Every view that splits by
-- amount also carries the additive counts and sums, so a share over several
-- rows is sum(numerator) / sum(denominator), never an average of shares.
-- Dropped and re-created here (build-mart drops them with the tables anyway),
-- so a changed column list never stops CREATE OR REPLACE.
DROP VIEW IF EXISTS mart.bi_monthly, mart.bi_monthly_by_bucket, mart.bi_loans,
    mart.bi_breakdown, mart.bi_breakdown_by_bucket, mart.bi_roll, mart.bi_vintage,
    mart.bi_bucket CASCADE;

-- The seed's four amount buckets with a sort key: their labels ('До 100 000',
-- 'До 50 000', ...) sort alphabetically in the wrong order.
CREATE VIEW mart.bi_bucket AS
SELECT * FROM (VALUES
    ('lt50k',     'До 50 000',  1, NULL::numeric(17,2), 50000.00::numeric(17,2)),
    ('50k-100k',  'До 100 000', 2, 50000.00,            100000.00),
    ('100k-500k', 'До 500 000', 3, 100000.00,           500000.00),
    ('ge500k',    'От 500 000', 4, 500000.00,           NULL)
) AS b(bucket, bucket_label, bucket_sort, min_amount, below_amount);

COMMENT ON VIEW mart.bi_bucket IS
    'The seed''s four loan-amount buckets: name, the seed''s label, sort key, bounds [min_amount, below_amount).';
COMMENT ON COLUMN mart.bi_bucket.bucket IS 'Bucket name, as in overdue-report --bucket: lt50k, 50k-100k, 100k-500k, ge500k.';
COMMENT ON COLUMN mart.bi_bucket.bucket_label IS 'The seed''s Power BI label (До 50 000 ...); sort by bucket_sort, not by the label.';
COMMENT ON COLUMN mart.bi_bucket.bucket_sort IS 'Sort key 1..4, smallest amounts first.';
COMMENT ON COLUMN mart.bi_bucket.min_amount IS 'Lowest loan_amount in the bucket, inclusive (NULL: none).';
COMMENT ON COLUMN mart.bi_bucket.below_amount IS 'Every loan_amount in the bucket is below this (NULL: no upper bound).';

-- Monthly series per seed bucket: every month of the mart's range for every
-- bucket, also months without loans (zeros and NULL shares).  The snapshot of
-- month M is its last day, or the mart's as-of date for its month.
CREATE VIEW mart.bi_monthly_by_bucket AS
WITH months AS (
    SELECT m::date AS month, least((m + interval '1 month - 1 day')::date, b.as_of) AS snapshot
    FROM mart.build_info b,
         generate_series(b.first_month, b.last_month, interval '1 month') AS m
    WHERE b.first_month IS NOT NULL
), agg AS (
    SELECT k.bucket, mb.month,
           sum(mb.active_loans) AS a, sum(mb.overdue_loans) AS o,
           sum(mb.outstanding_k) AS outk, sum(mb.overdue_outstanding_k) AS ooutk,
           sum(mb.arrears_k) AS arrk, sum(mb.dpd_1_30) AS d1, sum(mb.dpd_31_60) AS d2,
           sum(mb.dpd_61_90) AS d3, sum(mb.dpd_91_plus) AS d4,
           sum(mb.flow_loans) AS fl, sum(mb.flow_late) AS fll,
           sum(mb.par30_outstanding_k) AS p30k, sum(mb.par90_outstanding_k) AS p90k,
           sum(mb.prev_overdue) AS po, sum(mb.cured) AS cu,
           sum(mb.issued_loans) AS il, sum(mb.issued_k) AS ik
    FROM mart.month_bin mb
    JOIN mart.bi_bucket k
      ON 1000::numeric * mb.amount_bin >= coalesce(k.min_amount, 0)
     AND (k.below_amount IS NULL OR 1000::numeric * mb.amount_bin < k.below_amount)
    GROUP BY k.bucket, mb.month
), z AS (
    SELECT m.month, m.snapshot, k.bucket, k.bucket_label, k.bucket_sort,
           coalesce(a.a, 0) AS a, coalesce(a.o, 0) AS o, coalesce(a.outk, 0) AS outk,
           coalesce(a.ooutk, 0) AS ooutk, coalesce(a.arrk, 0) AS arrk,
           coalesce(a.d1, 0) AS d1, coalesce(a.d2, 0) AS d2, coalesce(a.d3, 0) AS d3,
           coalesce(a.d4, 0) AS d4, coalesce(a.fl, 0) AS fl, coalesce(a.fll, 0) AS fll,
           coalesce(a.p30k, 0) AS p30k, coalesce(a.p90k, 0) AS p90k,
           coalesce(a.po, 0) AS po, coalesce(a.cu, 0) AS cu,
           coalesce(a.il, 0) AS il, coalesce(a.ik, 0) AS ik
    FROM months m CROSS JOIN mart.bi_bucket k
    LEFT JOIN agg a ON a.bucket = k.bucket AND a.month = m.month
)
SELECT month, snapshot, bucket, bucket_label, bucket_sort,
       a::bigint AS active_loans,
       o::bigint AS overdue_loans,
       round(o::numeric / nullif(a, 0), 6) AS overdue_share,
       (outk / 100.0)::numeric(17,2) AS outstanding,
       (ooutk / 100.0)::numeric(17,2) AS overdue_outstanding,
       round(ooutk::numeric / nullif(outk, 0), 6) AS par_share,
       (arrk / 100.0)::numeric(17,2) AS arrears,
       d1::bigint AS dpd_1_30, d2::bigint AS dpd_31_60,
       d3::bigint AS dpd_61_90, d4::bigint AS dpd_91_plus,
       round(fll::numeric / nullif(fl, 0), 6) AS late_share,
       round(p30k::numeric / nullif(outk, 0), 6) AS par30_share,
       round(p90k::numeric / nullif(outk, 0), 6) AS par90_share,
       round(cu::numeric / nullif(po, 0), 6) AS cure_rate,
       (p30k / 100.0)::numeric(17,2) AS par30_outstanding,
       (p90k / 100.0)::numeric(17,2) AS par90_outstanding,
       fl::bigint AS flow_loans,
       fll::bigint AS flow_late_loans,
       po::bigint AS prev_overdue_loans,
       cu::bigint AS cured_loans,
       il::bigint AS issued_loans,
       (ik / 100.0)::numeric(17,2) AS issued_month_amount,
       (sum(ik) OVER (PARTITION BY bucket ORDER BY month) / 100.0)::numeric(17,2) AS issued_amount
FROM z;

-- The whole portfolio's monthly series: the columns of overdue-report's TSV
-- (plus the additive ones), from the bucket rows.
CREATE VIEW mart.bi_monthly AS
WITH s AS (
    SELECT month, snapshot,
           sum(active_loans) AS a, sum(overdue_loans) AS o, sum(outstanding) AS out,
           sum(overdue_outstanding) AS oout, sum(arrears) AS arr,
           sum(dpd_1_30) AS d1, sum(dpd_31_60) AS d2, sum(dpd_61_90) AS d3,
           sum(dpd_91_plus) AS d4, sum(flow_loans) AS fl, sum(flow_late_loans) AS fll,
           sum(par30_outstanding) AS p30, sum(par90_outstanding) AS p90,
           sum(prev_overdue_loans) AS po, sum(cured_loans) AS cu,
           sum(issued_loans) AS il, sum(issued_month_amount) AS im,
           sum(issued_amount) AS ia
    FROM mart.bi_monthly_by_bucket
    GROUP BY month, snapshot
)
SELECT month, snapshot,
       a::bigint AS active_loans, o::bigint AS overdue_loans,
       round(o / nullif(a, 0), 6) AS overdue_share,
       out::numeric(17,2) AS outstanding, oout::numeric(17,2) AS overdue_outstanding,
       round(oout / nullif(out, 0), 6) AS par_share,
       arr::numeric(17,2) AS arrears,
       d1::bigint AS dpd_1_30, d2::bigint AS dpd_31_60,
       d3::bigint AS dpd_61_90, d4::bigint AS dpd_91_plus,
       round(fll / nullif(fl, 0), 6) AS late_share,
       round(p30 / nullif(out, 0), 6) AS par30_share,
       round(p90 / nullif(out, 0), 6) AS par90_share,
       round(cu / nullif(po, 0), 6) AS cure_rate,
       p30::numeric(17,2) AS par30_outstanding, p90::numeric(17,2) AS par90_outstanding,
       fl::bigint AS flow_loans, fll::bigint AS flow_late_loans,
       po::bigint AS prev_overdue_loans, cu::bigint AS cured_loans,
       il::bigint AS issued_loans, im::numeric(17,2) AS issued_month_amount,
       ia::numeric(17,2) AS issued_amount
FROM s;

-- Per-loan positions as of the mart's date, with the client's masked data.
CREATE VIEW mart.bi_loans AS
SELECT b.as_of,
       l.client_id, c.fio, c.passport, c.phone, c.address,
       l.gender, l.age_band, l.education, l.count_of_children, l.job_type,
       l.family_status, l.region,
       l.loan_name, l.loan_amount, k.bucket, k.bucket_sort,
       l.loan_start_date, l.loan_end_date, l.payment_numbers, l.paid_amount,
       l.status,
       CASE l.status WHEN 'current' THEN 1 WHEN 'overdue' THEN 2
                     WHEN 'closed' THEN 3 ELSE 4 END AS status_sort,
       l.dpd, l.dpd_bucket,
       CASE l.dpd_bucket WHEN '0' THEN 0 WHEN '1-30' THEN 1 WHEN '31-60' THEN 2
                         WHEN '61-90' THEN 3 WHEN '91+' THEN 4 END AS dpd_bucket_sort,
       l.arrears, l.outstanding, l.oldest_unpaid_due
FROM mart.loan l
CROSS JOIN mart.build_info b
LEFT JOIN mart.client c ON c.client_id = l.client_id
JOIN mart.bi_bucket k
  ON l.loan_amount >= coalesce(k.min_amount, 0)
 AND (k.below_amount IS NULL OR l.loan_amount < k.below_amount);

-- Breakdowns as of the mart's date: per client attribute and value, per seed
-- bucket (additive), and for the whole portfolio.
CREATE VIEW mart.bi_breakdown_by_bucket AS
WITH s AS (
    SELECT a.attribute, a.value, k.bucket, k.bucket_sort,
           sum(a.active_loans) AS act, sum(a.overdue_loans) AS od
    FROM mart.by_attr a
    JOIN mart.bi_bucket k
      ON 1000::numeric * a.amount_bin >= coalesce(k.min_amount, 0)
     AND (k.below_amount IS NULL OR 1000::numeric * a.amount_bin < k.below_amount)
    GROUP BY a.attribute, a.value, k.bucket, k.bucket_sort
)
SELECT attribute,
       array_position(ARRAY['gender', 'age_band', 'education', 'count_of_children',
                            'job_type', 'family_status', 'region'], attribute) AS attribute_sort,
       value,
       dense_rank() OVER (PARTITION BY attribute ORDER BY
           value IN ('unknown', 'other'),
           CASE WHEN attribute = 'count_of_children' AND value ~ '^[0-9]{1,9}$' THEN value::int END,
           value) AS value_sort,
       bucket, bucket_sort,
       act::bigint AS active_loans, od::bigint AS overdue_loans,
       round(od::numeric / nullif(act, 0), 6) AS overdue_share
FROM s;

CREATE VIEW mart.bi_breakdown AS
WITH s AS (
    SELECT attribute, attribute_sort, value, value_sort,
           sum(active_loans) AS act, sum(overdue_loans) AS od
    FROM mart.bi_breakdown_by_bucket
    GROUP BY attribute, attribute_sort, value, value_sort
)
SELECT attribute, attribute_sort, value, value_sort,
       act::bigint AS active_loans, od::bigint AS overdue_loans,
       round(od / nullif(act, 0), 6) AS overdue_share
FROM s;

-- The roll matrix: for every month M but the first, the 5 x 6 cells (zeros
-- included) from the DPD bucket at the snapshot of M-1 to the state at M.
CREATE VIEW mart.bi_roll AS
WITH months AS (
    SELECT m::date AS month
    FROM mart.build_info b,
         generate_series(b.first_month + interval '1 month', b.last_month, interval '1 month') AS m
    WHERE b.first_month IS NOT NULL
), cells AS (
    SELECT month, from_bucket, to_state, sum(loans) AS n
    FROM mart.roll_bin GROUP BY month, from_bucket, to_state
), states(code, label) AS (
    VALUES (0, '0'), (1, '1-30'), (2, '31-60'), (3, '61-90'), (4, '91+'), (5, 'closed')
), grid AS (
    SELECT m.month, f.code AS fcode, f.label AS flabel, t.code AS tcode, t.label AS tlabel,
           coalesce(c.n, 0) AS n
    FROM months m
    CROSS JOIN states f
    CROSS JOIN states t
    LEFT JOIN cells c ON c.month = m.month AND c.from_bucket = f.code AND c.to_state = t.code
    WHERE f.code < 5
)
SELECT month,
       flabel AS from_bucket, fcode AS from_sort,
       tlabel AS to_state, tcode AS to_sort,
       n::bigint AS loans,
       (sum(n) OVER (PARTITION BY month, fcode))::bigint AS from_loans,
       round(n::numeric / nullif(sum(n) OVER (PARTITION BY month, fcode), 0), 6) AS share,
       (tcode < 5 AND tcode > fcode) AS worse
FROM grid;

-- Vintage curves: per start month (vintage) and month-on-book m = 0 ... (the
-- as-of month - vintage), the vintage's loans and those whose dpd was > 30 at
-- one or more of the snapshots 0..m.
CREATE VIEW mart.bi_vintage AS
WITH v AS (
    SELECT vintage, first30_mob, sum(loans) AS n
    FROM mart.vintage_bin GROUP BY vintage, first30_mob
), tot AS (
    SELECT vintage, sum(n) AS loans FROM v GROUP BY vintage
), grid AS (
    SELECT t.vintage, t.loans, mob
    FROM tot t
    CROSS JOIN mart.build_info b
    CROSS JOIN LATERAL generate_series(0,
        ((extract(year FROM b.last_month) - extract(year FROM t.vintage)) * 12
         + extract(month FROM b.last_month) - extract(month FROM t.vintage))::int) AS mob
), cum AS (
    SELECT g.vintage, g.mob, g.loans,
           sum(coalesce(v.n, 0)) OVER (PARTITION BY g.vintage ORDER BY g.mob) AS e30
    FROM grid g
    LEFT JOIN v ON v.vintage = g.vintage AND v.first30_mob = g.mob
)
SELECT vintage, mob AS months_on_book,
       (vintage + make_interval(months => mob))::date AS month,
       loans::bigint AS loans,
       e30::bigint AS ever30_loans,
       round(e30::numeric / nullif(loans, 0), 6) AS ever30_share
FROM cum;

-- What BI tools show as the views' and columns' descriptions.
COMMENT ON VIEW mart.bi_monthly IS
    'Monthly overdue series of the whole portfolio as of the mart''s date: the columns of overdue-report --format tsv, plus additive counts and sums.';
COMMENT ON VIEW mart.bi_monthly_by_bucket IS
    'Monthly overdue series per seed amount bucket (every month x 4 buckets). Across buckets, sum the counts and amounts and divide; never average the shares.';
COMMENT ON VIEW mart.bi_loans IS
    'Every loan''s position as of the mart''s date, with the client''s masked personal data and attributes.';
COMMENT ON VIEW mart.bi_breakdown IS
    'Overdue share as of the mart''s date by client attribute (gender, age_band, education, count_of_children, job_type, family_status, region); NULL values as unknown.';
COMMENT ON VIEW mart.bi_breakdown_by_bucket IS
    'bi_breakdown split by seed amount bucket (additive counts).';
COMMENT ON VIEW mart.bi_roll IS
    'Roll (transition) matrix: for every month but the first, the loans in each DPD bucket at the end of the previous month by their state at the end of this one (zeros included).';
COMMENT ON VIEW mart.bi_vintage IS
    'Vintage curves: per start month and month-on-book, the share of the vintage''s loans that have been more than 30 days past due at some month end so far.';
DO $$
DECLARE r record;
BEGIN
    FOR r IN SELECT * FROM (VALUES
        ('bi_monthly bi_monthly_by_bucket', 'month', 'Calendar month (its first day).'),
        ('bi_monthly bi_monthly_by_bucket', 'snapshot', 'Snapshot date of the month: its last day, or the mart''s as-of date for that month.'),
        ('bi_monthly bi_monthly_by_bucket', 'active_loans', 'Loans current or overdue at the snapshot.'),
        ('bi_monthly bi_monthly_by_bucket', 'overdue_loans', 'Active loans with arrears at the snapshot.'),
        ('bi_monthly bi_monthly_by_bucket', 'overdue_share', 'overdue_loans / active_loans (6 decimals; NULL when no active loans).'),
        ('bi_monthly bi_monthly_by_bucket', 'outstanding', 'Outstanding principal and interest of the active loans (roubles).'),
        ('bi_monthly bi_monthly_by_bucket', 'overdue_outstanding', 'Outstanding of the overdue loans (roubles).'),
        ('bi_monthly bi_monthly_by_bucket', 'par_share', 'overdue_outstanding / outstanding.'),
        ('bi_monthly bi_monthly_by_bucket', 'arrears', 'Amount due and not paid at the snapshot (roubles).'),
        ('bi_monthly bi_monthly_by_bucket', 'dpd_1_30', 'Overdue loans 1-30 days past due.'),
        ('bi_monthly bi_monthly_by_bucket', 'dpd_31_60', 'Overdue loans 31-60 days past due.'),
        ('bi_monthly bi_monthly_by_bucket', 'dpd_61_90', 'Overdue loans 61-90 days past due.'),
        ('bi_monthly bi_monthly_by_bucket', 'dpd_91_plus', 'Overdue loans more than 90 days past due.'),
        ('bi_monthly bi_monthly_by_bucket', 'late_share', 'The seed''s measure: of the loans with a payment record due in the month (before the as-of date), the share with one paid late, short or never = flow_late_loans / flow_loans.'),
        ('bi_monthly bi_monthly_by_bucket', 'par30_share', 'PAR30: outstanding of active loans more than 30 days past due / outstanding.'),
        ('bi_monthly bi_monthly_by_bucket', 'par90_share', 'PAR90: outstanding of active loans more than 90 days past due / outstanding.'),
        ('bi_monthly bi_monthly_by_bucket', 'cure_rate', 'Of the loans overdue at the previous month''s snapshot, the share current or closed at this one = cured_loans / prev_overdue_loans.'),
        ('bi_monthly bi_monthly_by_bucket', 'par30_outstanding', 'Outstanding of active loans more than 30 days past due (roubles).'),
        ('bi_monthly bi_monthly_by_bucket', 'par90_outstanding', 'Outstanding of active loans more than 90 days past due (roubles).'),
        ('bi_monthly bi_monthly_by_bucket', 'flow_loans', 'Loans with a payment record due in the month, before the as-of date.'),
        ('bi_monthly bi_monthly_by_bucket', 'flow_late_loans', 'Of flow_loans, those with a record paid late, short or never.'),
        ('bi_monthly bi_monthly_by_bucket', 'prev_overdue_loans', 'Loans overdue at the previous month''s snapshot.'),
        ('bi_monthly bi_monthly_by_bucket', 'cured_loans', 'Of prev_overdue_loans, those current or closed at this snapshot.'),
        ('bi_monthly bi_monthly_by_bucket', 'issued_loans', 'Loans started in the month (on or before the as-of date).'),
        ('bi_monthly bi_monthly_by_bucket', 'issued_month_amount', 'Their loan amounts (roubles).'),
        ('bi_monthly bi_monthly_by_bucket', 'issued_amount', 'Loan amounts of every loan started up to the snapshot (roubles; cumulative, as overdue-report''s issued_amount).'),
        ('bi_monthly_by_bucket bi_loans bi_breakdown_by_bucket', 'bucket', 'Seed amount bucket: lt50k (< 50 000), 50k-100k, 100k-500k, ge500k (>= 500 000).'),
        ('bi_monthly_by_bucket', 'bucket_label', 'The seed''s label of the bucket (sort by bucket_sort).'),
        ('bi_monthly_by_bucket bi_loans bi_breakdown_by_bucket', 'bucket_sort', 'Sort key of the bucket, 1..4 from the smallest amounts.'),
        ('bi_loans', 'as_of', 'The date the positions are computed for (the mart''s date).'),
        ('bi_loans', 'client_id', 'Client id.'),
        ('bi_loans', 'fio', 'Client name, masked: surname and initials.'),
        ('bi_loans', 'passport', 'Passport, masked: the last 3 digits.'),
        ('bi_loans', 'phone', 'Phone, masked: the last 4 digits.'),
        ('bi_loans', 'address', 'Address, masked: its first part.'),
        ('bi_loans', 'gender', 'Client gender.'),
        ('bi_loans', 'education', 'Client education.'),
        ('bi_loans', 'count_of_children', 'Client''s number of children.'),
        ('bi_loans', 'job_type', 'Client job type.'),
        ('bi_loans', 'family_status', 'Client family status.'),
        ('bi_loans', 'region', 'Client region.'),
        ('bi_loans', 'loan_start_date', 'Loan start (disbursement) date.'),
        ('bi_loans', 'loan_end_date', 'Loan end date, as exported.'),
        ('bi_loans', 'payment_numbers', 'Number of monthly installments.'),
        ('bi_loans', 'age_band', 'Client age at the as-of date: 18-25, 26-35, 36-45, 46-60, 61-75, other.'),
        ('bi_loans', 'loan_name', 'Loan name (unique per client).'),
        ('bi_loans', 'loan_amount', 'Loan amount (roubles).'),
        ('bi_loans', 'paid_amount', 'Installment: the amount due each month (roubles).'),
        ('bi_loans', 'status', 'current, overdue, closed or not_started, as of the as-of date.'),
        ('bi_loans', 'status_sort', 'Sort key of status: current 1, overdue 2, closed 3, not_started 4.'),
        ('bi_loans', 'dpd', 'Days past due of the oldest unpaid installment (0 when none is overdue).'),
        ('bi_loans', 'dpd_bucket', 'DPD bucket: 0, 1-30, 31-60, 61-90, 91+.'),
        ('bi_loans', 'dpd_bucket_sort', 'Sort key of dpd_bucket, 0..4.'),
        ('bi_loans', 'arrears', 'Amount due before the as-of date and not paid (roubles).'),
        ('bi_loans', 'outstanding', 'Scheduled total not yet paid (roubles).'),
        ('bi_loans', 'oldest_unpaid_due', 'Due date of the oldest unpaid installment.'),
        ('bi_breakdown bi_breakdown_by_bucket', 'attribute', 'Client attribute: gender, age_band, education, count_of_children, job_type, family_status, region.'),
        ('bi_breakdown bi_breakdown_by_bucket', 'attribute_sort', 'Sort key of the attribute, 1..7 in the order above.'),
        ('bi_breakdown bi_breakdown_by_bucket', 'value', 'The attribute''s value; unknown when the client has none.'),
        ('bi_breakdown bi_breakdown_by_bucket', 'value_sort', 'Sort key of the value within the attribute (numbers numerically, unknown and other last).'),
        ('bi_breakdown bi_breakdown_by_bucket', 'active_loans', 'Loans current or overdue at the as-of date.'),
        ('bi_breakdown bi_breakdown_by_bucket', 'overdue_loans', 'Of those, the overdue ones.'),
        ('bi_breakdown bi_breakdown_by_bucket', 'overdue_share', 'overdue_loans / active_loans (6 decimals).'),
        ('bi_roll', 'month', 'Month M: the transition from the snapshot of M-1 to that of M.'),
        ('bi_roll', 'from_bucket', 'DPD bucket at the snapshot of M-1: 0 (current), 1-30, 31-60, 61-90, 91+.'),
        ('bi_roll', 'from_sort', 'Sort key of from_bucket, 0..4.'),
        ('bi_roll', 'to_state', 'State at the snapshot of M: a DPD bucket, or closed.'),
        ('bi_roll', 'to_sort', 'Sort key of to_state, 0..5 (closed last).'),
        ('bi_roll', 'loans', 'Loans that went from from_bucket to to_state.'),
        ('bi_roll', 'from_loans', 'All loans in from_bucket at the snapshot of M-1.'),
        ('bi_roll', 'share', 'loans / from_loans (6 decimals).'),
        ('bi_roll', 'worse', 'True when to_state is a worse DPD bucket than from_bucket (the roll rate counts these).'),
        ('bi_vintage', 'vintage', 'Start month of the loans (its first day).'),
        ('bi_vintage', 'months_on_book', 'm = 0 for the start month, up to the as-of date''s month.'),
        ('bi_vintage', 'month', 'Calendar month vintage + m.'),
        ('bi_vintage', 'loans', 'Loans of the vintage (started on or before the as-of date).'),
        ('bi_vintage', 'ever30_loans', 'Of those, the loans more than 30 days past due at one or more month-end snapshots 0..m.'),
        ('bi_vintage', 'ever30_share', 'ever30_loans / loans (6 decimals).')
    ) AS c(views, col, txt)
    LOOP
        FOR i IN 1 .. array_length(string_to_array(r.views, ' '), 1) LOOP
            EXECUTE format('COMMENT ON COLUMN mart.%I.%I IS %L',
                           (string_to_array(r.views, ' '))[i], r.col, r.txt);
        END LOOP;
    END LOOP;
END
$$;
