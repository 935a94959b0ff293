-- 58_mart_role.sql: overdue_bi, the read-only role for BI tools.  It may read
-- every table and view in mart and nothing in staging or core.  Roles are
-- cluster-wide: create it only when missing and tolerate a concurrent creator.
-- It is NOLOGIN: grant it to a login role (GRANT overdue_bi TO alice).
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'overdue_bi') THEN
        CREATE ROLE overdue_bi NOLOGIN;
    END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL;   -- another session created it at the same moment
END
$$;

GRANT USAGE ON SCHEMA mart TO overdue_bi;
GRANT SELECT ON ALL TABLES IN SCHEMA mart TO overdue_bi;
-- tables build-mart creates later are readable too
ALTER DEFAULT PRIVILEGES IN SCHEMA mart GRANT SELECT ON TABLES TO overdue_bi;
REVOKE ALL ON SCHEMA staging, core FROM overdue_bi;
REVOKE ALL ON ALL TABLES IN SCHEMA staging, core FROM overdue_bi;
