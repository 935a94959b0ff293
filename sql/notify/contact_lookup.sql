-- contact_lookup.sql: the client of each contact id a sender quoted ($1, a
-- bigint[]); ids the log does not hold are left out.
SELECT contact_id, client_id
FROM notify.contact
WHERE contact_id = ANY ($1::bigint[])
