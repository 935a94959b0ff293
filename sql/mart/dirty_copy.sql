-- dirty_copy.sql: the core reader's copy of build-mart's mart_dirty.
COPY mart_dirty (client_id, attrs) FROM STDIN
