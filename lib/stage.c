/*
 * stage.c - pg-stage's work: read the current core versions of the entity
 * into an in-memory hash set, COPY only json2tsv's lines that are not in it
 * straight into staging, record the counts -- all in one transaction, so a
 * broken input or a kill leaves staging untouched.  (json2tsv's rejects go
 * through a temporary landing table as before: they are few.)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "db.h"
#include "pgbin.h"
#include "progress.h"
#include "rowset.h"
#include "sql.h"
#include "stage.h"
#include "tsv.h"
#include "util.h"

#if defined(__linux__) && !defined(F_SETPIPE_SZ)
#define F_SETPIPE_SZ 1031	/* Linux fcntl: resize a pipe */
#endif

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

long long
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
	/* 946 684 800 s = 2000-01-01 00:00:00 UTC, PostgreSQL's epoch */
	return ((long long)ts.tv_sec - 946684800LL) * 1000000LL +
	    (long long)(ts.tv_nsec / 1000 % 1000000);
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

void
sfilter_init(struct stagefilter *f, const struct rowset *set, const char *prefix)
{
	struct buf z = BUF_INIT;

	f->set = set;
	f->bin = NULL;
	f->nprefix = 0;
	f->bad = 0;
	f->err[0] = '\0';
	f->prefix = z;
	f->carry = z;
	f->out = z;
	buf_puts(&f->prefix, prefix);
	f->read = f->unchanged = 0;
	f->marker = f->after_marker = 0;
}

void
sfilter_init_bin(struct stagefilter *f, const struct rowset *set,
    const struct pgbin_entity *e, int nprefix, const char *prefix, size_t n)
{
	sfilter_init(f, set, "");
	f->bin = e;
	f->nprefix = nprefix;
	buf_put(&f->prefix, prefix, n);
}

void
sfilter_free(struct stagefilter *f)
{
	buf_free(&f->prefix);
	buf_free(&f->carry);
	buf_free(&f->out);
}

/* one complete line, without its newline */
static void
sfilter_line(struct stagefilter *f, const char *p, size_t n)
{
	const char *tab;

	if (f->bad)
		return;
	if (f->marker) {
		f->after_marker = 1;
		return;
	}
	if (n == 2 && p[0] == '\\' && p[1] == '.') {
		f->marker = 1;
		return;
	}
	f->read++;
	/* the values after recno; a line without a tab goes on to fail in COPY */
	tab = memchr(p, '\t', n);
	if (f->set != NULL && tab != NULL &&
	    rowset_has(f->set, rowhash(tab + 1, n - (size_t)(tab + 1 - p)))) {
		f->unchanged++;
		return;
	}
	if (f->bin != NULL) {
		char why[200];

		if (pgbin_row(&f->out, f->bin, f->nprefix, f->prefix.p, f->prefix.len,
		    p, n, why, sizeof why) != 0) {
			snprintf(f->err, sizeof f->err,
			    "input line %lld: %s: nothing staged", f->read, why);
			f->bad = 1;
		}
		return;
	}
	buf_reserve(&f->out, f->prefix.len + n + 1);
	memcpy(f->out.p + f->out.len, f->prefix.p, f->prefix.len);
	memcpy(f->out.p + f->out.len + f->prefix.len, p, n);
	f->out.len += f->prefix.len + n;
	f->out.p[f->out.len++] = '\n';
}

void
sfilter_feed(struct stagefilter *f, const char *in, size_t n)
{
	const char *end = in + n, *nl;

	if (f->carry.len > 0) {
		nl = memchr(in, '\n', n);
		if (nl == NULL) {
			buf_put(&f->carry, in, n);
			return;
		}
		buf_put(&f->carry, in, (size_t)(nl - in));
		sfilter_line(f, f->carry.p, f->carry.len);
		buf_reset(&f->carry);
		in = nl + 1;
	}
	while (in < end && (nl = memchr(in, '\n', (size_t)(end - in))) != NULL) {
		sfilter_line(f, in, (size_t)(nl - in));
		in = nl + 1;
	}
	if (in < end)
		buf_put(&f->carry, in, (size_t)(end - in));
}

int
sfilter_end(struct stagefilter *f)
{
	if (f->carry.len > 0) {
		sfilter_line(f, f->carry.p, f->carry.len);
		buf_reset(&f->carry);
	}
	return f->marker && !f->after_marker;
}

/* The statistics promote-core's plans need, per entity (stage_entities order). */
static const char *const analyze_sql[3] = {
	"ANALYZE staging.clients (load_id, client_id)",
	"ANALYZE staging.loans (load_id, client_id, loan_name)",
	"ANALYZE staging.payments (load_id, client_id, loan_name, payment_number)",
};

/* Read a COPY ... TO STDOUT of current versions into set; returns the rows. */
static long long
fetch_current(PGconn *c, const char *sql, struct rowset *set)
{
	PGresult *r = PQexec(c, sql);
	long long rows = 0;
	char *line;
	int n;

	if (PQresultStatus(r) != PGRES_COPY_OUT)
		db_die(c, r, "read the current core versions");
	PQclear(r);
	while ((n = PQgetCopyData(c, &line, 0)) > 0) {
		/* each row arrives whole, ending in a newline */
		size_t len = (size_t)n;

		if (len > 0 && line[len - 1] == '\n')
			len--;
		rowset_add(set, rowhash(line, len));
		rows++;
		PQfreemem(line);
	}
	if (n == -2)
		db_die(c, NULL, "read the current core versions");
	while ((r = PQgetResult(c)) != NULL) {
		if (PQresultStatus(r) != PGRES_COMMAND_OK)
			db_die(c, r, "read the current core versions");
		PQclear(r);
	}
	return rows;
}

/* Abort the COPY in progress (so nothing is kept) and die with code/msg. */
static _Noreturn void
abort_copy(PGconn *c, int code, const char *why, const char *msg)
{
	PGresult *res;

	if (PQputCopyEnd(c, why) != 1)
		db_die(c, NULL, "COPY");
	while ((res = PQgetResult(c)) != NULL)	/* the expected error */
		PQclear(res);
	die(code, "%s", msg);
}

/*
 * read(2) one chunk of the input for the COPY in progress: EINTR is retried;
 * a read error aborts the COPY (so nothing is kept) and dies.  0 at the end.
 */
static size_t
read_input(PGconn *c, int fd, char *in)
{
	ssize_t got;

	while ((got = read(fd, in, CHUNK)) < 0) {
		if (errno == EINTR)
			continue;
		PQputCopyEnd(c, "pg-stage: read error on input");
		die(EX_IOERR, "read error on standard input:");
	}
	return (size_t)got;
}

/* Stream json2tsv's lines from fd through the filter into the COPY begun. */
static void
stream_filtered(PGconn *c, int fd, struct stagefilter *f, struct progress *prog)
{
	char *in = emalloc(CHUNK);
	long long bytes = 0;
	size_t got;

	if (f->bin != NULL)
		pgbin_header(&f->out);
	while ((got = read_input(c, fd, in)) > 0) {
		sfilter_feed(f, in, got);
		if (f->bad)
			break;
		bytes += (long long)got;
		if (prog != NULL)	/* a look at the clock per chunk read */
			progress_show(prog, f->read, bytes);
		if (f->out.len >= CHUNK) {
			db_copy_put(c, "COPY", f->out.p, f->out.len);
			buf_reset(&f->out);
		}
	}
	free(in);
	if (prog != NULL)
		progress_done(prog);
	if (!f->bad)
		sfilter_end(f);
	if (f->bad)	/* json2tsv validated every value: a bug or a foreign input */
		abort_copy(c, EX_DATAERR, "input line does not parse",
		    f->err);
	if (f->bin != NULL && f->marker && !f->after_marker)
		pgbin_trailer(&f->out);
	if (f->out.len > 0) {
		db_copy_put(c, "COPY", f->out.p, f->out.len);
		buf_reset(&f->out);
	}
	if (!f->marker)	/* json2tsv died (or was killed) before it finished */
		abort_copy(c, EX_DATAERR, "input ended without end marker",
		    "input ended without the end marker \\. "
		    "(the producer failed or was killed): nothing staged");
	if (f->after_marker)
		abort_copy(c, EX_DATAERR, "data after the end marker",
		    "data after the end marker \\.: nothing staged");
}

/* Stream fd into the COPY already begun; returns 1 if the marker was seen. */
static int
stream(PGconn *c, int fd, int need_marker)
{
	char *in = emalloc(CHUNK), *out = emalloc(CHUNK + 4);
	struct copytail t = {{0}, 0, 0, 0};
	size_t rest, n, got;
	int marker;

	while ((got = read_input(c, fd, in)) > 0) {
		n = copytail_feed(&t, in, got, out);
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
	long long now_us;
	const char *what = o->rejects ? "rejects" : "data";
	PGconn *c;
	PGresult *r;
	long long copied, kept;

	res->core_rows = 0;
	res->filter_bytes = 0;
	if (stage_entity(o->entity) < 0)
		die(EX_USAGE, "unknown entity '%s' (clients, loans or payments)", o->entity);
	now_us = stage_now(now);
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
			db_fail(c, NULL, EX_DATAERR, "no load is running: start one with "
			    "promote-core --begin, or pass --load");
	}
	snprintf(idbuf, sizeof idbuf, "%lld", res->load_id);
	{
		const char *p[3] = {idbuf, o->entity, what};

		r = db_execp(c, "check the load", sql_text("staging/load_check.sql"),
		    3, p, PGRES_TUPLES_OK);
		if (PQntuples(r) != 1)
			db_fail(c, r, EX_DATAERR, "load %s does not exist", idbuf);
		if (strcmp(PQgetvalue(r, 0, 0), "running") != 0)
			db_fail(c, r, EX_DATAERR, "load %s is %s, not running: start a new load",
			    idbuf, PQgetvalue(r, 0, 0));
		if (strcmp(PQgetvalue(r, 0, 1), "t") != 0)
			db_fail(c, r, EX_TEMPFAIL, "another load committed after load %s began: "
			    "run the load again", idbuf);
		if (strcmp(PQgetvalue(r, 0, 2), "t") == 0)
			db_fail(c, r, EX_DATAERR, "load %s already has its %s %s staged",
			    idbuf, o->entity, what);
		PQclear(r);
	}
	if (o->rejects) {
		/* few rows, all kept: a landing table and one INSERT ... SELECT */
		db_run(c, "create the landing table", sql_text("staging/land_rejects.sql"));
		db_copy_begin(c, "COPY", "COPY pg_temp.land FROM STDIN");
		stream(c, o->fd, 0);
		copied = db_copy_end(c, "COPY", NULL);
		{
			const char *p[4] = {idbuf, o->source, now, o->entity};

			r = db_execp(c, "keep the rejects", sql_text("staging/keep_rejects.sql"),
			    4, p, PGRES_COMMAND_OK);
			kept = strtoll(PQcmdTuples(r), NULL, 10);
			PQclear(r);
		}
	} else {
		struct rowset set;
		struct stagefilter f;
		struct buf prefix = BUF_INIT;

		/*
		 * The current versions, written the way json2tsv writes values:
		 * ISO dates, UTF-8 text (json2tsv's output is UTF-8 in any case).
		 */
		db_run(c, "set", "SET LOCAL DateStyle = 'ISO, YMD'");
		db_run(c, "set", "SET LOCAL client_encoding = 'UTF8'");
		rowhash_seed(rowhash_random_seed());
		rowset_init(&set);
		snprintf(name, sizeof name, "staging/current_%s.sql", o->entity);
		res->core_rows = fetch_current(c, sql_text(name), &set);
		res->filter_bytes = rowset_bytes(&set);
		/*
		 * Binary COPY: the server converts no text (the load time as
		 * timestamptz text alone cost 0.6 s per 1.5 M rows).  The three
		 * tags are encoded once and copied before each line's fields.
		 */
		pgbin_int8(&prefix, res->load_id);
		pgbin_text(&prefix, o->source, strlen(o->source));
		pgbin_timestamptz(&prefix, now_us);
		sfilter_init_bin(&f, &set, pgbin_entity(o->entity), 3, prefix.p, prefix.len);
		buf_free(&prefix);
#ifdef F_SETPIPE_SZ
		/* a 1 MiB pipe lets json2tsv run ahead; not a pipe or not allowed: fine */
		(void)fcntl(o->fd, F_SETPIPE_SZ, (int)CHUNK);
#endif
		snprintf(name, sizeof name, "staging/copy_%s.sql", o->entity);
		db_copy_begin(c, "COPY", sql_text(name));
		stream_filtered(c, o->fd, &f, o->progress);
		kept = db_copy_end(c, "COPY", NULL);
		if (kept != f.read - f.unchanged)
			die(EX_SOFTWARE, "COPY stored %lld rows, expected %lld", kept,
			    f.read - f.unchanged);
		copied = f.read;
		sfilter_free(&f);
		/*
		 * Statistics for promote-core, which reads these rows next:
		 * without them it planned for 5 k staged rows instead of 743 k.
		 * Only the columns its plans depend on (the load filter, the
		 * keys it partitions and joins by): half the time of a full
		 * ANALYZE, which also sorts every text column's sample.  And
		 * only when the rows kept would move the estimates (PostgreSQL's
		 * 10 % rule): a small later part plans well on the old ones.
		 * A sample of 3 000 rows, not 30 000: promotion selects the load
		 * by a setting (no constant for the MCV list to match), so its
		 * plans rest on the row count and the keys' distinct counts,
		 * which the small sample gives as well; a third of the time.
		 */
		snprintf(name, sizeof name, "staging.%s", o->entity);
		if (kept > 0 && db_stats_stale(c, name, kept)) {
			db_run(c, "set", "SET LOCAL default_statistics_target = 10");
			db_run(c, "analyze", analyze_sql[stage_entity(o->entity)]);
		}
		rowset_free(&set);
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
