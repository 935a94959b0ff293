-- build_info.sql: record the as-of date the mart was built for.
-- $1 as_of, $2 first_month (NULL: no loans), $3 loans, $4 payments, $5 seconds.
INSERT INTO mart.build_info (id, as_of, built_at, first_month, last_month,
    loans, payments, seconds)
VALUES (1, $1::date, clock_timestamp(), $2::date,
        date_trunc('month', $1::date)::date, $3::bigint, $4::bigint, $5::numeric)
ON CONFLICT (id) DO UPDATE SET
    as_of = EXCLUDED.as_of, built_at = EXCLUDED.built_at,
    first_month = EXCLUDED.first_month, last_month = EXCLUDED.last_month,
    loans = EXCLUDED.loans, payments = EXCLUDED.payments, seconds = EXCLUDED.seconds;
