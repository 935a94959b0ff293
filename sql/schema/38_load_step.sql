-- 38_load_step.sql: schema version 6 of the load path -- how long each step
-- of a load took, so `make status` can show the trend of load times and an
-- operator can see which step grew.  Idempotent (IF NOT EXISTS); recorded
-- as version 6 in 49_version.sql.
--
-- Written by the programs that did the work, in the load's own
-- transactions: promote-core records its steps ('promote clients',
-- 'promote loans', 'promote payments', 'analyze', 'promote' = its whole
-- transaction) and the steps pipelines/load-part timed before it
-- ('prepare' = checksums and begin, 'stage' = the parallel staging,
-- 'stage clients' ... = each json2tsv | pg-stage) when it commits the load;
-- load-part adds 'mart' (build-mart after the commit) through
-- promote-core --add-steps.  rows: what the step added or read, when the
-- program knows it (NULL otherwise).
--
-- A small table with one row per load and step: a reference table on
-- Citus, like core.load.
CREATE TABLE IF NOT EXISTS core.load_step (
    load_id bigint  NOT NULL REFERENCES core.load (load_id),
    step    text    NOT NULL CHECK (step <> ''),
    ms      integer NOT NULL CHECK (ms >= 0),
    rows    bigint  CHECK (rows >= 0),
    PRIMARY KEY (load_id, step)
);
