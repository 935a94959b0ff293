-- discard_loads.sql: throw away what failed loads ($1, an array of load ids)
-- staged.  Their rows never reached core, and a re-run stages afresh under a
-- new load id, so keeping them would only cost space.
WITH c AS (DELETE FROM staging.clients WHERE load_id = ANY ($1::bigint[])),
     l AS (DELETE FROM staging.loans WHERE load_id = ANY ($1::bigint[])),
     p AS (DELETE FROM staging.payments WHERE load_id = ANY ($1::bigint[])),
     r AS (DELETE FROM staging.rejects WHERE load_id = ANY ($1::bigint[]))
DELETE FROM staging.load_stage WHERE load_id = ANY ($1::bigint[])
