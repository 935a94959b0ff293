-- swap.sql: index the new tables, then replace the old ones in build-mart's
-- main transaction (dropping them drops their views; build-mart re-creates
-- them from schema/55_mart_views.sql and re-grants schema/58_mart_role.sql).
-- Only the indexes the reports, the views and the incremental build use:
-- the primary keys (data_mart joins loans by theirs), loan_amount for the
-- edge loans of amount ranges, the overdue loans by bucket and arrears for
-- the dashboard's table, the keys of the aggregates.
-- In a DO block, a statement at a time: Citus cannot pass on DDL of a
-- distributed table that came in a query string of several statements
-- ("cannot insert multiple commands into a prepared statement").
DO $ddl$
BEGIN
    PERFORM set_config('maintenance_work_mem', '512MB', true);
    ALTER TABLE mart.client_next ADD CONSTRAINT client_next_pkey PRIMARY KEY (client_id);
    ALTER TABLE mart.loan_next ADD CONSTRAINT loan_next_pkey PRIMARY KEY (client_id, loan_name);
    CREATE INDEX loan_next_amount_idx ON mart.loan_next (loan_amount);
    -- the dashboard's table: the largest arrears of each seed amount bucket (dash_loans.sql)
    CREATE INDEX loan_next_overdue_top_idx ON mart.loan_next
        ((CASE WHEN loan_amount < 50000 THEN 0 WHEN loan_amount < 100000 THEN 1
               WHEN loan_amount < 500000 THEN 2 ELSE 3 END), arrears DESC, client_id, loan_name)
        WHERE status = 'overdue';
    ALTER TABLE mart.month_bin_next ADD CONSTRAINT month_bin_next_pkey PRIMARY KEY (month, amount_bin, on_grid);
    CREATE UNIQUE INDEX by_attr_next_idx ON mart.by_attr_next (attribute, amount_bin, on_grid, value);
    -- the incremental build's lookups by key (50_mart.sql)
    CREATE UNIQUE INDEX roll_bin_next_key ON mart.roll_bin_next
        (month, amount_bin, on_grid, from_bucket, to_state);
    CREATE UNIQUE INDEX vintage_bin_next_key ON mart.vintage_bin_next
        (vintage, amount_bin, on_grid, first30_mob);
END
$ddl$;
-- The swap proper.  Readers lock a view before the tables under it, the swap
-- a table before the views over it: waiting for one lock while holding the
-- others could deadlock with a BI query.  So the swap never waits long: it
-- tries with a short lock_timeout, and when a lock is busy it undoes what it
-- did (the block's subtransaction, locks included), lets the readers finish
-- and tries again (for about ten minutes, then it gives up: nothing changes).
DO $$
DECLARE
    tries int := 0;
    was text := current_setting('lock_timeout');
BEGIN
    LOOP
        BEGIN
            PERFORM set_config('lock_timeout', '200ms', true);
            DROP TABLE mart.client, mart.loan, mart.month_bin, mart.by_attr, mart.roll_bin,
                mart.vintage_bin CASCADE;
            ALTER TABLE mart.client_next RENAME TO client;
            ALTER TABLE mart.loan_next RENAME TO loan;
            ALTER TABLE mart.month_bin_next RENAME TO month_bin;
            ALTER TABLE mart.by_attr_next RENAME TO by_attr;
            ALTER TABLE mart.roll_bin_next RENAME TO roll_bin;
            ALTER TABLE mart.vintage_bin_next RENAME TO vintage_bin;
            ALTER INDEX mart.client_next_pkey RENAME TO client_pkey;
            ALTER INDEX mart.loan_next_pkey RENAME TO loan_pkey;
            ALTER INDEX mart.loan_next_amount_idx RENAME TO loan_amount_idx;
            ALTER INDEX mart.loan_next_overdue_top_idx RENAME TO loan_overdue_top_idx;
            ALTER INDEX mart.month_bin_next_pkey RENAME TO month_bin_pkey;
            ALTER INDEX mart.by_attr_next_idx RENAME TO by_attr_idx;
            ALTER INDEX mart.roll_bin_next_key RENAME TO roll_bin_key;
            ALTER INDEX mart.vintage_bin_next_key RENAME TO vintage_bin_key;
            EXIT;
        EXCEPTION WHEN lock_not_available THEN
            tries := tries + 1;
            IF tries >= 600 THEN
                RAISE EXCEPTION 'mart swap: readers held the mart for % tries', tries;
            END IF;
            RAISE NOTICE 'mart swap: a reader holds the mart, try %', tries + 1;
            PERFORM pg_sleep(least(0.05 * tries, 1));
        END;
    END LOOP;
    PERFORM set_config('lock_timeout', was, true);
END
$$;
ANALYZE mart.client, mart.loan, mart.month_bin, mart.by_attr, mart.roll_bin, mart.vintage_bin;
