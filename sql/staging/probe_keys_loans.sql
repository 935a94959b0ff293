-- probe_keys_loans.sql: the keys of one chunk of loans (see
-- probe_keys_clients.sql).
CREATE TEMPORARY TABLE stage_keys (
    client_id bigint NOT NULL,
    loan_name text   NOT NULL
) ON COMMIT DROP
