-- load_lock_others.sql: the client sessions other than this one and than
-- $1 (the caller's own load-part's hold, 0 for none) that hold the load
-- lock (load_lock.sql): a load running elsewhere, which promote-core
-- --begin must not take for a dead one.  Autovacuum's lock of the same
-- mode on core.load is not a load.
SELECT count(*)
FROM pg_locks AS l
JOIN pg_stat_activity AS a ON a.pid = l.pid
WHERE l.locktype = 'relation'
  AND l.database = (SELECT d.oid FROM pg_database AS d WHERE d.datname = current_database())
  AND l.relation = 'core.load'::regclass
  AND l.mode = 'ShareUpdateExclusiveLock'
  AND l.granted
  AND a.backend_type = 'client backend'
  AND l.pid <> pg_backend_pid()
  AND l.pid <> $1::integer
