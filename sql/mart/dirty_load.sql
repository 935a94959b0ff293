-- dirty_load.sql: the clients that loads changed since the mart was built
-- from load $1 (L0): every client with a client, loan or payment version
-- that a later load brought.  (A later load that closed a version always
-- brought its successor: sql/core/promote_*.sql.)  Index range scans of
-- 37_core_from_index.sql: time in proportion to the change.
INSERT INTO mart_dirty (client_id)
SELECT client_id FROM core.client_version WHERE valid_from_load > $1::bigint
UNION
SELECT client_id FROM core.loan_version WHERE valid_from_load > $1::bigint
UNION
SELECT client_id FROM core.payment_version WHERE valid_from_load > $1::bigint
