-- running_load.sql: the newest load still running (pg-stage without --load).
SELECT max(l.load_id) FROM core.load AS l WHERE l.status = 'running'
