-- snapshot.sql: export the snapshot of build-mart's main transaction, taken
-- after the writer lock, so the worker connections read the very same core.
SELECT pg_export_snapshot()
