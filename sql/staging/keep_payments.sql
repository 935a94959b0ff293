-- keep_payments.sql: landed payments -> staging.payments, new or changed
-- records only (see keep_clients.sql).  This is the big one: a cumulative
-- part repeats hundreds of thousands of payments, and a hash anti-join
-- against the current versions discards them at join speed.
-- $1 load id, $2 source file, $3 load time.
INSERT INTO staging.payments (
    load_id, source, recno, loaded_at, client_id, loan_name, payment_number,
    payment_date, payment_fact_date, paid_fact_amount)
SELECT $1::bigint, $2::text, l.recno, $3::timestamptz, l.client_id,
       l.loan_name, l.payment_number, l.payment_date, l.payment_fact_date,
       l.paid_fact_amount
FROM pg_temp.land AS l
LEFT JOIN core.payment_version AS c
       ON c.client_id = l.client_id AND c.loan_name = l.loan_name
      AND c.payment_number = l.payment_number AND c.valid_to_load IS NULL
WHERE c.client_id IS NULL
   OR (c.payment_date, c.payment_fact_date, c.paid_fact_amount)
      IS DISTINCT FROM
      (l.payment_date, l.payment_fact_date, l.paid_fact_amount)
