-- dash_loans.sql: overdue loans as of the mart's date for the dashboard's
-- table, personal data as the mart masks it, largest arrears first: every
-- one when there are at most $1, else the $2 largest of each seed amount
-- bucket (the page says so).  k = the amount half-bin.  Each bucket's
-- largest come from the partial index loan_overdue_top_idx (swap.sql), so
-- this reads a few thousand index entries, not every overdue loan.
WITH total AS (
    SELECT count(*) AS n FROM mart.loan WHERE status = 'overdue'
), buckets(bucket) AS (
    VALUES (0), (1), (2), (3)
), kept AS (
    SELECT t.*
    FROM total, buckets b,
         LATERAL (
             SELECT l.client_id, l.loan_name, l.region, l.loan_amount, l.dpd,
                    l.dpd_bucket, l.arrears, l.outstanding, l.amount_bin
             FROM mart.loan l
             WHERE l.status = 'overdue'
               AND (CASE WHEN l.loan_amount < 50000 THEN 0 WHEN l.loan_amount < 100000 THEN 1
                         WHEN l.loan_amount < 500000 THEN 2 ELSE 3 END) = b.bucket
             ORDER BY (CASE WHEN l.loan_amount < 50000 THEN 0 WHEN l.loan_amount < 100000 THEN 1
                            WHEN l.loan_amount < 500000 THEN 2 ELSE 3 END),
                      l.arrears DESC, l.client_id, l.loan_name
             LIMIT CASE WHEN total.n <= $1::bigint THEN NULL ELSE $2::bigint END
         ) t
)
SELECT o.client_id, coalesce(c.fio, ''), coalesce(o.region, ''), coalesce(c.phone, ''),
       o.loan_name, o.loan_amount, o.dpd, o.dpd_bucket, o.arrears, o.outstanding,
       2 * o.amount_bin + (o.loan_amount <> o.amount_bin * 1000)::int AS k, total.n
FROM kept o
CROSS JOIN total
LEFT JOIN mart.client c ON c.client_id = o.client_id
ORDER BY o.arrears DESC, o.client_id, o.loan_name
