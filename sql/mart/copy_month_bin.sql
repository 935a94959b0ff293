-- copy_month_bin.sql: monthly measures per amount bin, aggregated by build-mart.
COPY mart.month_bin_next (month, amount_bin, active_loans, overdue_loans,
    outstanding_k, overdue_outstanding_k, arrears_k, dpd_1_30, dpd_31_60,
    dpd_61_90, dpd_91_plus, flow_loans, flow_late, flow_amount_k,
    flow_late_paid_k) FROM STDIN
