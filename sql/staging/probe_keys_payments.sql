-- probe_keys_payments.sql: the keys of one chunk of payments (see
-- probe_keys_clients.sql).
CREATE TEMPORARY TABLE stage_keys (
    client_id      bigint  NOT NULL,
    loan_name      text    NOT NULL,
    payment_number integer NOT NULL
) ON COMMIT DROP
