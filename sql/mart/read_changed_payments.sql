-- read_changed_payments.sql: the payment records of the clients of
-- mart_dirty in @LO@..@HI@, as read_changed_loans.sql reads their loans:
-- every version current after load @L0@ or now.  In client_id order (the
-- order of mart_dirty's key: no sort); the columns of read_payments.sql
-- (lib/mart/mart_calc.h P_*), then 1 (then only), 2 (now only) or 3 (both).
COPY (
    SELECT p.client_id, p.loan_name, p.payment_number, p.payment_date,
           p.payment_fact_date, p.paid_fact_amount,
           (p.valid_from_load <= @L0@)::int + 2 * (p.valid_to_load IS NULL)::int
    FROM mart_dirty d
    JOIN core.payment_version p ON p.client_id = d.client_id
    WHERE d.client_id BETWEEN @LO@ AND @HI@
      AND (p.valid_to_load IS NULL OR p.valid_to_load > @L0@)
    ORDER BY d.client_id
) TO STDOUT
