-- report_by.sql: overdue share as of the mart's date by one client attribute
-- ($1, a name from overdue-report's fixed list) for loans with loan_amount
-- in [lo, hi]: the amount bins wholly inside the range ($2..$3) from
-- mart.by_attr, the loans of the edge bins ($4..$5, $6..$7) from mart.loan,
-- as report_monthly.sql does.  @ATTR@ is replaced by overdue-report with
-- the same column name from its fixed list, never with user text.
-- NULL -> 'unknown'.
WITH full_bins AS (
    SELECT value, active_loans AS a, overdue_loans AS o
    FROM mart.by_attr
    WHERE attribute = $1 AND amount_bin BETWEEN $2::int AND $3::int
), edge AS (
    SELECT coalesce(@ATTR@::text, 'unknown') AS value,
           count(*) FILTER (WHERE status IN ('current', 'overdue')) AS a,
           count(*) FILTER (WHERE status = 'overdue') AS o
    FROM mart.loan
    WHERE loan_amount BETWEEN $4::numeric AND $5::numeric
       OR loan_amount BETWEEN $6::numeric AND $7::numeric
    GROUP BY 1
)
SELECT value, sum(a) AS active_loans, sum(o) AS overdue_loans
FROM (SELECT * FROM full_bins UNION ALL SELECT * FROM edge) x
GROUP BY value
ORDER BY value COLLATE "C"
