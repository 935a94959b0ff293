-- inc_prepare.sql: the incremental build's scratch tables for the signed
-- deltas of the aggregates (merge_*.sql add them to the mart), on
-- build-mart's own connection inside its transaction, dropped when it ends.
CREATE TEMP TABLE mart_month_bin_delta (LIKE mart.month_bin) ON COMMIT DROP;
CREATE TEMP TABLE mart_roll_bin_delta (LIKE mart.roll_bin) ON COMMIT DROP;
CREATE TEMP TABLE mart_vintage_bin_delta (LIKE mart.vintage_bin) ON COMMIT DROP;
CREATE TEMP TABLE mart_by_attr_delta (LIKE mart.by_attr) ON COMMIT DROP;
