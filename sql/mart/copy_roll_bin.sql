-- copy_roll_bin.sql: the roll matrix's non-zero cells, counted by build-mart.
-- @TABLE@: mart.roll_bin_next (full build) or the incremental build's target.
COPY @TABLE@ (month, amount_bin, on_grid, from_bucket, to_state, loans) FROM STDIN
