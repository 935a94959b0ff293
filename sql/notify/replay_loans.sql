-- replay_loans.sql: notify-replay's loans -- every current loan with what
-- its client's zone and channels come from, ordered by client_id (then
-- loan_name: the order of a client's loans in the replay's logs).
-- @EMAIL@ is c.email, or NULL::text where core has no email column yet
-- (notify-replay puts it in: COPY takes no parameters).
-- Column order = lib/notify/replaydb.c L_*.
COPY (
    SELECT l.client_id, l.loan_name, l.loan_start_date, l.payment_numbers, l.paid_amount,
           c.region, c.address,
           coalesce(c.phone <> '', false),
           coalesce(@EMAIL@ <> '', false),
           coalesce(c.address <> '', false)
    FROM core.loans_current AS l
    LEFT JOIN core.clients_current AS c ON c.client_id = l.client_id
    ORDER BY l.client_id, l.loan_name
) TO STDOUT
