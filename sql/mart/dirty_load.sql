-- dirty_load.sql: the clients that loads changed since the mart was built
-- from load $1 (L0): every client with a client, loan or payment version
-- that a later load brought (attrs: a client version, so its masked row
-- changes too).  A later load that closed a version always brought its
-- successor (sql/core/promote_*.sql).  Index range scans of
-- 37_core_from_index.sql: time in proportion to the change.
-- @DIRTY@: where the changed clients are, mart_dirty (dirty_table.sql) or
-- on a Citus cluster mart.dirty (dirty_citus.sql).
INSERT INTO @DIRTY@ (client_id, attrs)
SELECT client_id, bool_or(attrs)
FROM (SELECT client_id, true AS attrs FROM core.client_version WHERE valid_from_load > $1::bigint
      UNION ALL
      SELECT client_id, false FROM core.loan_version WHERE valid_from_load > $1::bigint
      UNION ALL
      SELECT client_id, false FROM core.payment_version WHERE valid_from_load > $1::bigint) v
GROUP BY client_id
