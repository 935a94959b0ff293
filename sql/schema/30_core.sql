-- 30_core.sql: the cleaned model with full history.
-- Idempotent; schema version 1 of the load path.
--
-- Identity tables (core.client, core.loan) hold each key once, so foreign
-- keys have a unique target.  Version tables hold one row per distinct state
-- of a key: valid_from_load is the load that brought it, valid_to_load the
-- load that replaced it (NULL = current).  A change never overwrites: the old
-- version is closed and a new one inserted.  promote-core compares
-- attributes exactly with IS NOT DISTINCT FROM.
--
-- One unique index per version table, UNIQUE NULLS NOT DISTINCT (key,
-- valid_to_load): at most one current version per key (the NULLs collide),
-- and at most one version of a key closed by any load -- with versions
-- chained (each one's valid_from_load is its predecessor's valid_to_load)
-- that also makes (key, valid_from_load) unique, which a second primary-key
-- index used to say again.  Every index entry is a random write here (the
-- key starts with client_id, and a part adds loans all over the client
-- range), so the second index cost as much as the first: 281 k new payments
-- took 4.6 s with both, 2.3 s with one (measured after a checkpoint).
--
-- Foreign keys: client_version -> client, loan -> client and loan_version ->
-- loan are real foreign keys (tens of thousands of rows per load: cheap).
-- payment_version -> loan is not: the per-row check cost 5.8 us a row
-- (1.6 s of a 281 k-row promotion, 23 s over 3 M payments), and it checks
-- nothing that is not already proven set-based: promote-core quarantines
-- every payment whose loan is not in core, under the writer lock, in the
-- same transaction; and a loan identity can never go away (the statement
-- trigger below refuses DELETE, TRUNCATE and key updates on core.loan).
--
-- Citus readiness (SPEC 8.3): client_id leads every key and index; client_id
-- is never updated.  The version tables do not reference core.load by a
-- foreign key: a per-row check against a small table on every one of
-- millions of rows buys nothing that the load status does not already say.
--
-- Every CHECK here has a matching quarantine rule in promote-core, so a bad
-- record is rejected with a reason instead of failing the whole load.

CREATE TABLE IF NOT EXISTS core.client (
    client_id     bigint NOT NULL PRIMARY KEY CHECK (client_id > 0),
    first_load_id bigint NOT NULL
);

CREATE TABLE IF NOT EXISTS core.client_version (
    client_id         bigint        NOT NULL REFERENCES core.client (client_id),
    valid_from_load   bigint        NOT NULL,
    valid_to_load     bigint        CHECK (valid_to_load > valid_from_load),
    fio               text          NOT NULL,
    passport          text          NOT NULL,
    gender            text          NOT NULL,
    birth_date        date          NOT NULL,
    education         text          NOT NULL,
    count_of_children integer       CHECK (count_of_children >= 0),
    job_type          text          NOT NULL,
    region            text,
    family_status     text,
    address           text,
    phone             text,
    income            numeric(17,2) NOT NULL CHECK (income >= 0)
);
CREATE UNIQUE INDEX IF NOT EXISTS client_version_key
    ON core.client_version (client_id, valid_to_load) NULLS NOT DISTINCT;

CREATE TABLE IF NOT EXISTS core.loan (
    client_id     bigint NOT NULL REFERENCES core.client (client_id),
    loan_name     text   NOT NULL CHECK (loan_name <> ''),
    first_load_id bigint NOT NULL,
    PRIMARY KEY (client_id, loan_name)
);

CREATE TABLE IF NOT EXISTS core.loan_version (
    client_id       bigint        NOT NULL,
    loan_name       text          NOT NULL,
    valid_from_load bigint        NOT NULL,
    valid_to_load   bigint        CHECK (valid_to_load > valid_from_load),
    loan_amount     numeric(17,2) NOT NULL CHECK (loan_amount >= 0),
    loan_start_date date          NOT NULL,
    loan_end_date   date          NOT NULL,
    payment_numbers integer       NOT NULL CHECK (payment_numbers >= 1),
    paid_amount     numeric(17,2) NOT NULL CHECK (paid_amount >= 0),
    FOREIGN KEY (client_id, loan_name) REFERENCES core.loan (client_id, loan_name),
    CHECK (loan_end_date >= loan_start_date)
);
CREATE UNIQUE INDEX IF NOT EXISTS loan_version_key
    ON core.loan_version (client_id, loan_name, valid_to_load) NULLS NOT DISTINCT;

-- Payments have no identity table: nothing references a single payment.
CREATE TABLE IF NOT EXISTS core.payment_version (
    client_id         bigint        NOT NULL,
    loan_name         text          NOT NULL,
    payment_number    integer       NOT NULL CHECK (payment_number >= 1),
    valid_from_load   bigint        NOT NULL,
    valid_to_load     bigint        CHECK (valid_to_load > valid_from_load),
    payment_date      date          NOT NULL,
    payment_fact_date date,                      -- NULL = not paid
    paid_fact_amount  numeric(17,2) CHECK (paid_fact_amount >= 0)   -- NULL = 0
);
CREATE UNIQUE INDEX IF NOT EXISTS payment_version_key
    ON core.payment_version (client_id, loan_name, payment_number, valid_to_load)
    NULLS NOT DISTINCT;

-- A loan identity is forever: payments refer to it without a per-row
-- foreign key (see above), so nothing may delete it or change its key.
CREATE OR REPLACE FUNCTION core.refuse_loan_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'core.loan keeps every loan identity: % is not allowed', TG_OP
        USING ERRCODE = 'restrict_violation',
              HINT = 'payments refer to these rows; core history is closed, never deleted';
END
$$;
CREATE OR REPLACE TRIGGER loan_identity_forever
    BEFORE DELETE OR TRUNCATE OR UPDATE OF client_id, loan_name ON core.loan
    FOR EACH STATEMENT EXECUTE FUNCTION core.refuse_loan_change();
