/*
 * stage.c - pg-stage's work: COPY json2tsv's TSV into a temporary landing
 * table, keep what is new or changed in staging, record the counts -- all in
 * one transaction, so a broken input or a kill leaves staging untouched.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "db.h"
#include "sql.h"
#include "stage.h"
#include "util.h"

#define CHUNK (1u << 20)	/* bytes per PQputCopyData: large buffers, few calls */

const char *const stage_entities[3] = {"clients", "loans", "payments"};

int
stage_entity(const char *name)
{
	for (int i = 0; i < 3; i++)
		if (strcmp(name, stage_entities[i]) == 0)
			return i;
	return -1;
}

void
stage_now(char out[40])
{
	struct timespec ts;
	struct tm tm;

	if (clock_gettime(CLOCK_REALTIME, &ts) != 0 || gmtime_r(&ts.tv_sec, &tm) == NULL)
		die(EX_OSERR, "cannot read the clock:");
	/* strftime bounds every field; microseconds are 0..999999 */
	if (strftime(out, 40, "%Y-%m-%d %H:%M:%S", &tm) == 0)
		die(EX_SOFTWARE, "cannot format the time");
	snprintf(out + strlen(out), 40 - strlen(out), ".%06d+00",
	    (int)(ts.tv_nsec / 1000 % 1000000));
}

size_t
copytail_feed(struct copytail *t, const char *in, size_t n, char *out)
{
	size_t total = t->nhold + n, keep, nout;

	/* out = hold + in; everything but the last 4 bytes may go */
	memcpy(out, t->hold, t->nhold);
	memcpy(out + t->nhold, in, n);
	keep = total < 4 ? total : 4;
	nout = total - keep;
	memcpy(t->hold, out + nout, keep);
	t->nhold = keep;
	if (nout > 0) {
		t->sent_any = 1;
		t->last_sent = out[nout - 1];
	}
	return nout;
}

int
copytail_end(const struct copytail *t, size_t *rest)
{
	const char *h = t->hold;
	size_t n = t->nhold, m = 0;
	char before;

	*rest = n;
	if (n >= 3 && memcmp(h + n - 3, "\\.\n", 3) == 0)
		m = 3;
	else if (n >= 2 && memcmp(h + n - 2, "\\.", 2) == 0)
		m = 2;
	if (m == 0)
		return 0;
	if (n > m)
		before = h[n - m - 1];
	else if (t->sent_any)
		before = t->last_sent;
	else
		before = '\n';	/* the marker is the whole stream: no rows */
	if (before != '\n')
		return 0;
	*rest = n - m;
	return 1;
}

/* Stream fd into the COPY already begun; returns 1 if the marker was seen. */
static int
stream(PGconn *c, int fd, int need_marker)
{
	char *in = emalloc(CHUNK), *out = emalloc(CHUNK + 4);
	struct copytail t = {{0}, 0, 0, 0};
	size_t rest, n;
	ssize_t got;
	int marker;

	for (;;) {
		got = read(fd, in, CHUNK);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			/* abort the COPY before dying so nothing is kept */
			PQputCopyEnd(c, "pg-stage: read error on input");
			die(EX_IOERR, "read error on standard input:");
		}
		if (got == 0)
			break;
		n = copytail_feed(&t, in, (size_t)got, out);
		if (n > 0)
			db_copy_put(c, "COPY", out, n);
	}
	marker = copytail_end(&t, &rest);
	if (rest > 0)
		db_copy_put(c, "COPY", t.hold, rest);
	free(in);
	free(out);
	if (!marker && need_marker) {
		/* json2tsv died (or was killed) before it finished: keep nothing */
		PGresult *res;

		if (PQputCopyEnd(c, "input ended without end marker") != 1)
			db_die(c, NULL, "COPY");
		while ((res = PQgetResult(c)) != NULL)	/* the expected error */
			PQclear(res);
		die(EX_DATAERR, "input ended without the end marker \\. "
		    "(the producer failed or was killed): nothing staged");
	}
	return marker;
}

static long long
one_int(PGconn *c, const char *what, const char *sql, int n,
    const char *const *params)
{
	PGresult *r = db_execp(c, what, sql, n, params, PGRES_TUPLES_OK);
	long long v = 0;

	if (PQntuples(r) == 1 && !PQgetisnull(r, 0, 0))
		v = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	return v;
}

void
stage_run(const struct stage_opts *o, struct stage_result *res)
{
	char name[64], now[40], idbuf[24], readbuf[24], keptbuf[24];
	const char *what = o->rejects ? "rejects" : "data";
	PGconn *c;
	PGresult *r;
	long long copied, kept;

	if (stage_entity(o->entity) < 0)
		die(EX_USAGE, "unknown entity '%s' (clients, loans or payments)", o->entity);
	stage_now(now);
	c = db_connect(o->conninfo);
	/*
	 * REPEATABLE READ: the load check and the comparison with core see one
	 * snapshot.  Staging can be re-done, so it need not wait for the WAL
	 * flush at commit; core's commit (promote-core) does.
	 */
	db_run(c, "begin", "BEGIN ISOLATION LEVEL REPEATABLE READ");
	db_run(c, "set", "SET LOCAL synchronous_commit = off");
	res->load_id = o->load_id;
	if (res->load_id == 0) {
		res->load_id = one_int(c, "find the running load",
		    sql_text("staging/running_load.sql"), 0, NULL);
		if (res->load_id == 0)
			die(EX_DATAERR, "no load is running: start one with "
			    "promote-core --begin, or pass --load");
	}
	snprintf(idbuf, sizeof idbuf, "%lld", res->load_id);
	{
		const char *p[3] = {idbuf, o->entity, what};

		r = db_execp(c, "check the load", sql_text("staging/load_check.sql"),
		    3, p, PGRES_TUPLES_OK);
		if (PQntuples(r) != 1)
			die(EX_DATAERR, "load %s does not exist", idbuf);
		if (strcmp(PQgetvalue(r, 0, 0), "running") != 0)
			die(EX_DATAERR, "load %s is %s, not running: start a new load",
			    idbuf, PQgetvalue(r, 0, 0));
		if (strcmp(PQgetvalue(r, 0, 1), "t") != 0)
			die(EX_TEMPFAIL, "another load committed after load %s began: "
			    "run the load again", idbuf);
		if (strcmp(PQgetvalue(r, 0, 2), "t") == 0)
			die(EX_DATAERR, "load %s already has its %s %s staged",
			    idbuf, o->entity, what);
		PQclear(r);
	}
	snprintf(name, sizeof name, "staging/land_%s.sql", o->rejects ? "rejects" : o->entity);
	db_run(c, "create the landing table", sql_text(name));
	db_copy_begin(c, "COPY", "COPY pg_temp.land FROM STDIN");
	stream(c, o->fd, !o->rejects);
	copied = db_copy_end(c, "COPY", NULL);
	/*
	 * The planner sizes a fresh temporary table from its pages, but without
	 * statistics it may pick a memoized nested loop of index probes over
	 * core (measured 0.87 s for 160k rows) instead of one pass over the
	 * current versions (0.19 s).  ANALYZE would fix the plan but costs
	 * 0.2 s itself; forbidding nested loops for this statement is free.
	 */
	db_run(c, "plan", "SET LOCAL enable_nestloop = off");
	snprintf(name, sizeof name, "staging/keep_%s.sql", o->rejects ? "rejects" : o->entity);
	{
		const char *p[4] = {idbuf, o->source, now, o->entity};

		r = db_execp(c, "keep new and changed records", sql_text(name),
		    o->rejects ? 4 : 3, p, PGRES_COMMAND_OK);
		kept = strtoll(PQcmdTuples(r), NULL, 10);
		PQclear(r);
	}
	snprintf(readbuf, sizeof readbuf, "%lld", copied);
	snprintf(keptbuf, sizeof keptbuf, "%lld", kept);
	{
		const char *p[7] = {idbuf, o->entity, what, o->source, readbuf, keptbuf, now};

		db_runp(c, "record the staging", sql_text("staging/record_stage.sql"), 7, p);
	}
	db_run(c, "commit", "COMMIT");
	PQfinish(c);
	res->read = copied;
	res->staged = kept;
}
