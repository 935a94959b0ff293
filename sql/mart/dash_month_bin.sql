-- dash_month_bin.sql: every monthly measure per month and amount half-bin,
-- for the dashboard to filter in the page: month as an index from the first
-- month, key = 2 * amount_bin + (not on_grid).  Ordered by key, then month,
-- so neighbouring values are alike (the page data is gzip-compressed).
COPY (
    SELECT ((extract(year FROM b.month) - extract(year FROM i.first_month)) * 12
            + extract(month FROM b.month) - extract(month FROM i.first_month))::int AS m,
           2 * b.amount_bin + (NOT b.on_grid)::int AS k,
           b.active_loans, b.overdue_loans, b.outstanding_k, b.overdue_outstanding_k,
           b.arrears_k, b.dpd_1_30, b.dpd_31_60, b.dpd_61_90, b.dpd_91_plus,
           b.par30_outstanding_k, b.par90_outstanding_k, b.flow_loans, b.flow_late,
           b.prev_overdue, b.cured, b.issued_loans, b.issued_k
    FROM mart.month_bin b, mart.build_info i
    WHERE b.month BETWEEN i.first_month AND i.last_month
    ORDER BY k, m
) TO STDOUT
