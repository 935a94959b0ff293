-- copy_vintage_bin.sql: loans per vintage, amount half-bin and first month-on-book at dpd > 30.
COPY mart.vintage_bin_next (vintage, amount_bin, on_grid, first30_mob, loans) FROM STDIN
