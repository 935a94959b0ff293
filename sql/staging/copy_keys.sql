-- copy_keys.sql: one chunk's keys into the table of probe_keys_ENTITY.sql,
-- as binary tuples pg-stage builds (lib/load/stagechunk.c stagekey_tuple): the
-- server converts no text, and an odd byte in a key cannot end the COPY.
COPY pg_temp.stage_keys FROM STDIN (FORMAT binary)
