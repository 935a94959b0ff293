-- land_payments.sql: the landing table for json2tsv's payment TSV (see land_clients.sql).
CREATE TEMP TABLE land (
    recno             bigint,
    client_id         bigint,
    loan_name         text,
    payment_number    integer,
    payment_date      date,
    payment_fact_date date,
    paid_fact_amount  numeric(17,2)
) ON COMMIT DROP
