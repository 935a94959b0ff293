-- inc_clients.sql: the incremental build removes the masked rows of the
-- clients with a new client version; client.sql then inserts them again
-- from core.  (The other changed clients' masked rows stay as they are.)
-- @DIRTY@: mart_dirty, or mart.dirty on Citus (co-located with mart.client).
DELETE FROM mart.client WHERE client_id IN (SELECT client_id FROM @DIRTY@ WHERE attrs)
