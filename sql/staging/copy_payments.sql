-- copy_payments.sql: the payment lines pg-stage keeps, straight into
-- staging (see copy_clients.sql).
COPY staging.payments (
    load_id, source, loaded_at, recno, client_id, loan_name, payment_number,
    payment_date, payment_fact_date, paid_fact_amount)
FROM STDIN (FORMAT binary)
