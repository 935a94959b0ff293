-- dirty_table.sql: the clients the incremental build recomputes, in a
-- temporary table of the transaction: on build-mart's connection (filled by
-- dirty_load.sql and dirty_asof.sql) and on its core reader's (a copy).
CREATE TEMP TABLE mart_dirty (
    client_id bigint  PRIMARY KEY,
    attrs     boolean NOT NULL    -- a new client version: its masked row too
) ON COMMIT DROP
