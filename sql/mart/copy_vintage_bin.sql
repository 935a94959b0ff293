-- copy_vintage_bin.sql: loans per vintage, amount half-bin and first month-on-book at dpd > 30.
-- @TABLE@: mart.vintage_bin_next (full build) or the incremental build's target.
COPY @TABLE@ (vintage, amount_bin, on_grid, first30_mob, loans) FROM STDIN
