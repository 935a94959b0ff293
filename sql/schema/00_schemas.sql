-- 00_schemas.sql: the three layers and the objects every writer needs.
-- Idempotent: every statement may run again on an existing warehouse.
--
--   staging  what arrived, per load (append-only)
--   core     cleaned history: versions are closed, never overwritten
--   mart     derived data for BI, rebuilt as of a date
CREATE SCHEMA IF NOT EXISTS staging;
CREATE SCHEMA IF NOT EXISTS core;
CREATE SCHEMA IF NOT EXISTS mart;

-- Which schema version this warehouse has; later releases migrate from it.
CREATE TABLE IF NOT EXISTS core.schema_version (
    version     integer     PRIMARY KEY,
    applied_at  timestamptz NOT NULL DEFAULT now(),
    description text        NOT NULL
);

-- One row that every writer locks (sql/common/writer_lock.sql): a lock the
-- whole cluster sees, so two loads or a load and a mart rebuild never
-- interleave (session advisory locks alone would not be seen on Citus workers).
CREATE TABLE IF NOT EXISTS core.etl_lock (
    id smallint PRIMARY KEY CHECK (id = 1)
);
INSERT INTO core.etl_lock (id) VALUES (1) ON CONFLICT (id) DO NOTHING;

-- The SHA-256 of the schema files last applied (pipelines/schema records it),
-- so a load can skip re-applying an unchanged schema: `make schema` always
-- applies; `pipelines/schema --if-changed` (used before each load) does not
-- when the files are the same.
CREATE TABLE IF NOT EXISTS core.schema_files (
    id         smallint    PRIMARY KEY CHECK (id = 1),
    sha256     text        NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
);
