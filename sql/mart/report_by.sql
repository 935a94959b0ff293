-- report_by.sql: overdue share as of the mart's date by one client attribute,
-- loan_amount in [$1, $2].  Every @ATTR@ is replaced by overdue-report with a column
-- name from its fixed list, never with user text.  NULL -> 'unknown'.
SELECT coalesce(@ATTR@::text, 'unknown') AS value,
       count(*) FILTER (WHERE status IN ('current', 'overdue')) AS active_loans,
       count(*) FILTER (WHERE status = 'overdue') AS overdue_loans
FROM mart.loan
WHERE loan_amount BETWEEN $1::numeric AND $2::numeric
GROUP BY 1
ORDER BY coalesce(@ATTR@::text, 'unknown') COLLATE "C"
