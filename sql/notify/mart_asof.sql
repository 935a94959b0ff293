-- mart_asof.sql: the day the mart is built for (no row: never built, or
-- emptied by a server crash: its tables are unlogged).
SELECT as_of FROM mart.build_info
