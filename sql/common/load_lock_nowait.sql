-- load_lock_nowait.sql: load_lock.sql, refused at once (SQLSTATE 55P03)
-- when another load holds it.
LOCK TABLE core.load IN SHARE UPDATE EXCLUSIVE MODE NOWAIT
