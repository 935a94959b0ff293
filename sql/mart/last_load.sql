-- last_load.sql: the last committed load and the number of committed loads:
-- under the writer lock, the core build-mart reads is exactly these loads.
SELECT coalesce(max(load_id), 0), count(*) FROM core.load WHERE status = 'committed'
