-- 90_citus.sql: the warehouse's layout on a Citus cluster (issue 10, SPEC 10).
-- Does nothing on a server without the citus extension.  The layout step:
-- pipelines/schema runs it after every other file, in its one transaction,
-- so each table has its layout before the next file makes views, triggers
-- or indexes on it.  Idempotent: a table that has its layout already is
-- left as it is, so a second run changes nothing.  A warehouse that holds
-- data moves the same way as an empty one: create_distributed_table and
-- create_reference_table copy a local table's rows into its shards (all or
-- nothing with the rest), and the coordinator's copies are emptied after.
--
-- Per-client tables are hash-distributed by client_id and co-located (the
-- same shard count, the same client range on the same worker), so every
-- join between them on client_id, every promotion INSERT ... SELECT and
-- every per-client window runs inside the shards.  Every PRIMARY KEY and
-- UNIQUE index of these starts with client_id (Citus enforces uniqueness
-- per shard only, and refuses one without the distribution column).
--
-- Small tables -- one row per load, per load and entity, per month and
-- amount bin, or one row -- are reference tables: a copy on every node
-- (the coordinator included, citus_set_coordinator_host), joinable with
-- any distributed table on any column, written on all nodes in one 2PC
-- transaction.  Two of them have a client_id that is not their key:
-- core.quarantine (json2tsv's rejects have no client_id; keyed by load,
-- entity, record number) and staging.rejects (no client_id at all).
-- No foreign key points into a small table on Citus (see below).
--
-- Triggers: the append-only statement triggers of notify's tables and
-- core.loan's identity trigger only RAISE; on Citus they are created on
-- every shard and fire there (an UPDATE or DELETE runs on the shards, a
-- TRUNCATE too; the message then names the shard, notify.contact_102346).
-- Citus refuses triggers on its tables unless citus.enable_unsafe_triggers
-- is on -- "unsafe" meaning triggers that read or write other tables from a
-- shard; these read nothing.  pipelines/schema turns it on for its
-- transaction, because the files run CREATE OR REPLACE TRIGGER every time.
DO $$
DECLARE
    -- small tables.  (A local table with a foreign key to one made a
    -- reference table becomes a "Citus local table", partmethod 'n' but
    -- repmodel 's': hence the test on repmodel.)
    reference text[] := ARRAY[
        'core.schema_version', 'core.etl_lock', 'core.schema_files',
        'core.load', 'core.load_file', 'core.load_entity_stats', 'core.load_step',
        'core.quarantine',
        'staging.rejects', 'staging.load_stage',
        'mart.build_info', 'mart.build_state',
        'mart.month_bin', 'mart.roll_bin', 'mart.vintage_bin', 'mart.by_attr',
        'notify.writer_lock'];
    -- per-client tables, co-located; a foreign key's target before the
    -- table that has it
    per_client text[] := ARRAY[
        'core.client', 'core.client_version', 'core.loan', 'core.loan_version',
        'core.payment_version',
        'staging.clients', 'staging.loans', 'staging.payments',
        -- promote-core's work tables (39_promote_work.sql)
        'staging.promote_clients', 'staging.promote_loans', 'staging.promote_payments',
        'mart.client', 'mart.loan',
        'notify.contact', 'notify.contact_event', 'notify.restriction'];
    t text;
    r record;
    kind text;
    moved text[] := '{}';   -- tables that held rows when they were made Citus tables
    anchor text;            -- a per-client table distributed already
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN
        RETURN;
    END IF;
    -- No foreign key into a small table.  Citus runs every statement of a
    -- transaction that writes a reference table referenced by a foreign key
    -- over one connection per node once it has written it, and refuses the
    -- write when a parallel (multi-shard) statement came first: promote-core
    -- marks its load committed in core.load after the parallel promotion.
    -- The rows that referred to core.load (its files, counts, steps,
    -- rejects) are written by promote-core in the load's own transaction.
    FOR r IN
        SELECT c.conrelid::regclass AS rel, c.conname
        FROM pg_constraint c
        WHERE c.contype = 'f'
          AND c.confrelid IN (SELECT to_regclass(x) FROM unnest(reference) AS x)
        ORDER BY 1::text, 2
    LOOP
        EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', r.rel, r.conname);
    END LOOP;
    FOREACH t IN ARRAY reference LOOP
        IF to_regclass(t) IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM pg_dist_partition
            WHERE logicalrelid = to_regclass(t) AND partmethod = 'n' AND repmodel = 't') THEN
            PERFORM create_reference_table(t);
            moved := moved || t;
        END IF;
    END LOOP;
    -- the co-location group: that of a per-client table distributed
    -- already (pipelines/schema runs this file after every file: the
    -- staging tables come before core's)
    SELECT x INTO anchor
    FROM unnest(per_client) WITH ORDINALITY AS u(x, o)
    JOIN pg_dist_partition p ON p.logicalrelid = to_regclass(u.x) AND p.partmethod = 'h'
    ORDER BY u.o LIMIT 1;
    FOREACH t IN ARRAY per_client LOOP
        IF to_regclass(t) IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM pg_dist_partition
            WHERE logicalrelid = to_regclass(t) AND partmethod = 'h') THEN
            IF anchor IS NULL THEN
                PERFORM create_distributed_table(t, 'client_id');
                anchor := t;
            ELSE
                PERFORM create_distributed_table(t, 'client_id', colocate_with => anchor);
            END IF;
            moved := moved || t;
        END IF;
    END LOOP;

    -- A table added to a layer later and not named above: the same rule as
    -- for the ones above (per-client when it has a client_id that leads every
    -- unique index, small otherwise), and a warning to name it here.
    -- build-mart's copies in the making (mart.*_next) are its own business.
    FOR r IN
        SELECT c.oid::regclass AS rel,
               EXISTS (SELECT 1 FROM pg_attribute a
                       WHERE a.attrelid = c.oid AND a.attname = 'client_id' AND NOT a.attisdropped)
               AND NOT EXISTS (
                   SELECT 1 FROM pg_index i
                   WHERE i.indrelid = c.oid AND i.indisunique
                     AND (SELECT a.attname FROM pg_attribute a
                          WHERE a.attrelid = c.oid AND a.attnum = i.indkey[0])
                         IS DISTINCT FROM 'client_id') AS per_client
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname IN ('staging', 'core', 'mart', 'notify')
          AND c.relkind IN ('r', 'p') AND NOT c.relispartition
          AND c.relname NOT LIKE '%\_next'
          AND NOT EXISTS (SELECT 1 FROM pg_dist_partition p WHERE p.logicalrelid = c.oid
                          AND (p.partmethod = 'h' OR p.repmodel = 't'))
        ORDER BY 1::text
    LOOP
        IF r.per_client THEN
            IF anchor IS NULL THEN
                PERFORM create_distributed_table(r.rel, 'client_id');
                anchor := r.rel::text;
            ELSE
                PERFORM create_distributed_table(r.rel, 'client_id', colocate_with => anchor);
            END IF;
            kind := 'distributed by client_id';
        ELSE
            PERFORM create_reference_table(r.rel);
            kind := 'a reference table';
        END IF;
        RAISE WARNING '90_citus.sql: % is not in its lists; made it %', r.rel, kind
            USING HINT = 'name it in sql/schema/90_citus.sql';
        moved := moved || r.rel::text;
    END LOOP;

    -- A table that held rows (a single-node warehouse moved to the
    -- coordinator) had them copied into its shards; the coordinator's copy
    -- is dead weight now (no query reads it): emptied, last made first.
    -- The append-only and identity triggers refuse TRUNCATE, and emptying
    -- core.client's copy cascades to the copies that refer to it: the
    -- user triggers of every such table are off meanwhile, in this
    -- transaction only.
    SELECT coalesce(array_agg(x ORDER BY o DESC), '{}') INTO moved
    FROM unnest(moved) WITH ORDINALITY AS u(x, o)
    WHERE EXISTS (SELECT 1 FROM pg_class WHERE oid = to_regclass(x) AND pg_relation_size(oid) > 0);
    FOREACH t IN ARRAY moved LOOP
        EXECUTE format('ALTER TABLE %s DISABLE TRIGGER USER', t);
    END LOOP;
    FOREACH t IN ARRAY moved LOOP
        PERFORM truncate_local_data_after_distributing_table(t);
    END LOOP;
    FOREACH t IN ARRAY moved LOOP
        EXECUTE format('ALTER TABLE %s ENABLE TRIGGER USER', t);
    END LOOP;

    -- version 0: not a migration but the layout, on a Citus server only
    INSERT INTO core.schema_version (version, description)
    VALUES (0, 'citus layout: per-client tables distributed by client_id, co-located with core.client; small tables reference tables')
    ON CONFLICT (version) DO NOTHING;
END
$$;
