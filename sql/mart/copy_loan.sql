-- copy_loan.sql: per-loan positions and month-end snapshots from build-mart.
-- @TABLE@: mart.loan_next (full build) or the incremental build's target.
COPY @TABLE@ (client_id, loan_name, loan_amount, amount_bin,
    loan_start_date, loan_end_date, payment_numbers, paid_amount, status, dpd,
    dpd_bucket, arrears, outstanding, oldest_unpaid_due, gender, age_band,
    education, count_of_children, job_type, family_status, region,
    first_month, last_record_date, m_status, m_dpd, m_outstanding_k, m_arrears_k, m_flow) FROM STDIN
