-- replay_restrictions.sql: the restrictions list for notify-replay -- the
-- version in force (the newest) of each (client_id, kind, valid_from), as
-- client_id, first and last day (day numbers; an open end as the largest
-- int4), ordered by client_id.  The replay applies the list as it stands
-- now to the days it names (a restriction learnt of later still counts).
SELECT client_id,
       valid_from - DATE '1970-01-01',
       coalesce(valid_to - DATE '1970-01-01', 2147483647)
FROM (
    SELECT DISTINCT ON (client_id, kind, valid_from) client_id, valid_from, valid_to
    FROM notify.restriction
    ORDER BY client_id, kind, valid_from, restriction_id DESC
) AS r
ORDER BY client_id, 2
