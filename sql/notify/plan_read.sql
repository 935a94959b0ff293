-- plan_read.sql: notify-plan's input, one row per loan of the mart (built
-- as of the plan's day), in client_id order, with the client's contact data
-- from core (unmasked: the plan is the sender's operational file), whether
-- a restriction is in force on the day, and the client's contact log of the
-- last year.  notify-plan (lib/notify/planrun.c) puts the literals in:
--   @DAY@       the plan's day, a date literal
--   @MONTHNO@   its year * 12 + month
--   @LOOKBACK@  policy.predue_lookback_months
--   @EMAIL@     c.email, or NULL::text where core has no email column yet
-- COPY takes no parameters, hence literals (made by the program from
-- parsed numbers, never from user text).
--
-- Columns: client_id, loan_name, status (o overdue, c current, - other),
-- dpd, arrears and outstanding in kopecks, the next due date of a current
-- loan (its oldest unpaid installment, a day number), late (a record due in
-- the lookback's months was paid late, short or never: mart.loan.m_flow = 2),
-- fio, phone, email, region, address, restricted, log.
--
-- log: the client's contacts planned in the last 366 days, oldest first,
-- ';'-separated, each "plan_day,local_day,channel,step_dpd,episode_start,due_date"
-- (day numbers; step_dpd -1 = pre-due; empty = NULL).
-- Closed and not-started loans only matter for their late flag: the others
-- are left out.
COPY (
WITH
restriction AS (        -- the version in force of each (client, kind, valid_from)
    SELECT DISTINCT ON (client_id, kind, valid_from) client_id, valid_from, valid_to
    FROM notify.restriction
    ORDER BY client_id, kind, valid_from, restriction_id DESC
),
restricted AS (
    SELECT DISTINCT client_id
    FROM restriction
    WHERE valid_from <= @DAY@ AND (valid_to IS NULL OR valid_to >= @DAY@)
),
recent AS (
    SELECT client_id,
           string_agg(concat_ws(',',
                   plan_day - DATE '1970-01-01',
                   local_day - DATE '1970-01-01',
                   channel,
                   CASE WHEN step = 'predue' THEN -1 ELSE substr(step, 4)::integer END,
                   coalesce((episode_start - DATE '1970-01-01')::text, ''),
                   coalesce((due_date - DATE '1970-01-01')::text, '')),
               ';' ORDER BY plan_day, contact_id) AS log
    FROM notify.contact
    WHERE plan_day BETWEEN @DAY@ - 366 AND @DAY@
    GROUP BY client_id
),
loan AS (
    SELECT l.client_id, l.loan_name,
           CASE l.status WHEN 'overdue' THEN 'o' WHEN 'current' THEN 'c' ELSE '-' END AS st,
           l.dpd,
           (l.arrears * 100)::bigint AS arrears_k,
           (l.outstanding * 100)::bigint AS outstanding_k,
           CASE WHEN l.status = 'current' THEN l.oldest_unpaid_due - DATE '1970-01-01' END AS next_due,
           coalesce(2 = ANY (l.m_flow[m.hi - @LOOKBACK@ + 1 : m.hi]), false) AS late
    FROM mart.loan AS l
    CROSS JOIN LATERAL (
        SELECT @MONTHNO@ - (date_part('year', l.first_month)::integer * 12
                            + date_part('month', l.first_month)::integer) + 1 AS hi
    ) AS m
)
SELECT l.client_id, l.loan_name, l.st, l.dpd, l.arrears_k, l.outstanding_k, l.next_due, l.late,
       c.fio, c.phone, @EMAIL@, c.region, c.address,
       r.client_id IS NOT NULL, g.log
FROM loan AS l
LEFT JOIN core.clients_current AS c ON c.client_id = l.client_id
LEFT JOIN restricted AS r ON r.client_id = l.client_id
LEFT JOIN recent AS g ON g.client_id = l.client_id
WHERE (l.st <> '-' OR l.late)
  -- nothing when the mart is not (any longer) built as of the day
  AND EXISTS (SELECT FROM mart.build_info WHERE as_of = @DAY@)
ORDER BY l.client_id, l.loan_name
) TO STDOUT
