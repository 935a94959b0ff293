-- 49_version.sql: record that this warehouse has the load path's schema.
-- Version 1 = the files 10..40 above.  A later release adds NN_migrate_K.sql
-- files that ALTER what exists and insert version K, so an existing
-- warehouse is migrated in place instead of dropped.
INSERT INTO core.schema_version (version, description)
VALUES (1, 'load path: audit, staging, versioned core, current views')
ON CONFLICT (version) DO NOTHING;
