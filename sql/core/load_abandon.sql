-- load_abandon.sql: loads still 'running' when a new one begins died
-- midway (killed, or their database connection broke).  Nothing of theirs
-- reached core; mark them failed and return their ids so their staged rows
-- are thrown away.  $1 time, $2 the message.
UPDATE core.load
SET status = 'failed', finished_at = $1::timestamptz, message = $2::text
WHERE status = 'running'
RETURNING load_id
