-- dirty_batches.sql: the first client_id of each batch of $1 clients of
-- @DIRTY@ (mart_dirty, or mart.dirty on Citus), in order; batch k runs from its first id to the next one's.
SELECT client_id
FROM (SELECT client_id, row_number() OVER (ORDER BY client_id) AS r FROM @DIRTY@) d
WHERE r % $1::bigint = 1
ORDER BY client_id
