-- land_loans.sql: the landing table for json2tsv's loan TSV (see land_clients.sql).
CREATE TEMP TABLE land (
    recno           bigint,
    client_id       bigint,
    loan_name       text,
    loan_amount     numeric(17,2),
    loan_start_date date,
    loan_end_date   date,
    payment_numbers integer,
    paid_amount     numeric(17,2)
) ON COMMIT DROP
