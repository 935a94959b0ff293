-- citus.sql: whether the warehouse is on a Citus cluster (the extension in
-- this database): build-mart then runs the Citus variants of its SQL
-- (by_attr_citus.sql).
SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus')
