-- 49_version.sql: record that this warehouse has the load path's schema.
-- Version 1 = the files 10..40 above; version 2 = 35_core_v2.sql, which
-- migrates a version-1 warehouse in place (ALTER what exists) instead of
-- dropping it; a later release adds its own NN_*.sql the same way:
-- version 3 = 36_core_email.sql (the client's optional e-mail); version 4
-- is notify's (60_notify.sql); version 5 = 37_core_from_index.sql (the
-- version tables indexed by valid_from_load, for the incremental mart);
-- version 6 = 38_load_step.sql (each load's step timings); version 7 =
-- 39_promote_work.sql (promote-core's work tables, per client).
INSERT INTO core.schema_version (version, description)
VALUES (1, 'load path: audit, staging, versioned core, current views')
ON CONFLICT (version) DO NOTHING;
INSERT INTO core.schema_version (version, description)
VALUES (2, 'load path: one unique index per version table, no per-row payment foreign key, b-tree staging load ids')
ON CONFLICT (version) DO NOTHING;
INSERT INTO core.schema_version (version, description)
VALUES (3, 'load path: the client''s optional e-mail in staging and core')
ON CONFLICT (version) DO NOTHING;
INSERT INTO core.schema_version (version, description)
VALUES (5, 'load path: version tables indexed by valid_from_load (the incremental mart finds what changed)')
ON CONFLICT (version) DO NOTHING;
INSERT INTO core.schema_version (version, description)
VALUES (6, 'load path: core.load_step, the seconds of each step of a load')
ON CONFLICT (version) DO NOTHING;
INSERT INTO core.schema_version (version, description)
VALUES (7, 'load path: promote-core''s work tables staging.promote_clients/loans/payments (per client: the promotion runs inside the shards on Citus)')
ON CONFLICT (version) DO NOTHING;
