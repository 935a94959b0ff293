-- state_write.sql: record what the mart is built from, in the transaction
-- that writes the mart.  $1 as_of, $2 last committed load, $3 committed
-- loads, $4 engine version, $5 mart version (lib/mart/mart.h), $6 the clients in
-- mart.client (NULL: counted here, after a full build).  INSERT ... SELECT,
-- not VALUES: Citus refuses a subquery in an INSERT's VALUES.
INSERT INTO mart.build_state (id, as_of, load_id, loads, engine, mart_version, clients)
SELECT 1, $1::date, $2::bigint, $3::bigint, $4::integer, $5::integer,
       coalesce($6::bigint, (SELECT count(*) FROM mart.client))
ON CONFLICT (id) DO UPDATE SET
    as_of = EXCLUDED.as_of, load_id = EXCLUDED.load_id, loads = EXCLUDED.loads,
    engine = EXCLUDED.engine, mart_version = EXCLUDED.mart_version,
    clients = EXCLUDED.clients
