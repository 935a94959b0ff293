-- dash_attr.sql: active and overdue loans as of the mart's date per client
-- attribute, value and amount half-bin (the breakdowns), in the dashboard's
-- attribute order and by value.
COPY (
    SELECT a.attribute, a.value, 2 * a.amount_bin + (NOT a.on_grid)::int AS k,
           a.active_loans, a.overdue_loans
    FROM mart.by_attr a
    WHERE a.active_loans > 0
    ORDER BY array_position(ARRAY['gender', 'age_band', 'education', 'count_of_children',
                                  'job_type', 'family_status', 'region'], a.attribute),
             a.value COLLATE "C", k
) TO STDOUT
