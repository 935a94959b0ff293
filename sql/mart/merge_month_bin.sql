-- merge_month_bin.sql: mart_month_bin_delta into mart.month_bin.
-- The incremental build adds its deltas (the changed clients' new
-- contributions minus their old ones, summed by build-mart into the
-- temporary tables of inc_prepare.sql) to the aggregates, in build-mart's
-- transaction.  A row whose values all come to 0 is deleted and a new key
-- inserted: a full build writes exactly the rows with a value that is not 0
-- (lib/mart/mart_calc.c agg_copy, sql/mart/by_attr.sql), so the table ends up as
-- a full build would write it.  The delta has one row per key; the table's
-- unique index finds it.
ANALYZE mart_month_bin_delta;
MERGE INTO mart.month_bin AS m
USING mart_month_bin_delta AS d
   ON m.month = d.month AND m.amount_bin = d.amount_bin AND m.on_grid = d.on_grid
WHEN MATCHED AND
    (m.active_loans + d.active_loans, m.overdue_loans + d.overdue_loans,
     m.outstanding_k + d.outstanding_k,
     m.overdue_outstanding_k + d.overdue_outstanding_k,
     m.arrears_k + d.arrears_k, m.dpd_1_30 + d.dpd_1_30,
     m.dpd_31_60 + d.dpd_31_60, m.dpd_61_90 + d.dpd_61_90,
     m.dpd_91_plus + d.dpd_91_plus, m.flow_loans + d.flow_loans,
     m.flow_late + d.flow_late, m.flow_amount_k + d.flow_amount_k,
     m.flow_late_paid_k + d.flow_late_paid_k,
     m.par30_outstanding_k + d.par30_outstanding_k,
     m.par90_outstanding_k + d.par90_outstanding_k,
     m.prev_overdue + d.prev_overdue, m.cured + d.cured,
     m.issued_loans + d.issued_loans, m.issued_k + d.issued_k)
    = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0) THEN
    DELETE
WHEN MATCHED THEN UPDATE SET
    active_loans = m.active_loans + d.active_loans,
    overdue_loans = m.overdue_loans + d.overdue_loans,
    outstanding_k = m.outstanding_k + d.outstanding_k,
    overdue_outstanding_k = m.overdue_outstanding_k + d.overdue_outstanding_k,
    arrears_k = m.arrears_k + d.arrears_k, dpd_1_30 = m.dpd_1_30 + d.dpd_1_30,
    dpd_31_60 = m.dpd_31_60 + d.dpd_31_60,
    dpd_61_90 = m.dpd_61_90 + d.dpd_61_90,
    dpd_91_plus = m.dpd_91_plus + d.dpd_91_plus,
    flow_loans = m.flow_loans + d.flow_loans,
    flow_late = m.flow_late + d.flow_late,
    flow_amount_k = m.flow_amount_k + d.flow_amount_k,
    flow_late_paid_k = m.flow_late_paid_k + d.flow_late_paid_k,
    par30_outstanding_k = m.par30_outstanding_k + d.par30_outstanding_k,
    par90_outstanding_k = m.par90_outstanding_k + d.par90_outstanding_k,
    prev_overdue = m.prev_overdue + d.prev_overdue, cured = m.cured + d.cured,
    issued_loans = m.issued_loans + d.issued_loans,
    issued_k = m.issued_k + d.issued_k
WHEN NOT MATCHED THEN INSERT (month, amount_bin, on_grid,
    active_loans, overdue_loans, outstanding_k, overdue_outstanding_k,
    arrears_k, dpd_1_30, dpd_31_60, dpd_61_90, dpd_91_plus, flow_loans,
    flow_late, flow_amount_k, flow_late_paid_k, par30_outstanding_k,
    par90_outstanding_k, prev_overdue, cured, issued_loans, issued_k)
    VALUES (d.month, d.amount_bin, d.on_grid,
    d.active_loans, d.overdue_loans, d.outstanding_k, d.overdue_outstanding_k,
    d.arrears_k, d.dpd_1_30, d.dpd_31_60, d.dpd_61_90, d.dpd_91_plus,
    d.flow_loans, d.flow_late, d.flow_amount_k, d.flow_late_paid_k,
    d.par30_outstanding_k, d.par90_outstanding_k, d.prev_overdue, d.cured,
    d.issued_loans, d.issued_k);
