-- current_probe_payments.sql: the current payment versions of the keys in
-- pg_temp.stage_keys as COPY text in json2tsv's column order after recno:
-- one probe of payment_version_key per key (see current_probe_clients.sql).
COPY (
    SELECT v.client_id, v.loan_name, v.payment_number, v.payment_date,
           v.payment_fact_date, v.paid_fact_amount
    FROM pg_temp.stage_keys AS k
    JOIN core.payment_version AS v
      ON v.client_id = k.client_id
     AND v.loan_name = k.loan_name
     AND v.payment_number = k.payment_number
     AND v.valid_to_load IS NULL
) TO STDOUT
