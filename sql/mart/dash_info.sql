-- dash_info.sql: the dashboard's header: the as-of date, when the mart was
-- built, its first month and the number of months up to the as-of date's.
SELECT to_char(as_of, 'YYYY-MM-DD'),
       to_char(built_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || ' UTC',
       to_char(first_month, 'YYYY-MM'),
       CASE WHEN first_month IS NULL THEN 0
            ELSE ((extract(year FROM last_month) - extract(year FROM first_month)) * 12
                  + extract(month FROM last_month) - extract(month FROM first_month) + 1)::int
       END
FROM mart.build_info
