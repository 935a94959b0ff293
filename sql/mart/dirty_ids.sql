-- dirty_ids.sql: the clients the incremental build recomputes, for its
-- core reader's copy of mart_dirty (dirty_copy.sql).
COPY (SELECT client_id, attrs FROM mart_dirty) TO STDOUT
