-- dirty_count.sql: how many clients the incremental build would recompute,
-- and how many the mart has (beyond a quarter a full build is faster).
SELECT (SELECT count(*) FROM mart_dirty), (SELECT count(*) FROM mart.client)
