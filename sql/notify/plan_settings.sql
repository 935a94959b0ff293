-- plan_settings.sql: how notify-plan's read (plan_read.sql) runs, for its
-- transaction only.  The rows must come in client_id order: read the mart's
-- loans and the clients along their primary-key indexes and merge them,
-- never sort a million wide rows (measured on 1 M loans: the seq scan, hash
-- join and external sort the planner prefers took 6.4 s, the index merge
-- 4.9 s); JIT compiles ~40 functions for ~1 s and saves nothing here.
SET LOCAL enable_sort = off;
SET LOCAL jit = off;
