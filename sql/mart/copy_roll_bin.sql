-- copy_roll_bin.sql: the roll matrix's non-zero cells, counted by build-mart.
COPY mart.roll_bin_next (month, amount_bin, on_grid, from_bucket, to_state, loans) FROM STDIN
