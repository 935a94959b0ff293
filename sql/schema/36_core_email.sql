-- 36_core_email.sql: schema version 3 of the load path -- the client's
-- optional e-mail (issue 8: the notification's e-mail channel), in staging
-- and in core.  Idempotent (IF NOT EXISTS); recorded as version 3 in
-- 49_version.sql.
--
-- A nullable column without a default is a catalogue change only: no table
-- is rewritten, and every existing version reads email as NULL -- which is
-- exactly what json2tsv writes for a record without the field (the seed's
-- data has none).  So after the migration an old part loads as a no-op:
-- pg-stage's current_clients.sql line ends in \N like json2tsv's, and
-- promote_clients.sql's IS NOT DISTINCT FROM holds NULL equal to NULL.  A
-- client whose e-mail appears or changes gets a new version like any other
-- attribute.  json2tsv checks the address (one '@' with something on both
-- sides, no space or control character, at most 254 bytes) and rejects the
-- record otherwise, so core holds no CHECK of its own.
ALTER TABLE staging.clients ADD COLUMN IF NOT EXISTS email text;
ALTER TABLE core.client_version ADD COLUMN IF NOT EXISTS email text;
