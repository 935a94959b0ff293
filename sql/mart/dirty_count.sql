-- dirty_count.sql: how many clients the incremental build would recompute
-- (in @DIRTY@: mart_dirty, or mart.dirty on Citus; beyond a quarter of the mart's a full build is faster).
SELECT count(*) FROM @DIRTY@
