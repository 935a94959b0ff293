-- restriction_current.sql: the version in force of each (client_id, kind,
-- valid_from): the one appended last.  Dates as day numbers.
SELECT DISTINCT ON (client_id, kind, valid_from)
       client_id, kind, valid_from - DATE '1970-01-01', valid_to - DATE '1970-01-01', note
FROM notify.restriction
ORDER BY client_id, kind, valid_from, restriction_id DESC
