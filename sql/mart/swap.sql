-- swap.sql: index the new tables, then replace the old ones in the same
-- transaction (dropping them drops their views; build-mart re-creates them
-- from schema/55_mart_views.sql and re-grants schema/58_mart_role.sql).
ALTER TABLE mart.client_next ADD CONSTRAINT client_next_pkey PRIMARY KEY (client_id);
ALTER TABLE mart.loan_next ADD CONSTRAINT loan_next_pkey PRIMARY KEY (client_id, loan_name);
CREATE INDEX loan_next_amount_idx ON mart.loan_next (loan_amount);
ALTER TABLE mart.month_bin_next ADD CONSTRAINT month_bin_next_pkey PRIMARY KEY (month, amount_bin);
DROP TABLE mart.client, mart.loan, mart.month_bin, mart.payment CASCADE;
ALTER TABLE mart.client_next RENAME TO client;
ALTER TABLE mart.loan_next RENAME TO loan;
ALTER TABLE mart.month_bin_next RENAME TO month_bin;
ALTER TABLE mart.payment_next RENAME TO payment;
ALTER INDEX mart.client_next_pkey RENAME TO client_pkey;
ALTER INDEX mart.loan_next_pkey RENAME TO loan_pkey;
ALTER INDEX mart.loan_next_amount_idx RENAME TO loan_amount_idx;
ALTER INDEX mart.month_bin_next_pkey RENAME TO month_bin_pkey;
ANALYZE mart.client, mart.loan, mart.month_bin;
