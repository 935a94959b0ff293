-- read_loans.sql: the current loans of one client_id range (@LO@..@HI@,
-- replaced by build-mart with bigint literals it computed) with the
-- attributes of their client that breakdowns group by, ordered by client_id
-- so build-mart can merge them with the payments one client at a time.
-- Column order = lib/mart/mart.c L_*.
COPY (
    SELECT l.client_id, l.loan_name, l.loan_amount, l.loan_start_date,
           l.loan_end_date, l.payment_numbers, l.paid_amount,
           c.gender, c.birth_date, c.education, c.count_of_children,
           c.job_type, c.family_status, c.region
    FROM core.loans_current l
    LEFT JOIN core.clients_current c ON c.client_id = l.client_id
    WHERE l.client_id BETWEEN @LO@ AND @HI@
    ORDER BY l.client_id
) TO STDOUT
