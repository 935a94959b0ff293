-- 37_core_from_index.sql: schema version 5 of the load path -- every
-- version table indexed by the load that brought its rows, so build-mart
-- finds what changed since the mart was built (valid_from_load > the last
-- load it saw) in time proportional to the change, not to core.
-- Idempotent (IF NOT EXISTS); recorded as version 5 in 49_version.sql.
--
-- valid_from_load alone is enough: promotion closes a version (sets
-- valid_to_load) only for a key it gives a new version in the same load
-- (sql/core/promote_*.sql: UPDATE ... WHERE kind = 'changed', INSERT ...
-- kind IN ('new', 'changed')), so every change since load L0 has a row with
-- valid_from_load > L0.  client_id second: the mart wants the clients, and
-- reads them from the index.  A load's rows all carry one value, the
-- largest so far: each insert lands at the right edge of the b-tree (no
-- random writes) and b-tree deduplication keeps a load's entries of one
-- client small.  On an existing warehouse the first `pipelines/schema`
-- builds them (once; a few seconds per 10 M rows).
CREATE INDEX IF NOT EXISTS client_version_from_load
    ON core.client_version (valid_from_load, client_id);
CREATE INDEX IF NOT EXISTS loan_version_from_load
    ON core.loan_version (valid_from_load, client_id);
CREATE INDEX IF NOT EXISTS payment_version_from_load
    ON core.payment_version (valid_from_load, client_id);
