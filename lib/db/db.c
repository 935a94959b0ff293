/* db.c - libpq with every result checked. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "buf.h"
#include "db/db.h"
#include "db/sql.h"
#include "db/sqlsplit.h"
#include "util.h"

static void
trim_newline(char *s)
{
	size_t n = strlen(s);

	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' '))
		s[--n] = '\0';
}

static void
quiet_notice(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

PGconn *
db_connect(const char *conninfo)
{
	PGconn *c = PQconnectdb(conninfo != NULL ? conninfo : "");
	char *msg;

	if (c == NULL)
		die(EX_OSERR, "cannot allocate a database connection");
	if (PQstatus(c) != CONNECTION_OK) {
		msg = estrdup(PQerrorMessage(c));
		trim_newline(msg);
		/* a server that is starting or shutting down is worth a retry */
		int code = strstr(msg, "starting up") || strstr(msg, "shutting down")
		    ? EX_TEMPFAIL : EX_UNAVAILABLE;
		PQfinish(c);
		die(code, "cannot connect to the database: %s", msg);
	}
	/* our own messages are the ones that matter; keep NOTICEs quiet */
	PQsetNoticeProcessor(c, quiet_notice, NULL);
	return c;
}

int
db_exit_code(const PGresult *res)
{
	const char *st = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;

	if (st == NULL)
		return EX_UNAVAILABLE;	/* no SQLSTATE: the connection broke */
	if (strncmp(st, "08", 2) == 0 || strncmp(st, "57", 2) == 0 ||
	    strcmp(st, "40001") == 0 || strcmp(st, "40P01") == 0 ||
	    strcmp(st, "55P03") == 0 || strcmp(st, "53300") == 0)
		return EX_TEMPFAIL;
	if (strncmp(st, "22", 2) == 0 || strncmp(st, "23", 2) == 0)
		return EX_DATAERR;
	return EX_SOFTWARE;
}

void
db_die(PGconn *c, const PGresult *res, const char *what)
{
	const char *m = res ? PQresultErrorMessage(res) : "";
	char msg[2048];
	int code = db_exit_code(res);

	if (m == NULL || *m == '\0')
		m = PQerrorMessage(c);
	snprintf(msg, sizeof msg, "%s", m && *m ? m : "unknown database error");
	trim_newline(msg);
	/* leave nothing allocated behind exit (the sanitizers check) */
	PQclear((PGresult *)res);
	PQfinish(c);
	die(code, "%s: %s", what, msg);
}

/*
 * OVERDUE_EXPLAIN (a diagnostic, overdue(7)): the file plans are appended
 * to, or NULL.  getenv() each time, not a cached copy: build-mart's threads
 * call this too, and it is nothing beside a round trip to the server.
 */
static const char *
explain_file(void)
{
	const char *f = getenv("OVERDUE_EXPLAIN");

	return f != NULL && *f != '\0' ? f : NULL;
}

int
db_explaining(void)
{
	return explain_file() != NULL;
}

/* append b to the file as one write under an exclusive lock (several processes, threads) */
static void
explain_append(const char *file, struct buf *b)
{
	int fd = open(file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	size_t off = 0;

	if (fd < 0)
		die(EX_CANTCREAT, "OVERDUE_EXPLAIN: %s:", file);
	while (flock(fd, LOCK_EX) != 0)
		if (errno != EINTR)
			die(EX_IOERR, "OVERDUE_EXPLAIN: %s: lock:", file);
	while (off < b->len) {
		ssize_t w = write(fd, b->p + off, b->len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			die(EX_IOERR, "OVERDUE_EXPLAIN: %s:", file);
		off += (size_t)w;
	}
	if (close(fd) != 0)
		die(EX_IOERR, "OVERDUE_EXPLAIN: %s:", file);
}

/*
 * EXPLAIN (VERBOSE, COSTS OFF) of stmt[0..len) on c, with the statement's
 * own parameters, appended to the file as a record:
 *     === program | what | read|write
 *     the statement
 *     --- $1 = value (one line per parameter, 60 bytes at most)
 *     --- plan
 *     the plan's lines
 * Statements EXPLAIN cannot take (DDL, SET, LOCK, DO, COPY ...) are not
 * recorded.  A statement the server cannot plan fails here as it would
 * when run, naming the step.
 */
static void
explain_record(PGconn *c, const char *file, const char *what, const char *stmt,
    size_t len, int n, const char *const *params)
{
	enum sql_kind kind = sql_kind(stmt, len);
	struct buf q = BUF_INIT, rec = BUF_INIT;
	char step[160];
	PGresult *r;

	if (kind == SQL_OTHER)
		return;
	snprintf(step, sizeof step, "%s (OVERDUE_EXPLAIN)", what);
	/*
	 * Inside a transaction, under a savepoint rolled back after: on Citus
	 * an EXPLAIN the workers refuse ("Could not get remote plan") leaves
	 * the worker's side of the transaction aborted, though the coordinator
	 * reports the plan.
	 */
	int sp = PQtransactionStatus(c) == PQTRANS_INTRANS;
	if (sp)
		PQclear(db_exec(c, step, "SAVEPOINT overdue_explain", PGRES_COMMAND_OK));
	if (n == 0) {
		buf_puts(&q, "EXPLAIN (VERBOSE, COSTS OFF) ");
		buf_put(&q, stmt, len);
		r = PQexec(c, buf_cstr(&q));
	} else {
		/*
		 * With parameters: their values as literals in the statement --
		 * the plan made for these values, as for the statement itself.
		 * (An EXPLAIN sent with parameters, or EXPLAIN EXECUTE, is planned
		 * with them unresolved, and Citus refuses some of those plans:
		 * "could not create distributed plan", promote_counts.sql.)
		 */
		char **lit = ecalloc((size_t)n, sizeof *lit);
		const char **text = ecalloc((size_t)n, sizeof *text);

		for (int i = 0; i < n; i++) {
			if (params[i] != NULL &&
			    (lit[i] = PQescapeLiteral(c, params[i], strlen(params[i]))) == NULL)
				db_die(c, NULL, step);
			text[i] = lit[i] != NULL ? lit[i] : "NULL";
		}
		buf_puts(&q, "EXPLAIN (VERBOSE, COSTS OFF) ");
		sql_bind(&q, stmt, len, n, text);
		for (int i = 0; i < n; i++)
			PQfreemem(lit[i]);
		free(lit);
		free(text);
		r = PQexec(c, buf_cstr(&q));
	}
	buf_free(&q);
	if (r == NULL || PQresultStatus(r) != PGRES_TUPLES_OK)
		db_die(c, r, step);
	buf_printf(&rec, "=== %s | %s | %s\n", progname, what,
	    kind == SQL_WRITE ? "write" : "read");
	buf_put(&rec, stmt, len);
	buf_putc(&rec, '\n');
	for (int i = 0; i < n; i++)
		if (params[i] == NULL)
			buf_printf(&rec, "--- $%d = NULL\n", i + 1);
		else
			buf_printf(&rec, "--- $%d = '%.60s'\n", i + 1, params[i]);
	buf_puts(&rec, "--- plan\n");
	for (int i = 0; i < PQntuples(r); i++)
		buf_printf(&rec, "%s\n", PQgetvalue(r, i, 0));
	PQclear(r);
	if (sp) {
		PQclear(db_exec(c, step, "ROLLBACK TO SAVEPOINT overdue_explain", PGRES_COMMAND_OK));
		PQclear(db_exec(c, step, "RELEASE SAVEPOINT overdue_explain", PGRES_COMMAND_OK));
	}
	explain_append(file, &rec);
	buf_free(&rec);
}

void
db_explain(PGconn *c, const char *what, const char *sql)
{
	const char *file = explain_file();
	size_t n = strlen(sql), pos = 0, start, len;

	if (file == NULL)
		return;
	while (sql_next(sql, n, &pos, &start, &len))
		explain_record(c, file, what, sql + start, len, 0, NULL);
}

/*
 * db_exec() with OVERDUE_EXPLAIN: each statement of sql explained, then
 * run, one at a time (a statement may need what the one before made: a
 * temporary table), in a transaction of their own when c is in none (as
 * the simple protocol runs a multi-statement string).  The last result is
 * returned.
 */
static PGresult *
explain_exec(PGconn *c, const char *file, const char *what, const char *sql,
    ExecStatusType want)
{
	size_t n = strlen(sql), pos = 0, start, len, count = 0;
	struct buf one = BUF_INIT;
	PGresult *r = NULL;
	int wrap;

	while (sql_next(sql, n, &pos, &start, &len))
		count++;
	wrap = count > 1 && PQtransactionStatus(c) == PQTRANS_IDLE;
	if (wrap)
		PQclear(db_exec(c, what, "BEGIN", PGRES_COMMAND_OK));
	pos = 0;
	for (size_t k = 0; sql_next(sql, n, &pos, &start, &len); k++) {
		explain_record(c, file, what, sql + start, len, 0, NULL);
		buf_reset(&one);
		buf_put(&one, sql + start, len);
		PQclear(r);
		r = PQexec(c, buf_cstr(&one));
		if (r == NULL || (k + 1 == count ? PQresultStatus(r) != want
		    : PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK)) {
			buf_free(&one);
			db_die(c, r, what);
		}
	}
	buf_free(&one);
	if (count == 0) {	/* nothing but comments: what PQexec says of that */
		r = PQexec(c, sql);
		if (r == NULL || PQresultStatus(r) != want)
			db_die(c, r, what);
	}
	if (wrap) {
		PGresult *cr = PQexec(c, "COMMIT");

		if (cr == NULL || PQresultStatus(cr) != PGRES_COMMAND_OK) {
			PQclear(r);
			db_die(c, cr, what);
		}
		PQclear(cr);
	}
	return r;
}

PGresult *
db_execp(PGconn *c, const char *what, const char *sql, int n,
    const char *const *params, ExecStatusType want)
{
	const char *file = explain_file();
	PGresult *r;

	if (file != NULL)	/* one statement: the extended protocol takes no more */
		explain_record(c, file, what, sql, strlen(sql), n, params);
	r = PQexecParams(c, sql, n, NULL, params, NULL, NULL, 0);
	if (r == NULL || PQresultStatus(r) != want)
		db_die(c, r, what);
	return r;
}

PGresult *
db_exec(PGconn *c, const char *what, const char *sql, ExecStatusType want)
{
	const char *file = explain_file();
	PGresult *r;

	if (file != NULL)
		return explain_exec(c, file, what, sql, want);
	/* PQexec allows several statements (SQL files); PQexecParams does not */
	r = PQexec(c, sql);
	if (r == NULL || PQresultStatus(r) != want)
		db_die(c, r, what);
	return r;
}

void
db_run(PGconn *c, const char *what, const char *sql)
{
	PQclear(db_exec(c, what, sql, PGRES_COMMAND_OK));
}

void
db_runp(PGconn *c, const char *what, const char *sql, int n,
    const char *const *params)
{
	PQclear(db_execp(c, what, sql, n, params, PGRES_COMMAND_OK));
}

void
db_copy_begin(PGconn *c, const char *what, const char *sql)
{
	PGresult *r = PQexec(c, sql);

	if (r == NULL || PQresultStatus(r) != PGRES_COPY_IN)
		db_die(c, r, what);
	PQclear(r);
}

void
db_copy_put(PGconn *c, const char *what, const char *p, size_t n)
{
	while (n > 0) {
		int chunk = n > (1u << 30) ? (1 << 30) : (int)n;

		if (PQputCopyData(c, p, chunk) != 1)
			db_die(c, NULL, what);
		p += chunk;
		n -= (size_t)chunk;
	}
}

long long
db_copy_end(PGconn *c, const char *what, const char *errmsg)
{
	PGresult *r, *bad = NULL;
	long long rows = -1;

	if (PQputCopyEnd(c, errmsg) != 1)
		db_die(c, NULL, what);
	/* read every result until NULL, or the connection stays busy */
	while ((r = PQgetResult(c)) != NULL) {
		if (PQresultStatus(r) != PGRES_COMMAND_OK) {
			if (bad == NULL)
				bad = r;
			else
				PQclear(r);
			continue;
		}
		rows = strtoll(PQcmdTuples(r), NULL, 10);
		PQclear(r);
	}
	if (bad != NULL)
		db_die(c, bad, what);
	return rows;
}

void
db_fail(PGconn *c, PGresult *r, int status, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	PQclear(r);
	PQfinish(c);
	die(status, "%s", msg);
}

int
db_stats_stale(PGconn *c, const char *table, long long added)
{
	char n[24];
	const char *p[2] = {table, n};
	PGresult *r;
	int stale;

	snprintf(n, sizeof n, "%lld", added);
	r = db_execp(c, "check the planner statistics", sql_text("common/stale_stats.sql"),
	    2, p, PGRES_TUPLES_OK);
	stale = PQntuples(r) != 1 || strcmp(PQgetvalue(r, 0, 0), "t") == 0;
	PQclear(r);
	return stale;
}
