-- prepare.sql: run inside build-mart's transaction right after
-- common/writer_lock.sql (no load can commit while the mart is built from
-- core): empty copies of the mart tables to fill.  Readers keep seeing the
-- old mart until swap.sql commits.
SET LOCAL client_min_messages = warning;
SET LOCAL work_mem = '256MB';
SET LOCAL maintenance_work_mem = '512MB';
DROP TABLE IF EXISTS mart.client_next, mart.loan_next, mart.month_bin_next, mart.payment_next;
CREATE TABLE mart.client_next    (LIKE mart.client    INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
CREATE TABLE mart.loan_next      (LIKE mart.loan      INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
CREATE TABLE mart.month_bin_next (LIKE mart.month_bin INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
CREATE TABLE mart.payment_next   (LIKE mart.payment   INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
