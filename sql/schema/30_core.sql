-- 30_core.sql: the cleaned model with full history.
-- Idempotent; schema version 1 of the load path.
--
-- Identity tables (core.client, core.loan) hold each key once, so foreign
-- keys have a unique target.  Version tables hold one row per distinct state
-- of a key: valid_from_load is the load that brought it, valid_to_load the
-- load that replaced it (NULL = current).  A change never overwrites: the old
-- version is closed and a new one inserted.  Exactly one current version per
-- key (partial unique index); promote-core compares attributes exactly with
-- IS NOT DISTINCT FROM, so no hash collision can hide a change.
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
    income            numeric(17,2) NOT NULL CHECK (income >= 0),
    PRIMARY KEY (client_id, valid_from_load)
);
CREATE UNIQUE INDEX IF NOT EXISTS client_version_current
    ON core.client_version (client_id) WHERE valid_to_load IS NULL;

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
    PRIMARY KEY (client_id, loan_name, valid_from_load),
    FOREIGN KEY (client_id, loan_name) REFERENCES core.loan (client_id, loan_name),
    CHECK (loan_end_date >= loan_start_date)
);
CREATE UNIQUE INDEX IF NOT EXISTS loan_version_current
    ON core.loan_version (client_id, loan_name) WHERE valid_to_load IS NULL;

-- Payments have no identity table: nothing references a single payment.
CREATE TABLE IF NOT EXISTS core.payment_version (
    client_id         bigint        NOT NULL,
    loan_name         text          NOT NULL,
    payment_number    integer       NOT NULL CHECK (payment_number >= 1),
    valid_from_load   bigint        NOT NULL,
    valid_to_load     bigint        CHECK (valid_to_load > valid_from_load),
    payment_date      date          NOT NULL,
    payment_fact_date date,                      -- NULL = not paid
    paid_fact_amount  numeric(17,2) CHECK (paid_fact_amount >= 0),  -- NULL = 0
    PRIMARY KEY (client_id, loan_name, payment_number, valid_from_load),
    FOREIGN KEY (client_id, loan_name) REFERENCES core.loan (client_id, loan_name)
);
CREATE UNIQUE INDEX IF NOT EXISTS payment_version_current
    ON core.payment_version (client_id, loan_name, payment_number)
    WHERE valid_to_load IS NULL;
