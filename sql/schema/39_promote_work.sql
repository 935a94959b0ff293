-- 39_promote_work.sql: schema version 7 of the load path -- promote-core's
-- work tables, one per entity: the load's staged records with the rule
-- they broke (NULL when none) and their kind (new, changed, unchanged,
-- rejected), written by the first statement of sql/core/promote_ENTITY.sql
-- and read by the statements after it and by promote_counts.sql.
-- Idempotent (IF NOT EXISTS); recorded as version 7 in 49_version.sql.
--
-- Why tables and not the temporary table promote_batch of before: a
-- temporary table lives on the one server the session is on.  On Citus
-- that is the coordinator: every staged row of the load went through it
-- into the temporary table (a read of all the load's rows from the
-- workers), and every statement after joined the workers' tables with it
-- by shipping it back ("pull to coordinator", a distributed subplan).
-- These are per-client tables like staging's: distributed by client_id
-- and co-located with staging and core (90_citus.sql), so each statement
-- of the promotion runs inside the shards, a client's rows beside its
-- core rows (tests/citus-explain.bats checks the plans).
--
-- UNLOGGED, as the temporary table was (no WAL: the rows are rebuilt by
-- the next promotion anyway; a crash empties them).  promote-core holds the
-- writer lock and empties a table (TRUNCATE) before it fills it; the rows
-- of the last promotion stay until the next one -- what it judged, for a
-- look after the fact.  Explicit columns: what the promotion uses of the
-- staged record (loaded_at is not), the judgement, and for payments
-- whether the loan was in core before this load.  client_id is never NULL
-- here (json2tsv rejects a record without it before staging).
CREATE UNLOGGED TABLE IF NOT EXISTS staging.promote_clients (
    load_id           bigint NOT NULL,
    source            text   NOT NULL,
    recno             bigint NOT NULL,
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
    income            numeric(17,2),
    email             text,
    rule              text,
    kind              text   NOT NULL
);

CREATE UNLOGGED TABLE IF NOT EXISTS staging.promote_loans (
    load_id         bigint NOT NULL,
    source          text   NOT NULL,
    recno           bigint NOT NULL,
    client_id       bigint,
    loan_name       text,
    loan_amount     numeric(17,2),
    loan_start_date date,
    loan_end_date   date,
    payment_numbers integer,
    paid_amount     numeric(17,2),
    rule            text,
    kind            text   NOT NULL
);

CREATE UNLOGGED TABLE IF NOT EXISTS staging.promote_payments (
    load_id           bigint  NOT NULL,
    source            text    NOT NULL,
    recno             bigint  NOT NULL,
    client_id         bigint,
    loan_name         text,
    payment_number    integer,
    payment_date      date,
    payment_fact_date date,
    paid_fact_amount  numeric(17,2),
    known_loan        boolean NOT NULL,
    rule              text,
    kind              text    NOT NULL
);
