-- merge_roll_bin.sql: mart_roll_bin_delta into mart.roll_bin.
-- The incremental build adds its deltas (the changed clients' new
-- contributions minus their old ones, summed by build-mart into the
-- temporary tables of inc_prepare.sql) to the aggregates, in build-mart's
-- transaction.  A row whose values all come to 0 is deleted and a new key
-- inserted: a full build writes exactly the rows with a value that is not 0
-- (lib/mart/mart_calc.c agg_copy, sql/mart/by_attr.sql), so the table ends up as
-- a full build would write it.  The delta has one row per key; the table's
-- unique index finds it.
ANALYZE mart_roll_bin_delta;
MERGE INTO mart.roll_bin AS m
USING mart_roll_bin_delta AS d
   ON m.month = d.month AND m.amount_bin = d.amount_bin AND m.on_grid = d.on_grid
  AND m.from_bucket = d.from_bucket AND m.to_state = d.to_state
WHEN MATCHED AND m.loans + d.loans = 0 THEN DELETE
WHEN MATCHED THEN UPDATE SET loans = m.loans + d.loans
WHEN NOT MATCHED THEN INSERT (month, amount_bin, on_grid, from_bucket, to_state, loans)
    VALUES (d.month, d.amount_bin, d.on_grid, d.from_bucket, d.to_state, d.loans);
