/* db.c - libpq with every result checked. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "sql.h"
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

PGresult *
db_execp(PGconn *c, const char *what, const char *sql, int n,
    const char *const *params, ExecStatusType want)
{
	PGresult *r = PQexecParams(c, sql, n, NULL, params, NULL, NULL, 0);

	if (r == NULL || PQresultStatus(r) != want)
		db_die(c, r, what);
	return r;
}

PGresult *
db_exec(PGconn *c, const char *what, const char *sql, ExecStatusType want)
{
	/* PQexec allows several statements (SQL files); PQexecParams does not */
	PGresult *r = PQexec(c, sql);

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
