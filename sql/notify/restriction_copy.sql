-- restriction_copy.sql: new versions of the restrictions list (notify-log --restrictions).
COPY notify.restriction (client_id, kind, valid_from, valid_to, note, source, loaded_at) FROM STDIN
