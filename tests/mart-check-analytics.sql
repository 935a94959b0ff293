-- mart-check-analytics.sql: SPEC 5's monthly series and portfolio analytics
-- (par30/par90, cure rate, issued amount, roll matrix, vintage curves)
-- written again in plain SQL from core, independently of lib/ and of the
-- mart's arrays, for tests/mart-check.bats to compare with overdue-report.
--   psql -v asof=YYYY-MM-DD -f mart-check-analytics.sql
-- builds schema chk: chk.snap, one row per loan started by D and month of
-- the range from its start month on (the loan's state at the month's
-- snapshot), and three functions that print what overdue-report --format tsv
-- prints, without the header, for loan_amount in [lo, hi] (NULL = open):
--   chk.monthly(lo, hi)   the 17 columns of the monthly series
--   chk.roll(lo, hi)      month from_bucket loans to_0 .. to_91_plus to_closed
--   chk.vintage(lo, hi)   vintage months_on_book loans ever30_loans ever30_share
--
-- How it differs from the C code and from mart-check.sql, on purpose: the
-- default due date is clamped by hand (day = least(start day, days in the
-- target month)); paid and the number of installments due at each snapshot
-- are running sums over the months (each payment / installment is put in the
-- first month whose snapshot counts it), the oldest unpaid installment is
-- the (floor(paid / paid_amount) + 1)-th in due order; amounts stay numeric.
SET max_parallel_workers_per_gather = 0;
SET work_mem = '256MB';
SET jit = off;   -- compiling costs more than these small queries take
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS chk CASCADE;
CREATE SCHEMA chk;

CREATE TABLE chk.params AS SELECT :'asof'::date AS d;

-- The range: every month from the earliest loan start (of any loan) to D's
-- month; the snapshot is the month's last day, or D in D's month.
CREATE TABLE chk.months AS
SELECT m::date AS month,
       least((m + interval '1 month')::date - 1, p.d) AS s
FROM chk.params p,
     generate_series(date_trunc('month', (SELECT min(loan_start_date) FROM core.loans_current)),
                     date_trunc('month', p.d), interval '1 month') AS m;

-- Loans disbursed by D (a later start is not_started at every snapshot).
CREATE TABLE chk.loans AS
SELECT l.client_id, l.loan_name, l.loan_amount, l.loan_start_date, l.payment_numbers,
       l.paid_amount, l.payment_numbers * l.paid_amount AS total,
       date_trunc('month', l.loan_start_date)::date AS start_month
FROM core.loans_current l, chk.params p
WHERE l.loan_start_date <= p.d;

-- Installment k is due on its record's payment_date, else on the start's
-- day of month k - 1 months later, clamped to that month's last day.
CREATE TABLE chk.inst AS
WITH t AS (
    SELECT l.client_id, l.loan_name, l.start_month, k,
           make_date(((ym + k - 1) / 12)::int, ((ym + k - 1) % 12 + 1)::int, 1) AS first_day,
           extract(day FROM l.loan_start_date)::int AS start_day
    FROM chk.loans l
    CROSS JOIN LATERAL (SELECT extract(year FROM l.loan_start_date)::int * 12
                               + extract(month FROM l.loan_start_date)::int - 1 AS ym) y
    CROSS JOIN LATERAL generate_series(1, l.payment_numbers) AS k
), d AS (
    SELECT t.client_id, t.loan_name, t.start_month, t.k,
           coalesce(p.payment_date,
                    t.first_day + (least(t.start_day,
                        extract(day FROM (t.first_day + interval '1 month' - interval '1 day'))::int) - 1)
           ) AS due
    FROM t
    LEFT JOIN core.payments_current p
           ON p.client_id = t.client_id AND p.loan_name = t.loan_name AND p.payment_number = t.k
)
SELECT d.client_id, d.loan_name, d.k, d.due,
       row_number() OVER (PARTITION BY d.client_id, d.loan_name ORDER BY d.due, d.k) AS rn,
       -- the first month whose snapshot has it due (due < snapshot), never before the start month
       greatest(d.start_month,
                CASE WHEN d.due < least((date_trunc('month', d.due) + interval '1 month')::date - 1,
                                        (SELECT p.d FROM chk.params p))
                     THEN date_trunc('month', d.due)
                     ELSE date_trunc('month', d.due) + interval '1 month' END)::date AS count_month
FROM d;

-- Payments made by D, each in the first month whose snapshot counts it.
CREATE TABLE chk.paid_month AS
SELECT l.client_id, l.loan_name,
       greatest(l.start_month, date_trunc('month', p.payment_fact_date)::date) AS month,
       sum(coalesce(p.paid_fact_amount, 0)) AS amount
FROM core.payments_current p
JOIN chk.loans l ON l.client_id = p.client_id AND l.loan_name = p.loan_name
WHERE p.payment_fact_date <= (SELECT d FROM chk.params)
GROUP BY 1, 2, 3;

CREATE TABLE chk.due_month AS
SELECT client_id, loan_name, count_month AS month, count(*) AS n
FROM chk.inst GROUP BY 1, 2, 3;

-- The position of every started loan at every snapshot from its start month:
-- paid and the installments due are running sums over the months.
CREATE TABLE chk.pos AS
WITH g AS (
    SELECT l.client_id, l.loan_name, l.loan_amount, l.paid_amount, l.total,
           m.month, m.s,
           sum(coalesce(pm.amount, 0)) OVER w AS paid,
           sum(coalesce(dm.n, 0)) OVER w AS n_due
    FROM chk.loans l
    JOIN chk.months m ON m.month >= l.start_month
    LEFT JOIN chk.paid_month pm
           ON pm.client_id = l.client_id AND pm.loan_name = l.loan_name AND pm.month = m.month
    LEFT JOIN chk.due_month dm
           ON dm.client_id = l.client_id AND dm.loan_name = l.loan_name AND dm.month = m.month
    WINDOW w AS (PARTITION BY l.client_id, l.loan_name ORDER BY m.month)
)
SELECT g.client_id, g.loan_name, g.loan_amount, g.month, g.s,
       greatest(0, g.total - g.paid) AS outstanding,
       greatest(0, g.n_due * g.paid_amount - g.paid) AS arrears,
       -- the oldest unpaid installment: the first in due order not covered by paid
       CASE WHEN g.paid_amount > 0 THEN floor(g.paid / g.paid_amount)::bigint + 1 END AS unpaid_rn
FROM g;
ANALYZE chk.pos, chk.inst;

-- state: 0 current, 1 dpd 1-30, 2 31-60, 3 61-90, 4 91+, 5 closed.
CREATE TABLE chk.snap AS
WITH q AS (
    SELECT p.*, i.due AS oldest_unpaid,
           CASE WHEN p.outstanding = 0 THEN 'closed'
                WHEN p.arrears > 0 THEN 'overdue' ELSE 'current' END AS status
    FROM chk.pos p
    LEFT JOIN chk.inst i
           ON i.client_id = p.client_id AND i.loan_name = p.loan_name AND i.rn = p.unpaid_rn
)
SELECT client_id, loan_name, loan_amount, month, s, status, outstanding, arrears,
       CASE WHEN oldest_unpaid < s THEN s - oldest_unpaid ELSE 0 END AS dpd,
       CASE WHEN status = 'closed' THEN 5
            WHEN status = 'current' THEN 0
            WHEN s - oldest_unpaid <= 30 THEN 1
            WHEN s - oldest_unpaid <= 60 THEN 2
            WHEN s - oldest_unpaid <= 90 THEN 3
            ELSE 4 END AS state
FROM q;
CREATE INDEX ON chk.snap (month);
ANALYZE chk.snap;

-- The seed's flow measure: per loan (any loan) and month, its records due in
-- the month before D, and whether one is flagged (unpaid, late or short).
CREATE TABLE chk.flow AS
SELECT p.client_id, p.loan_name, l.loan_amount, date_trunc('month', p.payment_date)::date AS month,
       bool_or(p.payment_fact_date IS NULL OR p.payment_fact_date > p.payment_date
               OR coalesce(p.paid_fact_amount, 0) < l.paid_amount) AS late
FROM core.payments_current p
JOIN core.loans_current l ON l.client_id = p.client_id AND l.loan_name = p.loan_name
WHERE p.payment_date < (SELECT d FROM chk.params)
GROUP BY 1, 2, 3, 4;

CREATE FUNCTION chk.in_range(amount numeric, lo numeric, hi numeric) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$ SELECT (lo IS NULL OR amount >= lo) AND (hi IS NULL OR amount <= hi) $$;

CREATE FUNCTION chk.share(num numeric, den numeric) RETURNS text
LANGUAGE sql IMMUTABLE AS $$ SELECT CASE WHEN den > 0 THEN round(num / den, 6)::text END $$;

CREATE FUNCTION chk.monthly(lo numeric, hi numeric)
RETURNS TABLE (month text, active_loans bigint, overdue_loans bigint, overdue_share text,
               outstanding text, overdue_outstanding text, par_share text, arrears text,
               dpd_1_30 bigint, dpd_31_60 bigint, dpd_61_90 bigint, dpd_91_plus bigint,
               late_share text, par30_share text, par90_share text, cure_rate text,
               issued_amount text)
LANGUAGE sql STABLE AS $$
WITH s AS (
    SELECT * FROM chk.snap WHERE chk.in_range(loan_amount, lo, hi)
), a AS (
    SELECT s.month,
           count(*) FILTER (WHERE state BETWEEN 0 AND 4) AS active,
           count(*) FILTER (WHERE state BETWEEN 1 AND 4) AS overdue,
           coalesce(sum(outstanding) FILTER (WHERE state BETWEEN 0 AND 4), 0) AS out,
           coalesce(sum(outstanding) FILTER (WHERE state BETWEEN 1 AND 4), 0) AS od_out,
           coalesce(sum(outstanding) FILTER (WHERE state BETWEEN 0 AND 4 AND dpd > 30), 0) AS out30,
           coalesce(sum(outstanding) FILTER (WHERE state BETWEEN 0 AND 4 AND dpd > 90), 0) AS out90,
           coalesce(sum(arrears) FILTER (WHERE state BETWEEN 0 AND 4), 0) AS arr,
           count(*) FILTER (WHERE state = 1) AS b1, count(*) FILTER (WHERE state = 2) AS b2,
           count(*) FILTER (WHERE state = 3) AS b3, count(*) FILTER (WHERE state = 4) AS b4
    FROM s GROUP BY s.month
), c AS (
    -- loans overdue at M-1 and how many of them are current or closed at M
    SELECT cur.month, count(*) AS prev_overdue,
           count(*) FILTER (WHERE cur.state IN (0, 5)) AS cured
    FROM s cur
    JOIN s prev ON prev.client_id = cur.client_id AND prev.loan_name = cur.loan_name
               AND prev.month = (cur.month - interval '1 month')::date
    WHERE prev.state BETWEEN 1 AND 4
    GROUP BY cur.month
), f AS (
    SELECT f.month, count(*) AS n, count(*) FILTER (WHERE f.late) AS late
    FROM chk.flow f WHERE chk.in_range(f.loan_amount, lo, hi) GROUP BY f.month
), i AS (
    SELECT m.month, coalesce(sum(l.loan_amount), 0) AS issued
    FROM chk.months m
    LEFT JOIN chk.loans l ON l.loan_start_date <= m.s AND chk.in_range(l.loan_amount, lo, hi)
    GROUP BY m.month
)
SELECT to_char(m.month, 'YYYY-MM'),
       coalesce(a.active, 0), coalesce(a.overdue, 0), chk.share(a.overdue, a.active),
       coalesce(a.out, 0)::numeric(17,2)::text, coalesce(a.od_out, 0)::numeric(17,2)::text,
       chk.share(a.od_out, a.out), coalesce(a.arr, 0)::numeric(17,2)::text,
       coalesce(a.b1, 0), coalesce(a.b2, 0), coalesce(a.b3, 0), coalesce(a.b4, 0),
       chk.share(f.late, f.n),
       chk.share(a.out30, a.out), chk.share(a.out90, a.out),
       chk.share(c.cured, c.prev_overdue),
       i.issued::numeric(17,2)::text
FROM chk.months m
LEFT JOIN a ON a.month = m.month
LEFT JOIN c ON c.month = m.month
LEFT JOIN f ON f.month = m.month
JOIN i ON i.month = m.month
ORDER BY m.month
$$;

CREATE FUNCTION chk.roll(lo numeric, hi numeric)
RETURNS TABLE (month text, from_bucket text, loans bigint, to_0 bigint, to_1_30 bigint,
               to_31_60 bigint, to_61_90 bigint, to_91_plus bigint, to_closed bigint)
LANGUAGE sql STABLE AS $$
WITH s AS (
    SELECT * FROM chk.snap WHERE chk.in_range(loan_amount, lo, hi)
), t AS (
    SELECT cur.month, prev.state AS b, cur.state AS to_state
    FROM s cur
    JOIN s prev ON prev.client_id = cur.client_id AND prev.loan_name = cur.loan_name
               AND prev.month = (cur.month - interval '1 month')::date
    WHERE prev.state BETWEEN 0 AND 4
), g AS (
    SELECT m.month, b.b, b.label
    FROM chk.months m
    CROSS JOIN (VALUES (0, '0'), (1, '1-30'), (2, '31-60'), (3, '61-90'), (4, '91+')) AS b(b, label)
    WHERE m.month > (SELECT min(month) FROM chk.months)
)
SELECT to_char(g.month, 'YYYY-MM'), g.label, count(t.b),
       count(*) FILTER (WHERE t.to_state = 0), count(*) FILTER (WHERE t.to_state = 1),
       count(*) FILTER (WHERE t.to_state = 2), count(*) FILTER (WHERE t.to_state = 3),
       count(*) FILTER (WHERE t.to_state = 4), count(*) FILTER (WHERE t.to_state = 5)
FROM g LEFT JOIN t ON t.month = g.month AND t.b = g.b
GROUP BY g.month, g.b, g.label
ORDER BY g.month, g.b
$$;

CREATE FUNCTION chk.vintage(lo numeric, hi numeric)
RETURNS TABLE (vintage text, months_on_book integer, loans bigint, ever30_loans bigint,
               ever30_share text)
LANGUAGE sql STABLE AS $$
WITH f AS (
    -- each loan's first snapshot with dpd > 30 (NULL: none up to D)
    SELECT client_id, loan_name, min(month) FILTER (WHERE state BETWEEN 1 AND 4 AND dpd > 30) AS first30
    FROM chk.snap WHERE chk.in_range(loan_amount, lo, hi)
    GROUP BY client_id, loan_name
), l AS (
    SELECT l.start_month AS v, f.first30
    FROM chk.loans l
    JOIN f ON f.client_id = l.client_id AND f.loan_name = l.loan_name
), v AS (
    SELECT v, count(*) AS loans FROM l GROUP BY v
), e AS (
    SELECT v, first30, count(*) AS n FROM l WHERE first30 IS NOT NULL GROUP BY v, first30
), r AS (
    SELECT v.v, v.loans, mob, (v.v + make_interval(months => mob))::date AS month
    FROM v
    CROSS JOIN LATERAL generate_series(0,
        ((extract(year FROM (SELECT d FROM chk.params)) - extract(year FROM v.v)) * 12
         + extract(month FROM (SELECT d FROM chk.params)) - extract(month FROM v.v))::int) AS mob
), x AS (
    SELECT r.v, r.mob, r.loans, coalesce(sum(e.n), 0) AS ever30
    FROM r LEFT JOIN e ON e.v = r.v AND e.first30 <= r.month
    GROUP BY r.v, r.mob, r.loans
)
SELECT to_char(v, 'YYYY-MM'), mob, loans, ever30::bigint, chk.share(ever30, loans)
FROM x
ORDER BY v, mob
$$;
