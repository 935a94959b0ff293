/*
 * db.h - libpq with every result checked.
 *
 * Connections come from libpq's own sources (PG* variables, service files,
 * .pgpass) plus an optional conninfo string (-d).  Failures die with the
 * sysexits code that fits: 69 unreachable, 75 worth retrying (lock timeout,
 * serialization failure, server starting), 65 data rejected by a
 * constraint, 70 anything else (a bug).
 */
#ifndef OVERDUE_DB_H
#define OVERDUE_DB_H

#include <libpq-fe.h>
#include <stddef.h>

/* Connect or die with 69/75.  conninfo may be NULL. */
PGconn *db_connect(const char *conninfo);

/* The sysexits code for a failed result (by SQLSTATE). */
int db_exit_code(const PGresult *res);

/*
 * Run sql (no parameters) and die unless the result status is `want`
 * (PGRES_COMMAND_OK or PGRES_TUPLES_OK).  `what` names the step in the
 * message.  The caller PQclear()s the returned result.
 */
PGresult *db_exec(PGconn *c, const char *what, const char *sql, ExecStatusType want);
/* The same, with text parameters $1..$n (NULL = SQL NULL). */
PGresult *db_execp(PGconn *c, const char *what, const char *sql, int n,
    const char *const *params, ExecStatusType want);
/* Run and clear; for statements whose result is not needed. */
void db_run(PGconn *c, const char *what, const char *sql);
void db_runp(PGconn *c, const char *what, const char *sql, int n,
    const char *const *params);

/*
 * OVERDUE_EXPLAIN=FILE (a diagnostic, overdue(7)): db_exec(), db_execp(),
 * db_run() and db_runp() append EXPLAIN (VERBOSE, COSTS OFF) of every
 * statement EXPLAIN takes to FILE before running it, on the same connection
 * with the same parameters; a string of several statements is then run one
 * statement at a time (lib/db/sqlsplit.c).  db_explaining() says whether it is
 * on, for code that sends SQL by other means (PQsendQuery); db_explain()
 * records the plans of sql's statements without running them.  Off (unset
 * or empty): nothing but a getenv() per statement.
 */
int db_explaining(void);
void db_explain(PGconn *c, const char *what, const char *sql);

/*
 * Whether `table` (schema-qualified, from a fixed list) should be analysed
 * after `added` new rows: PostgreSQL's autovacuum rule (10 % + 50), or never
 * analysed.  sql/common/stale_stats.sql.
 */
int db_stats_stale(PGconn *c, const char *table, long long added);

/*
 * COPY ... FROM STDIN: db_copy_begin() sends the statement and expects
 * PGRES_COPY_IN; db_copy_put() sends bytes; db_copy_end() finishes (or aborts
 * with errmsg != NULL) and reads results until NULL, dying on any error.
 * Returns the number of rows copied.
 */
void db_copy_begin(PGconn *c, const char *what, const char *sql);
void db_copy_put(PGconn *c, const char *what, const char *p, size_t n);
long long db_copy_end(PGconn *c, const char *what, const char *errmsg);

/*
 * Die with a message of our own (formatted first, so it may quote values of
 * r), after clearing r and closing c: nothing is left allocated behind exit.
 */
_Noreturn void db_fail(PGconn *c, PGresult *r, int status, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Die with the connection's error message and the fitting code. */
_Noreturn void db_die(PGconn *c, const PGresult *res, const char *what);

#endif
