-- copy_payment.sql: the payment records with the seed's flag, streamed by build-mart.
COPY mart.payment_next (client_id, loan_name, payment_number, payment_date,
    payment_fact_date, paid_fact_amount, status) FROM STDIN
