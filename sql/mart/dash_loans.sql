-- dash_loans.sql: overdue loans as of the mart's date for the dashboard's
-- table, personal data as the mart masks it, largest arrears first: every
-- one when there are at most $1, else the $2 largest of each seed amount
-- bucket (the page says so).  k = the amount half-bin.
WITH overdue AS (
    SELECT l.client_id, c.fio, l.region, c.phone, l.loan_name, l.loan_amount,
           l.dpd, l.dpd_bucket, l.arrears, l.outstanding,
           2 * l.amount_bin + (l.loan_amount <> l.amount_bin * 1000)::int AS k,
           row_number() OVER (
               PARTITION BY CASE WHEN l.loan_amount < 50000 THEN 0
                                 WHEN l.loan_amount < 100000 THEN 1
                                 WHEN l.loan_amount < 500000 THEN 2 ELSE 3 END
               ORDER BY l.arrears DESC, l.client_id, l.loan_name) AS rank,
           count(*) OVER () AS total
    FROM mart.loan l
    LEFT JOIN mart.client c ON c.client_id = l.client_id
    WHERE l.status = 'overdue'
)
SELECT client_id, coalesce(fio, ''), coalesce(region, ''), coalesce(phone, ''),
       loan_name, loan_amount, dpd, dpd_bucket, arrears, outstanding, k, total
FROM overdue
WHERE total <= $1::bigint OR rank <= $2::bigint
ORDER BY arrears DESC, client_id, loan_name
