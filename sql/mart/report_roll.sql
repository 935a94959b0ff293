-- report_roll.sql: the roll (transition) matrix of SPEC 5 for loans with
-- loan_amount in [lo, hi]: for every month but the first, the loans in each
-- DPD bucket at the snapshot of M-1 by their state at M (to 0..4 the same
-- buckets, 5 closed).  Whole amount bins from mart.roll_bin ($1..$2), the
-- edge bins' loans from their snapshots in mart.loan ($3..$6), as
-- report_monthly.sql does.  Five rows per month, also when empty.
WITH info AS (
    SELECT first_month, last_month FROM mart.build_info
), months AS (
    SELECT generate_series(first_month + interval '1 month', last_month,
                           interval '1 month')::date AS month
    FROM info
    WHERE first_month IS NOT NULL
), grid AS (
    SELECT m.month, b.from_bucket
    FROM months m CROSS JOIN generate_series(0, 4) AS b(from_bucket)
), full_bins AS (
    SELECT month, from_bucket, to_state, loans
    FROM mart.roll_bin
    WHERE amount_bin BETWEEN $1::int AND $2::int
), edge_snapshots AS (
    SELECT (l.first_month + make_interval(months => (u.i - 1)::int))::date AS month,
           u.st, u.dpd,
           l.m_status[u.i - 1] AS prev_st, l.m_dpd[u.i - 1] AS prev_dpd
    FROM mart.loan l,
         unnest(l.m_status, l.m_dpd) WITH ORDINALITY AS u(st, dpd, i)
    WHERE (l.loan_amount BETWEEN $3::numeric AND $4::numeric
           OR l.loan_amount BETWEEN $5::numeric AND $6::numeric)
      AND u.i > 1
), edge AS (
    -- bucket of an active snapshot: 0 current, 1..4 by dpd; 5 closed
    SELECT month,
           CASE WHEN prev_st = 1 THEN 0 WHEN prev_dpd <= 30 THEN 1
                WHEN prev_dpd <= 60 THEN 2 WHEN prev_dpd <= 90 THEN 3 ELSE 4 END AS from_bucket,
           CASE WHEN st = 3 THEN 5 WHEN st = 1 THEN 0 WHEN dpd <= 30 THEN 1
                WHEN dpd <= 60 THEN 2 WHEN dpd <= 90 THEN 3 ELSE 4 END AS to_state,
           1::bigint AS loans
    FROM edge_snapshots
    WHERE prev_st IN (1, 2)
), agg AS (
    SELECT month, from_bucket,
           sum(loans) AS loans,
           sum(loans) FILTER (WHERE to_state = 0) AS t0,
           sum(loans) FILTER (WHERE to_state = 1) AS t1,
           sum(loans) FILTER (WHERE to_state = 2) AS t2,
           sum(loans) FILTER (WHERE to_state = 3) AS t3,
           sum(loans) FILTER (WHERE to_state = 4) AS t4,
           sum(loans) FILTER (WHERE to_state = 5) AS t5
    FROM (SELECT * FROM full_bins UNION ALL SELECT * FROM edge) x
    GROUP BY month, from_bucket
)
SELECT to_char(g.month, 'YYYY-MM'), g.from_bucket,
       coalesce(a.loans, 0), coalesce(a.t0, 0), coalesce(a.t1, 0), coalesce(a.t2, 0),
       coalesce(a.t3, 0), coalesce(a.t4, 0), coalesce(a.t5, 0)
FROM grid g
LEFT JOIN agg a ON a.month = g.month AND a.from_bucket = g.from_bucket
ORDER BY g.month, g.from_bucket
