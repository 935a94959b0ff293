-- inc_clients.sql: the incremental build removes the masked rows of the
-- clients with a new client version; client.sql then inserts them again
-- from core.  (The other changed clients' masked rows stay as they are.)
DELETE FROM mart.client WHERE client_id IN (SELECT client_id FROM mart_dirty WHERE attrs)
