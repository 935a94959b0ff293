-- current_clients.sql: the current client versions as COPY text, in the
-- column order of json2tsv's client TSV after recno (contract 3), for
-- pg-stage's client-side filter: an input line byte-equal to one of these
-- lines is an unchanged record and never leaves pg-stage.  Run in pg-stage's
-- REPEATABLE READ transaction with DateStyle ISO and client_encoding UTF8,
-- so dates and text come out exactly as json2tsv writes them.
COPY (
    SELECT v.client_id, v.fio, v.passport, v.gender, v.birth_date,
           v.education, v.count_of_children, v.job_type, v.region,
           v.family_status, v.address, v.phone, v.income, v.email
    FROM core.client_version AS v
    WHERE v.valid_to_load IS NULL
) TO STDOUT
