-- dirty_citus.sql: on a Citus cluster the changed clients of the
-- incremental build go into mart.dirty, not into a temporary table: a
-- per-client table distributed by client_id with core.client's shards, so
-- filling it (dirty_load.sql) and every delete and insert of the mart joined
-- to it (mart.loan, mart.client, by_attr's rows) run on the shards, each
-- with its own slice; a temporary table on the coordinator would be sent to
-- every shard and the rows pulled back.  Made the first time, emptied by
-- every build in build-mart's transaction (the writer lock keeps other
-- builds out); its rows stay until the next build (client ids only).
DO $$
BEGIN
    IF to_regclass('mart.dirty') IS NULL THEN
        CREATE UNLOGGED TABLE mart.dirty (
            client_id bigint  PRIMARY KEY,
            attrs     boolean NOT NULL    -- a new client version: its masked row too
        );
        PERFORM create_distributed_table('mart.dirty', 'client_id',
                                         colocate_with => 'core.client');
    END IF;
    TRUNCATE mart.dirty;
END
$$
