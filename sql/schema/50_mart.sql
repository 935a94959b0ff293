-- 50_mart.sql: the mart's tables, rebuilt as of a date by build-mart.
-- Idempotent.  build-mart fills copies of these tables (CREATE TABLE ... LIKE)
-- and swaps them in, in one transaction, so this file is the one definition.
-- Money in the per-month arrays is in kopecks (bigint): exact and compact.
--
-- The mart is derived data: every table is UNLOGGED (no WAL; a rebuild of
-- 1 M loans writes ~1.5 GB less).  After a server crash PostgreSQL empties
-- them, build_info included, so overdue-report says the mart is not built
-- until `make mart` (build-mart) rebuilds it; standbys do not get them.

-- When the mart was built and for which date; one row.
CREATE UNLOGGED TABLE IF NOT EXISTS mart.build_info (
    id          smallint    PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    as_of       date        NOT NULL,
    built_at    timestamptz NOT NULL,
    first_month date,                   -- month of the earliest loan start
    last_month  date        NOT NULL,   -- month of as_of
    loans       bigint      NOT NULL,
    payments    bigint      NOT NULL,
    seconds     numeric(10,3) NOT NULL
);
-- installs from before the mart was unlogged: empty with the others after a crash
ALTER TABLE mart.build_info SET UNLOGGED;

-- What the mart was last built from, for build-mart's incremental build:
-- the as-of date, the last committed load it saw (L0: core as of then is
-- every version with valid_from_load <= L0 and valid_to_load NULL or
-- > L0) and the number of committed loads up to L0 (should a load with a
-- smaller id commit later, the count differs and the next build is full),
-- build-mart's engine version and the mart's shape (version 4: by_attr
-- counts its loans, mart.loan has last_record_date).  One row, written by
-- every build in the transaction that writes the mart; none when core is
-- not versioned (build-mart then always builds in full).  UNLOGGED like the
-- mart: a server crash empties it together with the mart tables, so the
-- next build is a full one.
CREATE UNLOGGED TABLE IF NOT EXISTS mart.build_state (
    id           smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    as_of        date     NOT NULL,
    load_id      bigint   NOT NULL,   -- L0; 0 when no load had committed
    loads        bigint   NOT NULL,   -- committed loads with load_id <= L0
    engine       integer  NOT NULL,   -- MART_ENGINE of lib/mart/mart.h
    mart_version integer  NOT NULL,   -- MART_VERSION of lib/mart/mart.h
    clients      bigint               -- rows of mart.client (NULL: count them)
);
ALTER TABLE mart.build_state ADD COLUMN IF NOT EXISTS clients bigint;

-- Clients with personal data masked: surname + initials, the last 3 digits of
-- the passport, the last 4 of the phone, the first part of the address, the
-- birth year (as January 1st).
CREATE UNLOGGED TABLE IF NOT EXISTS mart.client (
    client_id         bigint PRIMARY KEY,
    fio               text,
    passport          text,
    gender            text,
    birth_date        date,
    education         text,
    count_of_children integer,
    job_type          text,
    region            text,
    family_status     text,
    address           text,
    phone             text,
    income            numeric(17,2),
    email             text            -- masked: i***@example.org
);
-- a mart from before the e-mail (schema version 3): the column at the end, like a fresh one
ALTER TABLE mart.client ADD COLUMN IF NOT EXISTS email text;

-- One row per loan: its position as of the mart's date, the client attributes
-- breakdowns group by, and its month-end snapshots as arrays (index 1 =
-- first_month) so roll rates, vintages and exact amount-range filters never
-- need core again.  m_status: 0 not_started, 1 current, 2 overdue, 3 closed;
-- m_flow: 0 no record due in the month before as_of, 1 records, 2 one flagged.
CREATE UNLOGGED TABLE IF NOT EXISTS mart.loan (
    client_id         bigint        NOT NULL,
    loan_name         text          NOT NULL,
    loan_amount       numeric(17,2) NOT NULL,
    amount_bin        integer       NOT NULL,   -- floor(loan_amount / 1000)
    loan_start_date   date          NOT NULL,
    loan_end_date     date,
    payment_numbers   integer       NOT NULL,
    paid_amount       numeric(17,2) NOT NULL,
    status            text          NOT NULL,
    dpd               integer       NOT NULL,
    dpd_bucket        text          NOT NULL,
    arrears           numeric(17,2) NOT NULL,
    outstanding       numeric(17,2) NOT NULL,
    oldest_unpaid_due date,
    gender            text,
    age_band          text          NOT NULL,
    education         text,
    count_of_children integer,
    job_type          text,
    family_status     text,
    region            text,
    first_month       date,
    m_status          smallint[]    NOT NULL,
    m_dpd             integer[]     NOT NULL,
    m_outstanding_k   bigint[]      NOT NULL,
    m_arrears_k       bigint[]      NOT NULL,
    m_flow            smallint[]    NOT NULL,
    -- the latest payment_date of the loan's records (NULL: none): a loan
    -- closed at as_of whose records are all dated before it is the same at
    -- any later date of the month (build-mart's incremental rule)
    last_record_date  date,
    PRIMARY KEY (client_id, loan_name)
);
-- a mart of version 3: the column at the end, like a fresh one (mart v4)
ALTER TABLE mart.loan ADD COLUMN IF NOT EXISTS last_record_date date;
CREATE INDEX IF NOT EXISTS loan_amount_idx ON mart.loan (loan_amount);
-- the dashboard's table of overdue loans: the largest arrears per seed bucket
CREATE INDEX IF NOT EXISTS loan_overdue_top_idx ON mart.loan
    ((CASE WHEN loan_amount < 50000 THEN 0 WHEN loan_amount < 100000 THEN 1
           WHEN loan_amount < 500000 THEN 2 ELSE 3 END), arrears DESC, client_id, loan_name)
    WHERE status = 'overdue';

-- Mart v3 (issue 7) keys the aggregates by (amount_bin, on_grid) and adds the
-- portfolio analytics; a mart of an older shape is derived data: drop it (and
-- its build_info, so overdue-report says "not built") for build-mart to
-- rebuild.
DO $$
BEGIN
    IF to_regclass('mart.month_bin') IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM information_schema.columns
        WHERE table_schema = 'mart' AND table_name = 'month_bin'
          AND column_name = 'on_grid') THEN
        DROP TABLE IF EXISTS mart.month_bin, mart.by_attr CASCADE;
        DELETE FROM mart.build_info;
    END IF;
END
$$;

-- Mart v4 (issue 9) counts the loans of each by_attr group (the
-- incremental build drops a group when its count reaches 0, as a full build
-- would not write it) and keys it uniquely; a by_attr without them is
-- dropped for build-mart to rebuild, with build_info (overdue-report then
-- says "not built") and build_state (so that build is a full one).
DO $$
BEGIN
    IF to_regclass('mart.by_attr') IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM information_schema.columns
        WHERE table_schema = 'mart' AND table_name = 'by_attr'
          AND column_name = 'loans') THEN
        DROP TABLE mart.by_attr CASCADE;
        DELETE FROM mart.build_info;
        DELETE FROM mart.build_state;
    END IF;
END
$$;

-- Monthly measures per 1 000-rouble amount bin (bin b = [1000b, 1000b + 1000)),
-- split in two: on_grid = the loans whose amount is exactly 1000b, the rest
-- (so a range whose bounds are on the 1 000 grid, max inclusive, is exact from
-- the aggregates alone: the dashboard filters with them).  Any other range is
-- the bins wholly inside it plus the loans of at most two edge bins, read from
-- mart.loan.  Money in kopecks.  The snapshot of month M is its last day (D
-- for D's month).
CREATE UNLOGGED TABLE IF NOT EXISTS mart.month_bin (
    month                 date    NOT NULL,
    amount_bin            integer NOT NULL,
    on_grid               boolean NOT NULL,   -- loan_amount = 1000 * amount_bin
    active_loans          bigint  NOT NULL,
    overdue_loans         bigint  NOT NULL,
    outstanding_k         bigint  NOT NULL,
    overdue_outstanding_k bigint  NOT NULL,
    arrears_k             bigint  NOT NULL,
    dpd_1_30              bigint  NOT NULL,
    dpd_31_60             bigint  NOT NULL,
    dpd_61_90             bigint  NOT NULL,
    dpd_91_plus           bigint  NOT NULL,
    flow_loans            bigint  NOT NULL,   -- loans with a record due in the month, before as_of
    flow_late             bigint  NOT NULL,   -- ... with at least one flagged record
    flow_amount_k         bigint  NOT NULL,   -- sum of loan_amount of flow_loans
    flow_late_paid_k      bigint  NOT NULL,   -- sum of paid_fact_amount of flagged records
    par30_outstanding_k   bigint  NOT NULL,   -- outstanding of active loans with dpd > 30
    par90_outstanding_k   bigint  NOT NULL,   -- ... dpd > 90
    prev_overdue          bigint  NOT NULL,   -- loans overdue at the snapshot of M-1
    cured                 bigint  NOT NULL,   -- ... of those, current or closed at M
    issued_loans          bigint  NOT NULL,   -- loans started in M (on or before as_of);
    issued_k              bigint  NOT NULL,   -- ... their loan_amount (the report's issued_amount sums them up to M)
    PRIMARY KEY (month, amount_bin, on_grid)
);

-- The roll (transition) matrix of SPEC 5: for month M (not the first), the
-- loans in DPD bucket from_bucket at the snapshot of M-1 (0 "0", 1 "1-30",
-- 2 "31-60", 3 "61-90", 4 "91+"), counted by their state at M (to_state 0..4
-- the same buckets, 5 closed).  Only non-zero cells are stored.  Unique by
-- (month, amount_bin, on_grid, from_bucket, to_state) by construction; the
-- unique index is for the incremental build, which adds its deltas key by
-- key (without it each build sorted the whole table: 3 s at 1 M loans; it
-- costs the full build about a second to make).
CREATE UNLOGGED TABLE IF NOT EXISTS mart.roll_bin (
    month       date     NOT NULL,
    amount_bin  integer  NOT NULL,
    on_grid     boolean  NOT NULL,
    from_bucket smallint NOT NULL,
    to_state    smallint NOT NULL,
    loans       bigint   NOT NULL
);

-- Vintages: loans started on or before as_of, by start month (the vintage)
-- and the first month-on-book whose snapshot saw dpd > 30 (-1: never up to
-- D's month).  ever30 at m = the loans with 0 <= first30_mob <= m.  Unique by
-- (vintage, amount_bin, on_grid, first30_mob) by construction; indexed so for
-- the incremental build, as roll_bin.
CREATE UNLOGGED TABLE IF NOT EXISTS mart.vintage_bin (
    vintage     date     NOT NULL,
    amount_bin  integer  NOT NULL,
    on_grid     boolean  NOT NULL,
    first30_mob integer  NOT NULL,
    loans       bigint   NOT NULL
);

ALTER TABLE mart.roll_bin DROP CONSTRAINT IF EXISTS roll_bin_pkey;
ALTER TABLE mart.vintage_bin DROP CONSTRAINT IF EXISTS vintage_bin_pkey;
-- pages 15 % free for the incremental build's updates in place (HOT; the
-- full build's copies are made so by sql/mart/prepare.sql)
ALTER TABLE mart.month_bin SET (fillfactor = 85);
ALTER TABLE mart.roll_bin SET (fillfactor = 85);
ALTER TABLE mart.vintage_bin SET (fillfactor = 85);
CREATE UNIQUE INDEX IF NOT EXISTS roll_bin_key
    ON mart.roll_bin (month, amount_bin, on_grid, from_bucket, to_state);
CREATE UNIQUE INDEX IF NOT EXISTS vintage_bin_key
    ON mart.vintage_bin (vintage, amount_bin, on_grid, first30_mob);

-- Overdue-report --by, pre-aggregated: per client attribute (gender,
-- age_band, education, count_of_children, job_type, family_status, region),
-- value (NULL -> 'unknown') and amount bin, the loans, and the active and
-- overdue loans as of the mart's date.  One row per (attribute, value,
-- amount_bin, on_grid), for every group with a loan.  Any amount range = the
-- bins wholly inside it plus the edge loans from mart.loan, as for
-- month_bin.
CREATE UNLOGGED TABLE IF NOT EXISTS mart.by_attr (
    attribute     text    NOT NULL,
    value         text    NOT NULL,
    amount_bin    integer NOT NULL,
    on_grid       boolean NOT NULL,
    active_loans  bigint  NOT NULL,
    overdue_loans bigint  NOT NULL,
    loans         bigint  NOT NULL    -- all the group's loans, whatever their status
);
CREATE UNIQUE INDEX IF NOT EXISTS by_attr_idx ON mart.by_attr (attribute, amount_bin, on_grid, value);

-- The payment records are not copied into the mart any more: mart.data_mart
-- (55_mart_views.sql) reads them from core.  The table of older versions:
DROP TABLE IF EXISTS mart.payment CASCADE;
