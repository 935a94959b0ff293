-- dash_roll.sql: the roll matrix of the as-of date's month (its loans by
-- state at the previous month's snapshot and at this one) per amount half-bin.
COPY (
    SELECT 2 * r.amount_bin + (NOT r.on_grid)::int AS k, r.from_bucket, r.to_state, r.loans
    FROM mart.roll_bin r, mart.build_info i
    WHERE r.month = i.last_month
    ORDER BY k, r.from_bucket, r.to_state
) TO STDOUT
