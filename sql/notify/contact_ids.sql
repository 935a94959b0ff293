-- contact_ids.sql: as many new contact ids as the plan has rows (the count
-- is put in for the placeholder below), in the order they are handed out.
COPY (SELECT nextval('notify.contact_id') FROM generate_series(1, @N@)) TO STDOUT
