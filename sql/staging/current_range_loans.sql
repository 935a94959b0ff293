-- current_range_loans.sql: the current loan versions of the clients
-- @LO@ .. @HI@ as COPY text in json2tsv's column order after recno, at most
-- @LIMIT@ rows (see current_range_clients.sql).
COPY (
    SELECT v.client_id, v.loan_name, v.loan_amount, v.loan_start_date,
           v.loan_end_date, v.payment_numbers, v.paid_amount
    FROM core.loan_version AS v
    WHERE v.client_id BETWEEN @LO@ AND @HI@
      AND v.valid_to_load IS NULL
    LIMIT @LIMIT@
) TO STDOUT
