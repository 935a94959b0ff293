-- copy_month_bin.sql: monthly measures per amount half-bin, aggregated by build-mart.
-- @TABLE@: mart.month_bin_next (full build) or the incremental build's target.
COPY @TABLE@ (month, amount_bin, on_grid, active_loans, overdue_loans,
    outstanding_k, overdue_outstanding_k, arrears_k, dpd_1_30, dpd_31_60,
    dpd_61_90, dpd_91_plus, flow_loans, flow_late, flow_amount_k,
    flow_late_paid_k, par30_outstanding_k, par90_outstanding_k, prev_overdue,
    cured, issued_loans, issued_k) FROM STDIN
