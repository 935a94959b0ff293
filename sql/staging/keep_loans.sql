-- keep_loans.sql: landed loans -> staging.loans, new or changed records only
-- (see keep_clients.sql).  $1 load id, $2 source file, $3 load time.
INSERT INTO staging.loans (
    load_id, source, recno, loaded_at, client_id, loan_name, loan_amount,
    loan_start_date, loan_end_date, payment_numbers, paid_amount)
SELECT $1::bigint, $2::text, l.recno, $3::timestamptz, l.client_id,
       l.loan_name, l.loan_amount, l.loan_start_date, l.loan_end_date,
       l.payment_numbers, l.paid_amount
FROM pg_temp.land AS l
LEFT JOIN core.loan_version AS c
       ON c.client_id = l.client_id AND c.loan_name = l.loan_name
      AND c.valid_to_load IS NULL
WHERE c.client_id IS NULL
   OR (c.loan_amount, c.loan_start_date, c.loan_end_date, c.payment_numbers,
       c.paid_amount)
      IS DISTINCT FROM
      (l.loan_amount, l.loan_start_date, l.loan_end_date, l.payment_numbers,
       l.paid_amount)
