-- dash_vintage.sql: loans per vintage (start month, as an index from the
-- first month), amount half-bin and first month-on-book at dpd > 30 (-1 never).
COPY (
    SELECT ((extract(year FROM v.vintage) - extract(year FROM i.first_month)) * 12
            + extract(month FROM v.vintage) - extract(month FROM i.first_month))::int AS v,
           2 * v.amount_bin + (NOT v.on_grid)::int AS k, v.first30_mob, v.loans
    FROM mart.vintage_bin v, mart.build_info i
    ORDER BY k, v, v.first30_mob
) TO STDOUT
