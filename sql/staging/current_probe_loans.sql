-- current_probe_loans.sql: the current loan versions of the keys in
-- pg_temp.stage_keys as COPY text in json2tsv's column order after recno:
-- one probe of loan_version_key per key (see current_probe_clients.sql).
COPY (
    SELECT v.client_id, v.loan_name, v.loan_amount, v.loan_start_date,
           v.loan_end_date, v.payment_numbers, v.paid_amount
    FROM pg_temp.stage_keys AS k
    JOIN core.loan_version AS v
      ON v.client_id = k.client_id
     AND v.loan_name = k.loan_name
     AND v.valid_to_load IS NULL
) TO STDOUT
