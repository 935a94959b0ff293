-- dash_month_bin.sql: the monthly measures the dashboard's charts draw, per
-- month and amount half-bin, for the page to filter: month as an index from
-- the first month, key = 2 * amount_bin + (not on_grid).  Counts are exact;
-- the money the charts need (outstanding, PAR30/PAR90 outstanding) is in
-- whole roubles, rounded half up per cell, which keeps the page small: the
-- KPI tiles take exact kopecks from dash_last.sql.  Ordered by key, then
-- month, so neighbouring values are alike (the data is gzip-compressed).
COPY (
    SELECT ((extract(year FROM b.month) - extract(year FROM i.first_month)) * 12
            + extract(month FROM b.month) - extract(month FROM i.first_month))::int AS m,
           2 * b.amount_bin + (NOT b.on_grid)::int AS k,
           b.active_loans, b.overdue_loans, (b.outstanding_k + 50) / 100,
           b.dpd_1_30, b.dpd_31_60, b.dpd_61_90, b.dpd_91_plus,
           (b.par30_outstanding_k + 50) / 100, (b.par90_outstanding_k + 50) / 100,
           b.flow_loans, b.flow_late, b.prev_overdue, b.cured, b.issued_loans
    FROM mart.month_bin b, mart.build_info i
    WHERE b.month BETWEEN i.first_month AND i.last_month
    ORDER BY k, m
) TO STDOUT
