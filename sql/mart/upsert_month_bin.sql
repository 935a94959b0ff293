-- upsert_month_bin.sql: mart_month_bin_delta into mart.month_bin on a Citus
-- cluster (merge_month_bin.sql on one server).
-- The incremental build adds its deltas (the changed clients' new
-- contributions minus their old ones, summed by build-mart into the
-- temporary tables of inc_prepare.sql) to the aggregates, in build-mart's
-- transaction: a key's values added to its row (a new key inserted), then
-- the rows of the delta's keys whose values all came to 0 deleted: a full
-- build writes exactly the rows with a value that is not 0 (lib/mart/mart_calc.c
-- agg_copy, sql/mart/by_attr.sql), so the table ends up as a full build
-- would write it.  INSERT ... ON CONFLICT and a DELETE, not MERGE: Citus
-- refuses a reference table as MERGE's target ("Reference table as target
-- is not allowed in MERGE command").  On one server MERGE is faster (55 k
-- roll and 17 k month keys: 0.92 against 1.15 s, medians of 5), so
-- build-mart runs this file only where the extension is.  The delta's keys
-- reach the DELETE as a subquery (Citus plans it first, into an
-- intermediate result on the nodes).
ANALYZE mart_month_bin_delta;
INSERT INTO mart.month_bin AS m (
    month, amount_bin, on_grid, active_loans, overdue_loans, outstanding_k,
    overdue_outstanding_k, arrears_k, dpd_1_30, dpd_31_60, dpd_61_90,
    dpd_91_plus, flow_loans, flow_late, flow_amount_k, flow_late_paid_k,
    par30_outstanding_k, par90_outstanding_k, prev_overdue, cured,
    issued_loans, issued_k)
SELECT
    month, amount_bin, on_grid, active_loans, overdue_loans, outstanding_k,
    overdue_outstanding_k, arrears_k, dpd_1_30, dpd_31_60, dpd_61_90,
    dpd_91_plus, flow_loans, flow_late, flow_amount_k, flow_late_paid_k,
    par30_outstanding_k, par90_outstanding_k, prev_overdue, cured,
    issued_loans, issued_k
FROM mart_month_bin_delta
ON CONFLICT (month, amount_bin, on_grid) DO UPDATE SET
    active_loans = m.active_loans + EXCLUDED.active_loans,
    overdue_loans = m.overdue_loans + EXCLUDED.overdue_loans,
    outstanding_k = m.outstanding_k + EXCLUDED.outstanding_k,
    overdue_outstanding_k = m.overdue_outstanding_k + EXCLUDED.overdue_outstanding_k,
    arrears_k = m.arrears_k + EXCLUDED.arrears_k,
    dpd_1_30 = m.dpd_1_30 + EXCLUDED.dpd_1_30,
    dpd_31_60 = m.dpd_31_60 + EXCLUDED.dpd_31_60,
    dpd_61_90 = m.dpd_61_90 + EXCLUDED.dpd_61_90,
    dpd_91_plus = m.dpd_91_plus + EXCLUDED.dpd_91_plus,
    flow_loans = m.flow_loans + EXCLUDED.flow_loans,
    flow_late = m.flow_late + EXCLUDED.flow_late,
    flow_amount_k = m.flow_amount_k + EXCLUDED.flow_amount_k,
    flow_late_paid_k = m.flow_late_paid_k + EXCLUDED.flow_late_paid_k,
    par30_outstanding_k = m.par30_outstanding_k + EXCLUDED.par30_outstanding_k,
    par90_outstanding_k = m.par90_outstanding_k + EXCLUDED.par90_outstanding_k,
    prev_overdue = m.prev_overdue + EXCLUDED.prev_overdue,
    cured = m.cured + EXCLUDED.cured,
    issued_loans = m.issued_loans + EXCLUDED.issued_loans,
    issued_k = m.issued_k + EXCLUDED.issued_k;
DELETE FROM mart.month_bin
WHERE (month, amount_bin, on_grid) IN (SELECT month, amount_bin, on_grid FROM mart_month_bin_delta)
  AND (active_loans, overdue_loans, outstanding_k, overdue_outstanding_k,
       arrears_k, dpd_1_30, dpd_31_60, dpd_61_90,
       dpd_91_plus, flow_loans, flow_late, flow_amount_k,
       flow_late_paid_k, par30_outstanding_k, par90_outstanding_k, prev_overdue,
       cured, issued_loans, issued_k)
    = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
