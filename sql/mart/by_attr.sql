-- by_attr.sql: the breakdowns of SPEC 5 pre-aggregated for overdue-report
-- --by: per client attribute, value (NULL -> 'unknown') and amount bin, the
-- active and overdue loans as of the mart's date.  One pass over
-- mart.loan_next with grouping sets; a few thousand rows.
INSERT INTO mart.by_attr_next (attribute, value, amount_bin, on_grid, active_loans, overdue_loans)
SELECT CASE WHEN GROUPING(gender) = 0 THEN 'gender'
            WHEN GROUPING(age_band) = 0 THEN 'age_band'
            WHEN GROUPING(education) = 0 THEN 'education'
            WHEN GROUPING(count_of_children) = 0 THEN 'count_of_children'
            WHEN GROUPING(job_type) = 0 THEN 'job_type'
            WHEN GROUPING(family_status) = 0 THEN 'family_status'
            ELSE 'region' END,
       coalesce(CASE WHEN GROUPING(gender) = 0 THEN gender
                     WHEN GROUPING(age_band) = 0 THEN age_band
                     WHEN GROUPING(education) = 0 THEN education
                     WHEN GROUPING(count_of_children) = 0 THEN count_of_children::text
                     WHEN GROUPING(job_type) = 0 THEN job_type
                     WHEN GROUPING(family_status) = 0 THEN family_status
                     ELSE region END, 'unknown'),
       amount_bin, on_grid,
       count(*) FILTER (WHERE status IN ('current', 'overdue')),
       count(*) FILTER (WHERE status = 'overdue')
FROM (SELECT gender, age_band, education, count_of_children, job_type,
             family_status, region, amount_bin, status,
             loan_amount = amount_bin * 1000 AS on_grid
      FROM mart.loan_next) l
GROUP BY GROUPING SETS ((gender, amount_bin, on_grid), (age_band, amount_bin, on_grid),
    (education, amount_bin, on_grid), (count_of_children, amount_bin, on_grid),
    (job_type, amount_bin, on_grid), (family_status, amount_bin, on_grid), (region, amount_bin, on_grid))
