-- loan_range.sql: the smallest and largest client_id with a current loan;
-- build-mart splits this range among its jobs.  (NULLs when there are none.)
SELECT min(client_id), max(client_id) FROM core.loans_current
