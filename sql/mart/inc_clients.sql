-- inc_clients.sql: the incremental build removes the masked rows of the
-- clients it recomputes; client.sql then inserts them again from core.
DELETE FROM mart.client WHERE client_id IN (SELECT client_id FROM mart_dirty)
