-- report_loans.sql: per-loan positions as of the mart's date, loan_amount in [$1, $2].
SELECT client_id, loan_name, loan_amount, status, dpd, dpd_bucket, arrears, outstanding
FROM mart.loan
WHERE loan_amount BETWEEN $1::numeric AND $2::numeric
ORDER BY client_id, loan_name
