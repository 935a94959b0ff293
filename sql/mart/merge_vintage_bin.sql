-- merge_vintage_bin.sql: mart_vintage_bin_delta into mart.vintage_bin.
-- The incremental build adds its deltas (the changed clients' new
-- contributions minus their old ones, summed by build-mart into the
-- temporary tables of inc_prepare.sql) to the aggregates, in build-mart's
-- transaction.  A row whose values all come to 0 is deleted and a new key
-- inserted: a full build writes exactly the rows with a value that is not 0
-- (lib/mart/mart_calc.c agg_copy, sql/mart/by_attr.sql), so the table ends up as
-- a full build would write it.  The delta has one row per key; the table's
-- unique index finds it.
ANALYZE mart_vintage_bin_delta;
MERGE INTO mart.vintage_bin AS m
USING mart_vintage_bin_delta AS d
   ON m.vintage = d.vintage AND m.amount_bin = d.amount_bin AND m.on_grid = d.on_grid
  AND m.first30_mob = d.first30_mob
WHEN MATCHED AND m.loans + d.loans = 0 THEN DELETE
WHEN MATCHED THEN UPDATE SET loans = m.loans + d.loans
WHEN NOT MATCHED THEN INSERT (vintage, amount_bin, on_grid, first30_mob, loans)
    VALUES (d.vintage, d.amount_bin, d.on_grid, d.first30_mob, d.loans);
