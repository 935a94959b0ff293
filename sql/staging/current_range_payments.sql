-- current_range_payments.sql: the current payment versions of the clients
-- @LO@ .. @HI@ as COPY text in json2tsv's column order after recno, at most
-- @LIMIT@ rows (see current_range_clients.sql).  This is what makes the
-- re-send of a cumulative part cheap: its chunks hold whole clients in
-- client order, so each costs one range of payment_version_key.
COPY (
    SELECT v.client_id, v.loan_name, v.payment_number, v.payment_date,
           v.payment_fact_date, v.paid_fact_amount
    FROM core.payment_version AS v
    WHERE v.client_id BETWEEN @LO@ AND @HI@
      AND v.valid_to_load IS NULL
    LIMIT @LIMIT@
) TO STDOUT
