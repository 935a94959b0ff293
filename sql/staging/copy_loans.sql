-- copy_loans.sql: the loan lines pg-stage keeps, straight into staging
-- (see copy_clients.sql).
COPY staging.loans (
    load_id, source, loaded_at, recno, client_id, loan_name, loan_amount,
    loan_start_date, loan_end_date, payment_numbers, paid_amount)
FROM STDIN (FORMAT binary)
