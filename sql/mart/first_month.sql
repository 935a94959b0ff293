-- first_month.sql: the month of the earliest loan start in the mart, when
-- the incremental build moved a loan of the old first month (a full scan:
-- rare).  NULL when there are no loans.
SELECT date_trunc('month', min(loan_start_date))::date FROM mart.loan
