-- dash_last.sql: exact money for the dashboard's KPI tiles: the as-of
-- month and the month before (their change), per amount half-bin, in
-- kopecks: outstanding, overdue outstanding, arrears, PAR30/PAR90
-- outstanding, and the loans issued up to that month's snapshot.
COPY (
    WITH info AS (
        SELECT first_month, last_month FROM mart.build_info WHERE first_month IS NOT NULL
    ), two AS (
        SELECT generate_series(greatest(first_month, (last_month - interval '1 month')::date),
                               last_month, interval '1 month')::date AS month
        FROM info
    ), bins AS (
        SELECT b.month, 2 * b.amount_bin + (NOT b.on_grid)::int AS k, b.outstanding_k,
               b.overdue_outstanding_k, b.arrears_k, b.par30_outstanding_k,
               b.par90_outstanding_k, b.issued_k
        FROM mart.month_bin b, info
        WHERE b.month BETWEEN info.first_month AND info.last_month
    ), cells AS (
        SELECT t.month, b.k,
               sum(b.outstanding_k) FILTER (WHERE b.month = t.month) AS out_k,
               sum(b.overdue_outstanding_k) FILTER (WHERE b.month = t.month) AS oout_k,
               sum(b.arrears_k) FILTER (WHERE b.month = t.month) AS arr_k,
               sum(b.par30_outstanding_k) FILTER (WHERE b.month = t.month) AS p30_k,
               sum(b.par90_outstanding_k) FILTER (WHERE b.month = t.month) AS p90_k,
               sum(b.issued_k) AS issued_k       -- every month up to t.month
        FROM two t
        JOIN bins b ON b.month <= t.month
        GROUP BY t.month, b.k
    )
    SELECT ((extract(year FROM c.month) - extract(year FROM i.first_month)) * 12
            + extract(month FROM c.month) - extract(month FROM i.first_month))::int AS m,
           c.k, coalesce(c.out_k, 0), coalesce(c.oout_k, 0), coalesce(c.arr_k, 0),
           coalesce(c.p30_k, 0), coalesce(c.p90_k, 0), c.issued_k
    FROM cells c, info i
    WHERE coalesce(c.out_k, 0) <> 0 OR c.issued_k <> 0
    ORDER BY m, c.k
) TO STDOUT
