-- event_copy.sql: delivery results appended (notify-log).
COPY notify.contact_event (client_id, contact_id, event, at, detail, logged_at) FROM STDIN
