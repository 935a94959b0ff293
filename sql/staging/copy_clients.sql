-- copy_clients.sql: the client lines pg-stage keeps (new, changed, or not
-- provably unchanged), straight into staging.  pg-stage prefixes each
-- json2tsv line with the load id, the source file and the load time, so the
-- COPY needs no landing table and no INSERT ... SELECT.
COPY staging.clients (
    load_id, source, loaded_at, recno, client_id, fio, passport, gender,
    birth_date, education, count_of_children, job_type, region,
    family_status, address, phone, income)
FROM STDIN
