-- 35_core_v2.sql: bring a version-1 warehouse to the version-2 core.
-- Idempotent (IF EXISTS); on a warehouse created at version 2 it does
-- nothing.  30_core.sql has already built the new one-per-table unique
-- indexes and the core.loan trigger; this drops what they replace:
-- the primary keys and partial "current" indexes of the version tables
-- (one index now says both) and the per-row foreign key payment_version ->
-- loan (see 30_core.sql for the measurements and what checks it instead).
-- Staging's BRIN indexes become b-trees (20_staging.sql says why).
ALTER TABLE core.payment_version
    DROP CONSTRAINT IF EXISTS payment_version_client_id_loan_name_fkey,
    DROP CONSTRAINT IF EXISTS payment_version_pkey;
DROP INDEX IF EXISTS core.payment_version_current;
ALTER TABLE core.loan_version DROP CONSTRAINT IF EXISTS loan_version_pkey;
DROP INDEX IF EXISTS core.loan_version_current;
ALTER TABLE core.client_version DROP CONSTRAINT IF EXISTS client_version_pkey;
DROP INDEX IF EXISTS core.client_version_current;
DROP INDEX IF EXISTS staging.clients_load_brin;
DROP INDEX IF EXISTS staging.loans_load_brin;
DROP INDEX IF EXISTS staging.payments_load_brin;
DROP INDEX IF EXISTS staging.rejects_load_brin;
