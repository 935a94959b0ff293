-- report_vintage.sql: vintage curves of SPEC 5 for loans with loan_amount
-- in [lo, hi]: per start month (vintage, loans started on or before as_of)
-- and month-on-book m = 0 .. (as_of's month - vintage), the loans and those
-- whose dpd was > 30 at one of the snapshots 0..m.  Whole amount bins from
-- mart.vintage_bin ($1..$2; first30_mob = the first such m, -1 never), the
-- edge bins' loans from mart.loan ($3..$6), as report_monthly.sql does.
WITH info AS (
    SELECT last_month, as_of FROM mart.build_info
), full_bins AS (
    SELECT vintage, first30_mob, loans
    FROM mart.vintage_bin
    WHERE amount_bin BETWEEN $1::int AND $2::int
), edge_loans AS (
    SELECT l.client_id, l.loan_name, l.first_month, l.m_status, l.m_dpd,
           date_trunc('month', l.loan_start_date)::date AS vintage
    FROM mart.loan l, info
    WHERE (l.loan_amount BETWEEN $3::numeric AND $4::numeric
           OR l.loan_amount BETWEEN $5::numeric AND $6::numeric)
      AND l.loan_start_date <= info.as_of
), edge AS (
    -- the first snapshot at or after the vintage month with an active dpd > 30
    SELECT e.vintage,
           coalesce((SELECT min(u.i - 1)::int
                     FROM unnest(e.m_status, e.m_dpd) WITH ORDINALITY AS u(st, dpd, i)
                     WHERE u.st IN (1, 2) AND u.dpd > 30
                       AND e.first_month + make_interval(months => (u.i - 1)::int) >= e.vintage)
                    - ((extract(year FROM e.vintage) - extract(year FROM e.first_month)) * 12
                       + extract(month FROM e.vintage) - extract(month FROM e.first_month))::int,
                    -1) AS first30_mob,
           1::bigint AS loans
    FROM edge_loans e
), cohorts AS (
    SELECT vintage, first30_mob, sum(loans) AS loans
    FROM (SELECT * FROM full_bins UNION ALL SELECT * FROM edge) x
    GROUP BY vintage, first30_mob
), vintages AS (
    SELECT vintage, sum(loans) AS loans
    FROM cohorts
    GROUP BY vintage
), new30 AS (
    -- the loans whose first month-on-book at dpd > 30 is mob
    SELECT vintage, first30_mob AS mob, sum(loans) AS loans
    FROM cohorts
    WHERE first30_mob >= 0
    GROUP BY vintage, first30_mob
), curve AS (
    SELECT v.vintage, m.mob, v.loans
    FROM vintages v, info,
         generate_series(0, ((extract(year FROM info.last_month) - extract(year FROM v.vintage)) * 12
                             + extract(month FROM info.last_month) - extract(month FROM v.vintage))::int) AS m(mob)
)
SELECT to_char(c.vintage, 'YYYY-MM'), c.mob, c.loans,
       sum(coalesce(n.loans, 0)) OVER (PARTITION BY c.vintage ORDER BY c.mob)
FROM curve c
LEFT JOIN new30 n ON n.vintage = c.vintage AND n.mob = c.mob
ORDER BY c.vintage, c.mob
