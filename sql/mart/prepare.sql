-- prepare.sql: empty copies of the mart tables for build-mart to fill.  Run
-- on a connection of its own, in a transaction that commits, while
-- build-mart's main transaction holds the writer lock (so no other build can
-- get here meanwhile): the worker connections that fill them must see them.
-- They are UNLOGGED like the mart itself (derived data, rebuilt by
-- build-mart; no WAL).  Readers keep seeing the old mart until swap.sql
-- commits; leftovers of a killed build are dropped here by the next one.
-- The bins leave 15 % of each page free: the incremental build updates
-- their values in place, and an update that fits on its page touches no
-- index (a HOT update; MERGEs of 130 k roll cells took 25-50 % less).
SET LOCAL client_min_messages = warning;
DROP TABLE IF EXISTS mart.client_next, mart.loan_next, mart.month_bin_next,
    mart.by_attr_next, mart.roll_bin_next, mart.vintage_bin_next, mart.payment_next;
CREATE UNLOGGED TABLE mart.client_next    (LIKE mart.client    INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
CREATE UNLOGGED TABLE mart.loan_next      (LIKE mart.loan      INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
CREATE UNLOGGED TABLE mart.month_bin_next (LIKE mart.month_bin INCLUDING DEFAULTS INCLUDING CONSTRAINTS)
    WITH (fillfactor = 85);
CREATE UNLOGGED TABLE mart.by_attr_next   (LIKE mart.by_attr   INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
CREATE UNLOGGED TABLE mart.roll_bin_next    (LIKE mart.roll_bin    INCLUDING DEFAULTS INCLUDING CONSTRAINTS)
    WITH (fillfactor = 85);
CREATE UNLOGGED TABLE mart.vintage_bin_next (LIKE mart.vintage_bin INCLUDING DEFAULTS INCLUDING CONSTRAINTS)
    WITH (fillfactor = 85);
-- On Citus (sql/schema/90_citus.sql) the copies get the layout of the tables
-- they replace: the per-client ones distributed by client_id and co-located
-- with core.client (the build's joins stay on one node), the aggregates
-- reference tables.  Otherwise the swap would put coordinator-local tables
-- in their place.  Nothing happens without the extension.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN
        PERFORM create_distributed_table('mart.client_next', 'client_id',
                                         colocate_with => 'core.client');
        PERFORM create_distributed_table('mart.loan_next', 'client_id',
                                         colocate_with => 'core.client');
        PERFORM create_reference_table('mart.month_bin_next');
        PERFORM create_reference_table('mart.by_attr_next');
        PERFORM create_reference_table('mart.roll_bin_next');
        PERFORM create_reference_table('mart.vintage_bin_next');
    END IF;
END
$$;
