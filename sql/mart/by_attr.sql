-- by_attr.sql: the breakdowns of SPEC 5 pre-aggregated for overdue-report
-- --by: per client attribute, value (NULL -> 'unknown') and amount bin, the
-- loans and the active and overdue ones as of the mart's date.  One pass over
-- mart.loan rows with grouping sets; a few thousand rows.  Grouped by the
-- value as written (count_of_children as text, NULL as 'unknown'), so each
-- (attribute, value, amount_bin, on_grid) is one row (mart.by_attr_idx).
--   @WITH@   nothing, or a WITH clause naming the rows: the incremental
--            build deletes the changed clients' rows of mart.loan and
--            counts what it deleted (one pass over them);
--   @TABLE@  where the rows go: mart.by_attr_next (full build), or the
--            incremental build's delta table;
--   @LOANS@  the loan rows counted: mart.loan_next, the rows of @WITH@, or
--            the changed clients' new rows of mart.loan;
--   @SIGN@   1, or -1 for the rows the incremental build takes away.
-- (Fixed strings from build-mart, never user text.)  On a Citus cluster
-- build-mart runs by_attr_citus.sql instead (the same rows).
@WITH@
INSERT INTO @TABLE@ (attribute, value, amount_bin, on_grid, loans,
    active_loans, overdue_loans)
SELECT CASE WHEN GROUPING(gender) = 0 THEN 'gender'
            WHEN GROUPING(age_band) = 0 THEN 'age_band'
            WHEN GROUPING(education) = 0 THEN 'education'
            WHEN GROUPING(count_of_children) = 0 THEN 'count_of_children'
            WHEN GROUPING(job_type) = 0 THEN 'job_type'
            WHEN GROUPING(family_status) = 0 THEN 'family_status'
            ELSE 'region' END,
       CASE WHEN GROUPING(gender) = 0 THEN gender
            WHEN GROUPING(age_band) = 0 THEN age_band
            WHEN GROUPING(education) = 0 THEN education
            WHEN GROUPING(count_of_children) = 0 THEN count_of_children
            WHEN GROUPING(job_type) = 0 THEN job_type
            WHEN GROUPING(family_status) = 0 THEN family_status
            ELSE region END,
       amount_bin, on_grid,
       @SIGN@ * count(*),
       @SIGN@ * count(*) FILTER (WHERE status IN ('current', 'overdue')),
       @SIGN@ * count(*) FILTER (WHERE status = 'overdue')
FROM (SELECT coalesce(gender, 'unknown') AS gender,
             coalesce(age_band, 'unknown') AS age_band,
             coalesce(education, 'unknown') AS education,
             coalesce(count_of_children::text, 'unknown') AS count_of_children,
             coalesce(job_type, 'unknown') AS job_type,
             coalesce(family_status, 'unknown') AS family_status,
             coalesce(region, 'unknown') AS region,
             amount_bin, status, loan_amount = amount_bin * 1000 AS on_grid
      FROM @LOANS@) l
GROUP BY GROUPING SETS ((gender, amount_bin, on_grid), (age_band, amount_bin, on_grid),
    (education, amount_bin, on_grid), (count_of_children, amount_bin, on_grid),
    (job_type, amount_bin, on_grid), (family_status, amount_bin, on_grid), (region, amount_bin, on_grid))
