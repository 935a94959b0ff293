-- load_file_insert.sql: one file of load $1: entity, name, SHA-256, bytes.
INSERT INTO core.load_file (load_id, entity, file_name, sha256, bytes)
VALUES ($1::bigint, $2::text, $3::text, $4::text, $5::bigint)
