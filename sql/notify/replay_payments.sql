-- replay_payments.sql: notify-replay's payment records, every current one,
-- ordered by client_id (the order of replay_loans.sql).
-- Column order = lib/notify/replaydb.c P_*.
COPY (
    SELECT client_id, loan_name, payment_number, payment_date,
           payment_fact_date, paid_fact_amount
    FROM core.payments_current
    ORDER BY client_id
) TO STDOUT
