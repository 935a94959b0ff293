-- keep_rejects.sql: json2tsv's rejects of one file -> staging.rejects, all
-- of them (they are few and each must reach core.quarantine).
-- $1 load id, $2 source file, $3 load time, $4 entity.
INSERT INTO staging.rejects (
    load_id, entity, source, loaded_at, recno, byte_offset, field, reason, raw)
SELECT $1::bigint, $4::text, $2::text, $3::timestamptz, l.recno,
       l.byte_offset, l.field, l.reason, l.raw
FROM pg_temp.land AS l
