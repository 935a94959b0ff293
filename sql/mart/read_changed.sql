-- read_changed.sql: the loans (with their client's attributes) and the
-- payment records of the clients of mart_dirty in @LO@..@HI@ (one batch of
-- the incremental build), both as core was after load @L0@ (the last the
-- mart saw) and as it is now, in one read: every version current then
-- (valid_from_load <= @L0@ and valid_to_load NULL or > @L0@) or now
-- (valid_to_load NULL -- exactly core.*_current, what the full build
-- reads).  A loan row pairs a loan version with a client version current at
-- the same time.  (@LO@, @HI@, @L0@: numbers build-mart computed.)
-- One stream in client_id order; the last column says what a row is and
-- when: 'l' a loan, columns as read_loans.sql (lib/mart_calc.h L_*), 'p' a
-- payment record, columns as read_payments.sql (P_*) then NULLs; followed by
-- 1 (then only), 2 (now only) or 3 (both).  Values as text, as COPY writes
-- them.
COPY (
    WITH d AS (
        SELECT client_id FROM mart_dirty WHERE client_id BETWEEN @LO@ AND @HI@
    ), lv AS (
        SELECT l.*, l.valid_from_load <= @L0@ AS was, l.valid_to_load IS NULL AS now
        FROM d
        JOIN core.loan_version l ON l.client_id = d.client_id
        WHERE l.valid_to_load IS NULL OR l.valid_to_load > @L0@
    ), cv AS (
        SELECT c.*, c.valid_from_load <= @L0@ AS was, c.valid_to_load IS NULL AS now
        FROM d
        JOIN core.client_version c ON c.client_id = d.client_id
        WHERE c.valid_to_load IS NULL OR c.valid_to_load > @L0@
    ), pairs AS (
        SELECT lv.client_id, lv.loan_name, lv.loan_amount, lv.loan_start_date,
               lv.loan_end_date, lv.payment_numbers, lv.paid_amount,
               cv.gender, cv.birth_date, cv.education, cv.count_of_children,
               cv.job_type, cv.family_status, cv.region,
               (lv.was AND coalesce(cv.was, true))::int
                   + 2 * (lv.now AND coalesce(cv.now, true))::int AS w
        FROM lv
        LEFT JOIN cv ON cv.client_id = lv.client_id
    )
    SELECT client_id, loan_name, loan_amount::text, loan_start_date::text,
           loan_end_date::text, payment_numbers::text, paid_amount::text,
           gender, birth_date::text, education, count_of_children::text,
           job_type, family_status, region, 'l' || w
    FROM pairs
    WHERE w > 0
    UNION ALL
    SELECT p.client_id, p.loan_name, p.payment_number::text, p.payment_date::text,
           p.payment_fact_date::text, p.paid_fact_amount::text,
           NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
           'p' || ((p.valid_from_load <= @L0@)::int + 2 * (p.valid_to_load IS NULL)::int)
    FROM d
    JOIN core.payment_version p ON p.client_id = d.client_id
    WHERE p.valid_to_load IS NULL OR p.valid_to_load > @L0@
    ORDER BY 1
) TO STDOUT
