-- current_payments.sql: the current payment versions as COPY text, in
-- json2tsv's column order after recno (see current_clients.sql).  The big
-- one: one sequential pass over core.payment_version, read once per load,
-- instead of sending every re-exported payment to the server and joining it.
COPY (
    SELECT v.client_id, v.loan_name, v.payment_number, v.payment_date,
           v.payment_fact_date, v.paid_fact_amount
    FROM core.payment_version AS v
    WHERE v.valid_to_load IS NULL
) TO STDOUT
