-- land_clients.sql: the landing table for one COPY of json2tsv's client TSV
-- (contract 3: recno, then the seed's fields in the seed's order).  A
-- temporary table: no WAL, dropped at commit; only what staging keeps is
-- written to a logged table.
CREATE TEMP TABLE land (
    recno             bigint,
    client_id         bigint,
    fio               text,
    passport          text,
    gender            text,
    birth_date        date,
    education         text,
    count_of_children integer,
    job_type          text,
    region            text,
    family_status     text,
    address           text,
    phone             text,
    income            numeric(17,2)
) ON COMMIT DROP
