-- dash_loans.sql: overdue loans as of the mart's date for the dashboard's
-- table, personal data as the mart masks it, largest arrears first: every
-- one when there are at most $1, else the $2 largest of each seed amount
-- bucket (the page says so).  k = the amount half-bin.  Each bucket's
-- largest come from the partial index loan_overdue_top_idx (swap.sql), so
-- this reads a few thousand index entries, not every overdue loan.
-- A branch per bucket, each taking the greater of $1 and $2 (with at most
-- $1 overdue loans in all, that is every one of the bucket), then cut to $2
-- when there are more: a LIMIT that depends on the count, or on a lateral
-- row, cannot be pushed down to Citus's shards ("cannot push down this
-- subquery"); an ORDER BY ... LIMIT n over co-located tables can (each
-- shard's top n, merged).
WITH total AS (
    SELECT count(*) AS n FROM mart.loan WHERE status = 'overdue'
), top AS (
    (SELECT 0 AS bucket, l.client_id, coalesce(c.fio, '') AS fio,
            coalesce(l.region, '') AS region, coalesce(c.phone, '') AS phone,
            l.loan_name, l.loan_amount, l.dpd, l.dpd_bucket, l.arrears, l.outstanding,
            l.amount_bin
     FROM mart.loan l
     LEFT JOIN mart.client c ON c.client_id = l.client_id
     WHERE l.status = 'overdue'
       AND (CASE WHEN l.loan_amount < 50000 THEN 0 WHEN l.loan_amount < 100000 THEN 1
                 WHEN l.loan_amount < 500000 THEN 2 ELSE 3 END) = 0
     ORDER BY (CASE WHEN l.loan_amount < 50000 THEN 0 WHEN l.loan_amount < 100000 THEN 1
                    WHEN l.loan_amount < 500000 THEN 2 ELSE 3 END),
              l.arrears DESC, l.client_id, l.loan_name
     LIMIT greatest($1::bigint, $2::bigint))
    UNION ALL
    (SELECT 1 AS bucket, l.client_id, coalesce(c.fio, '') AS fio,
            coalesce(l.region, '') AS region, coalesce(c.phone, '') AS phone,
            l.loan_name, l.loan_amount, l.dpd, l.dpd_bucket, l.arrears, l.outstanding,
            l.amount_bin
     FROM mart.loan l
     LEFT JOIN mart.client c ON c.client_id = l.client_id
     WHERE l.status = 'overdue'
       AND (CASE WHEN l.loan_amount < 50000 THEN 0 WHEN l.loan_amount < 100000 THEN 1
                 WHEN l.loan_amount < 500000 THEN 2 ELSE 3 END) = 1
     ORDER BY (CASE WHEN l.loan_amount < 50000 THEN 0 WHEN l.loan_amount < 100000 THEN 1
                    WHEN l.loan_amount < 500000 THEN 2 ELSE 3 END),
              l.arrears DESC, l.client_id, l.loan_name
     LIMIT greatest($1::bigint, $2::bigint))
    UNION ALL
    (SELECT 2 AS bucket, l.client_id, coalesce(c.fio, '') AS fio,
            coalesce(l.region, '') AS region, coalesce(c.phone, '') AS phone,
            l.loan_name, l.loan_amount, l.dpd, l.dpd_bucket, l.arrears, l.outstanding,
            l.amount_bin
     FROM mart.loan l
     LEFT JOIN mart.client c ON c.client_id = l.client_id
     WHERE l.status = 'overdue'
       AND (CASE WHEN l.loan_amount < 50000 THEN 0 WHEN l.loan_amount < 100000 THEN 1
                 WHEN l.loan_amount < 500000 THEN 2 ELSE 3 END) = 2
     ORDER BY (CASE WHEN l.loan_amount < 50000 THEN 0 WHEN l.loan_amount < 100000 THEN 1
                    WHEN l.loan_amount < 500000 THEN 2 ELSE 3 END),
              l.arrears DESC, l.client_id, l.loan_name
     LIMIT greatest($1::bigint, $2::bigint))
    UNION ALL
    (SELECT 3 AS bucket, l.client_id, coalesce(c.fio, '') AS fio,
            coalesce(l.region, '') AS region, coalesce(c.phone, '') AS phone,
            l.loan_name, l.loan_amount, l.dpd, l.dpd_bucket, l.arrears, l.outstanding,
            l.amount_bin
     FROM mart.loan l
     LEFT JOIN mart.client c ON c.client_id = l.client_id
     WHERE l.status = 'overdue'
       AND (CASE WHEN l.loan_amount < 50000 THEN 0 WHEN l.loan_amount < 100000 THEN 1
                 WHEN l.loan_amount < 500000 THEN 2 ELSE 3 END) = 3
     ORDER BY (CASE WHEN l.loan_amount < 50000 THEN 0 WHEN l.loan_amount < 100000 THEN 1
                    WHEN l.loan_amount < 500000 THEN 2 ELSE 3 END),
              l.arrears DESC, l.client_id, l.loan_name
     LIMIT greatest($1::bigint, $2::bigint))
), kept AS (
    SELECT t.*, row_number() OVER (PARTITION BY t.bucket
                                   ORDER BY t.arrears DESC, t.client_id, t.loan_name) AS r
    FROM top t
)
SELECT o.client_id, o.fio, o.region, o.phone,
       o.loan_name, o.loan_amount, o.dpd, o.dpd_bucket, o.arrears, o.outstanding,
       2 * o.amount_bin + (o.loan_amount <> o.amount_bin * 1000)::int AS k, total.n
FROM kept o
CROSS JOIN total
WHERE total.n <= $1::bigint OR o.r <= $2::bigint
ORDER BY o.arrears DESC, o.client_id, o.loan_name
