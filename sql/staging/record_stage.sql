-- record_stage.sql: what one pg-stage run did, committed with the rows it
-- kept, so promote-core knows the entity is complete and how many records
-- the file held.  $1 load, $2 entity, $3 what, $4 source, $5 read,
-- $6 staged, $7 load time.
INSERT INTO staging.load_stage (
    load_id, entity, what, source, rows_read, rows_staged, rows_unchanged,
    staged_at)
VALUES ($1::bigint, $2::text, $3::text, $4::text, $5::bigint, $6::bigint,
        $5::bigint - $6::bigint, $7::timestamptz)
