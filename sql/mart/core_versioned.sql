-- core_versioned.sql: whether the incremental build can work here: core is
-- the load path's (the load audit, the version tables, the *_current views
-- over them; a portfolio generated into plain tables is not); and whether
-- the mart has its build state table (schema version 4 of the mart).
SELECT to_regclass('core.load') IS NOT NULL
       AND to_regclass('core.client_version') IS NOT NULL
       AND to_regclass('core.loan_version') IS NOT NULL
       AND to_regclass('core.payment_version') IS NOT NULL
       AND (SELECT count(*) FROM pg_class
            WHERE oid IN (to_regclass('core.clients_current'), to_regclass('core.loans_current'),
                          to_regclass('core.payments_current'))
              AND relkind = 'v') = 3,
       to_regclass('mart.build_state') IS NOT NULL
