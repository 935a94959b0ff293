-- read_payments.sql: the current payment records of one client_id range
-- (@LO@..@HI@, as in read_loans.sql), ordered by client_id (the order of
-- read_loans.sql).  Column order = lib/mart/mart.c P_*.
COPY (
    SELECT client_id, loan_name, payment_number, payment_date,
           payment_fact_date, paid_fact_amount
    FROM core.payments_current
    WHERE client_id BETWEEN @LO@ AND @HI@
    ORDER BY client_id
) TO STDOUT
