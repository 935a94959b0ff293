-- read_changed_loans.sql: the loans, with their client's attributes, of the
-- clients of mart_dirty in @LO@..@HI@ (one batch of the incremental build),
-- both as core was after load @L0@ (the last the mart saw) and as it is
-- now, in one read: every version current then (valid_from_load <= @L0@ and
-- valid_to_load NULL or > @L0@) or now (valid_to_load NULL: exactly
-- core.*_current, what the full build reads).  A row pairs a loan version
-- with a client version current at the same time.  (@LO@, @HI@, @L0@:
-- numbers build-mart computed.)  In client_id order; the columns of
-- read_loans.sql (lib/mart/mart_calc.h L_*), then when the pair was current:
-- 1 (then only), 2 (now only) or 3 (both).
COPY (
    WITH lv AS (
        SELECT l.*, l.valid_from_load <= @L0@ AS was, l.valid_to_load IS NULL AS now
        FROM mart_dirty d
        JOIN core.loan_version l ON l.client_id = d.client_id
        WHERE d.client_id BETWEEN @LO@ AND @HI@
          AND (l.valid_to_load IS NULL OR l.valid_to_load > @L0@)
    ), cv AS (
        SELECT c.*, c.valid_from_load <= @L0@ AS was, c.valid_to_load IS NULL AS now
        FROM mart_dirty d
        JOIN core.client_version c ON c.client_id = d.client_id
        WHERE d.client_id BETWEEN @LO@ AND @HI@
          AND (c.valid_to_load IS NULL OR c.valid_to_load > @L0@)
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
    SELECT client_id, loan_name, loan_amount, loan_start_date, loan_end_date,
           payment_numbers, paid_amount, gender, birth_date, education,
           count_of_children, job_type, family_status, region, w
    FROM pairs
    WHERE w > 0
    ORDER BY client_id
) TO STDOUT
