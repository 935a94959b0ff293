-- report_monthly.sql: the monthly series of SPEC 5 for loans with
-- loan_amount in [lo, hi], read from the mart only.  Exact for any range:
-- the amount bins wholly inside it come from mart.month_bin ($1..$2), the
-- loans of the (at most two) partly covered edge bins from their month-end
-- snapshots in mart.loan ($3..$4 and $5..$6, amounts).  Money in kopecks;
-- overdue-report formats shares and money.  Every month of the range
-- appears, also months without loans.  issued is cumulative: the loans
-- started up to the month's snapshot (on or before as_of).
WITH info AS (
    SELECT first_month, last_month, as_of FROM mart.build_info
), months AS (
    SELECT generate_series(first_month, last_month, interval '1 month')::date AS month
    FROM info
    WHERE first_month IS NOT NULL
), full_bins AS (
    SELECT month, active_loans AS a, overdue_loans AS o, outstanding_k AS outk,
           overdue_outstanding_k AS ooutk, arrears_k AS arrk, dpd_1_30 AS d1,
           dpd_31_60 AS d2, dpd_61_90 AS d3, dpd_91_plus AS d4,
           flow_loans AS fl, flow_late AS fll,
           par30_outstanding_k AS p30, par90_outstanding_k AS p90,
           prev_overdue AS po, cured AS cu, issued_k AS ik
    FROM mart.month_bin
    WHERE amount_bin BETWEEN $1::int AND $2::int
), edge_loans AS (
    SELECT l.*
    FROM mart.loan l
    WHERE l.loan_amount BETWEEN $3::numeric AND $4::numeric
       OR l.loan_amount BETWEEN $5::numeric AND $6::numeric
), edge_snapshots AS (
    -- prev_st: the state at the snapshot before (NULL for the loan's first month)
    SELECT (l.first_month + make_interval(months => (u.i - 1)::int))::date AS month,
           u.st, u.dpd, u.outk, u.arrk, u.flow,
           CASE WHEN u.i > 1 THEN l.m_status[u.i - 1] END AS prev_st
    FROM edge_loans l,
         unnest(l.m_status, l.m_dpd, l.m_outstanding_k, l.m_arrears_k, l.m_flow)
             WITH ORDINALITY AS u(st, dpd, outk, arrk, flow, i)
), edge AS (
    SELECT month,
           (st IN (1, 2))::int AS a,
           (st = 2)::int AS o,
           CASE WHEN st IN (1, 2) THEN outk ELSE 0 END AS outk,
           CASE WHEN st = 2 THEN outk ELSE 0 END AS ooutk,
           CASE WHEN st IN (1, 2) THEN arrk ELSE 0 END AS arrk,
           (st = 2 AND dpd BETWEEN 1 AND 30)::int AS d1,
           (st = 2 AND dpd BETWEEN 31 AND 60)::int AS d2,
           (st = 2 AND dpd BETWEEN 61 AND 90)::int AS d3,
           (st = 2 AND dpd > 90)::int AS d4,
           (flow > 0)::int AS fl,
           (flow = 2)::int AS fll,
           CASE WHEN st IN (1, 2) AND dpd > 30 THEN outk ELSE 0 END AS p30,
           CASE WHEN st IN (1, 2) AND dpd > 90 THEN outk ELSE 0 END AS p90,
           (prev_st = 2)::int AS po,
           (prev_st = 2 AND st IN (1, 3))::int AS cu,
           0::bigint AS ik
    FROM edge_snapshots
    UNION ALL
    -- the edge loans' issue: their start month, when started on or before as_of
    SELECT date_trunc('month', l.loan_start_date)::date,
           0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
           (l.loan_amount * 100)::bigint
    FROM edge_loans l, info
    WHERE l.loan_start_date <= info.as_of
), agg AS (
    SELECT month, sum(a) AS a, sum(o) AS o, sum(outk) AS outk, sum(ooutk) AS ooutk,
           sum(arrk) AS arrk, sum(d1) AS d1, sum(d2) AS d2, sum(d3) AS d3,
           sum(d4) AS d4, sum(fl) AS fl, sum(fll) AS fll, sum(p30) AS p30,
           sum(p90) AS p90, sum(po) AS po, sum(cu) AS cu, sum(ik) AS ik
    FROM (SELECT * FROM full_bins UNION ALL SELECT * FROM edge) x
    GROUP BY month
)
SELECT to_char(m.month, 'YYYY-MM'),
       coalesce(a.a, 0), coalesce(a.o, 0), coalesce(a.outk, 0), coalesce(a.ooutk, 0),
       coalesce(a.arrk, 0), coalesce(a.d1, 0), coalesce(a.d2, 0), coalesce(a.d3, 0),
       coalesce(a.d4, 0), coalesce(a.fl, 0), coalesce(a.fll, 0),
       coalesce(a.p30, 0), coalesce(a.p90, 0), coalesce(a.po, 0), coalesce(a.cu, 0),
       sum(coalesce(a.ik, 0)) OVER (ORDER BY m.month)
FROM months m
LEFT JOIN agg a ON a.month = m.month
ORDER BY m.month
