-- event_existing.sql: the events already logged for these contacts ($1
-- client ids, $2 contact ids, pairwise), so a result fed back twice is
-- appended once.  at as seconds since the epoch.
SELECT e.contact_id, e.event, extract(epoch FROM e.at)::bigint
FROM notify.contact_event AS e
JOIN unnest($1::bigint[], $2::bigint[]) AS k (client_id, contact_id)
  ON e.client_id = k.client_id AND e.contact_id = k.contact_id
