-- dirty_count.sql: how many clients the incremental build would recompute
-- (beyond a quarter of the mart's a full build is faster).
SELECT count(*) FROM mart_dirty
