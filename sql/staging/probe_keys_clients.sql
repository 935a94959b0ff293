-- probe_keys_clients.sql: the keys of one chunk of pg-stage's input, for
-- current_probe_clients.sql.  A temporary table (this session only, gone
-- at commit), emptied for every chunk and filled by copy_keys.sql.  No
-- index: it is the outer side of a nested loop over the version table's
-- unique index, read once from start to end.
CREATE TEMPORARY TABLE stage_keys (
    client_id bigint NOT NULL
) ON COMMIT DROP
