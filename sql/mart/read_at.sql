-- read_at.sql: the loans (with their client's attributes) and the payment
-- records of the clients of mart_dirty in @LO@..@HI@ (one batch of the
-- incremental build) as core was after load @AT@: the versions with
-- valid_from_load <= @AT@ and valid_to_load NULL or > @AT@.  With @AT@ the
-- largest bigint that is valid_to_load IS NULL: exactly core.*_current, what
-- the full build reads.  (Numbers build-mart computed, as literals.)
-- One stream in client_id order; its last column says what a row is:
-- 'l' a loan, columns as read_loans.sql (lib/mart_calc.h L_*), 'p' a
-- payment record, columns as read_payments.sql (P_*), then NULLs.  Values
-- as text, as COPY writes them.
COPY (
    WITH d AS (
        SELECT client_id FROM mart_dirty WHERE client_id BETWEEN @LO@ AND @HI@
    )
    SELECT l.client_id, l.loan_name, l.loan_amount::text, l.loan_start_date::text,
           l.loan_end_date::text, l.payment_numbers::text, l.paid_amount::text,
           c.gender, c.birth_date::text, c.education, c.count_of_children::text,
           c.job_type, c.family_status, c.region, 'l'
    FROM d
    JOIN core.loan_version l
      ON l.client_id = d.client_id
     AND l.valid_from_load <= @AT@ AND (l.valid_to_load IS NULL OR l.valid_to_load > @AT@)
    LEFT JOIN core.client_version c
      ON c.client_id = l.client_id
     AND c.valid_from_load <= @AT@ AND (c.valid_to_load IS NULL OR c.valid_to_load > @AT@)
    UNION ALL
    SELECT p.client_id, p.loan_name, p.payment_number::text, p.payment_date::text,
           p.payment_fact_date::text, p.paid_fact_amount::text,
           NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'p'
    FROM d
    JOIN core.payment_version p
      ON p.client_id = d.client_id
     AND p.valid_from_load <= @AT@ AND (p.valid_to_load IS NULL OR p.valid_to_load > @AT@)
    ORDER BY 1
) TO STDOUT
