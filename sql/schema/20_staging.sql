-- 20_staging.sql: what arrived, per load, typed but unjudged.
-- Idempotent; schema version 1 of the load path.
--
-- Every column is nullable on purpose: staging keeps what arrived, and
-- promote-core judges it (a missing key becomes a quarantined record with a
-- reason instead of a COPY error that would throw the whole file away).
--
-- Cumulative parts would store every record five times.  pg-stage therefore
-- keeps here only records that are new or differ from the current version
-- in core (which is what the committed staging history converged to): it
-- compares each line with an in-memory set of the current versions' hashes
-- before anything is sent; the rest is counted in
-- staging.load_stage.rows_unchanged.  Rows are only ever read or deleted
-- per load, so each table has a b-tree on load_id.  (It was a BRIN index:
-- but a range is summarised only by a later VACUUM, and unsummarised ranges
-- always match, so promote-core re-read every recent load's rows -- 18 k
-- pages and 1 M rows thrown away to find one load's 281 k.  Appending equal
-- load ids to a b-tree's right edge is cheap.)

CREATE TABLE IF NOT EXISTS staging.clients (
    load_id           bigint      NOT NULL,
    source            text        NOT NULL,
    recno             bigint      NOT NULL,
    loaded_at         timestamptz NOT NULL,
    client_id         bigint,
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
    income            numeric(17,2)
);
CREATE INDEX IF NOT EXISTS clients_load_idx ON staging.clients (load_id);

CREATE TABLE IF NOT EXISTS staging.loans (
    load_id         bigint      NOT NULL,
    source          text        NOT NULL,
    recno           bigint      NOT NULL,
    loaded_at       timestamptz NOT NULL,
    client_id       bigint,
    loan_name       text,
    loan_amount     numeric(17,2),
    loan_start_date date,
    loan_end_date   date,
    payment_numbers integer,
    paid_amount     numeric(17,2)
);
CREATE INDEX IF NOT EXISTS loans_load_idx ON staging.loans (load_id);

CREATE TABLE IF NOT EXISTS staging.payments (
    load_id           bigint      NOT NULL,
    source            text        NOT NULL,
    recno             bigint      NOT NULL,
    loaded_at         timestamptz NOT NULL,
    client_id         bigint,
    loan_name         text,
    payment_number    integer,
    payment_date      date,
    payment_fact_date date,
    paid_fact_amount  numeric(17,2)
);
CREATE INDEX IF NOT EXISTS payments_load_idx ON staging.payments (load_id);

-- json2tsv's reject stream (contract 4), tagged like the records.
CREATE TABLE IF NOT EXISTS staging.rejects (
    load_id     bigint      NOT NULL,
    entity      text        NOT NULL,
    source      text        NOT NULL,
    loaded_at   timestamptz NOT NULL,
    recno       bigint,
    byte_offset bigint,
    field       text,
    reason      text,
    raw         text
);
CREATE INDEX IF NOT EXISTS rejects_load_idx ON staging.rejects (load_id);

-- One row per pg-stage run: how many rows arrived, how many were kept, how
-- many equalled core (not stored).  promote-core refuses a load whose three
-- entities are not all here.  what = 'data' (json2tsv's TSV) or 'rejects'.
CREATE TABLE IF NOT EXISTS staging.load_stage (
    load_id        bigint      NOT NULL,
    entity         text        NOT NULL CHECK (entity IN ('clients', 'loans', 'payments')),
    what           text        NOT NULL CHECK (what IN ('data', 'rejects')),
    source         text        NOT NULL,
    rows_read      bigint      NOT NULL CHECK (rows_read >= 0),
    rows_staged    bigint      NOT NULL CHECK (rows_staged >= 0),
    rows_unchanged bigint      NOT NULL CHECK (rows_unchanged >= 0),
    staged_at      timestamptz NOT NULL,
    PRIMARY KEY (load_id, entity, what),
    CHECK (rows_read = rows_staged + rows_unchanged)
);
