-- dirty_ids.sql: the clients the incremental build recomputes, for its
-- core reader's copy of mart_dirty (dirty_copy.sql), from @DIRTY@ (mart_dirty,
-- or mart.dirty on Citus).
COPY (SELECT client_id, attrs FROM @DIRTY@) TO STDOUT
