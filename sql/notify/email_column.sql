-- email_column.sql: whether core.clients_current has the optional client
-- email (the load path gained it with issue 8; an older warehouse has not).
SELECT EXISTS (
    SELECT 1 FROM pg_attribute
    WHERE attrelid = to_regclass('core.clients_current')
      AND attname = 'email' AND attnum > 0 AND NOT attisdropped)
