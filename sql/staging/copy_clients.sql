-- copy_clients.sql: the client lines pg-stage keeps (new, changed, or not
-- provably unchanged), straight into staging.  pg-stage parses each
-- json2tsv line and sends it as a binary tuple (lib/db/pgbin.h) headed by the
-- load id, the source file and the load time, so the COPY needs no landing
-- table, no INSERT ... SELECT and no text-to-type conversion on the server.
-- The column list and types must match lib/db/pgbin.c's table for the entity.
COPY staging.clients (
    load_id, source, loaded_at, recno, client_id, fio, passport, gender,
    birth_date, education, count_of_children, job_type, region,
    family_status, address, phone, income, email)
FROM STDIN (FORMAT binary)
