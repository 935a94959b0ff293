-- land_rejects.sql: the landing table for json2tsv's reject stream (contract 4).
CREATE TEMP TABLE land (
    recno       bigint,
    byte_offset bigint,
    field       text,
    reason      text,
    raw         text
) ON COMMIT DROP
