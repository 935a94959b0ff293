-- read_payments.sql: every current payment record, ordered by client_id (the
-- order of read_loans.sql).  Column order = lib/mart.c P_*.
COPY (
    SELECT client_id, loan_name, payment_number, payment_date,
           payment_fact_date, paid_fact_amount
    FROM core.payments_current
    ORDER BY client_id
) TO STDOUT
