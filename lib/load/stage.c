/*
 * stage.c - pg-stage's work: read json2tsv's lines a chunk at a time, look
 * up the current core versions of each chunk's keys (stagechunk.h) into an
 * in-memory hash set, COPY only the lines that are not in it straight into
 * staging, record the counts -- all in one transaction, so a broken input
 * or a kill leaves staging untouched.  (json2tsv's rejects go through a
 * temporary landing table as before: they are few.)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "db/db.h"
#include "db/pgbin.h"
#include "progress.h"
#include "db/rowset.h"
#include "load/stagechunk.h"
#include "db/sql.h"
#include "load/stage.h"
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
 * read(2) up to n bytes of the input: EINTR is retried; a read error aborts
 * the COPY in progress, if any (so nothing is kept), and dies.  0 at the end.
 */
static size_t
read_input(PGconn *c, int copying, int fd, char *in, size_t n)
{
	ssize_t got;

	while ((got = read(fd, in, n)) < 0) {
		if (errno == EINTR)
			continue;
		if (copying)
			PQputCopyEnd(c, "pg-stage: read error on input");
		die(EX_IOERR, "read error on standard input:");
	}
	return (size_t)got;
}

/*
 * The data path of one run: json2tsv's lines from fd, a chunk at a time
 * (stagechunk.h): the chunk's keys looked up in core, the chunk filtered,
 * the lines kept sent to staging by a binary COPY of their own.
 */
struct stager {
	PGconn *c;
	int entity, nkeys;
	enum stage_how force;		/* STAGE_AUTO, or a strategy for tests */
	struct stage_core core;
	struct stagefilter f;
	struct rowset set;
	struct buf sql;			/* a range query, made per chunk */
	struct buf keys;		/* a probe's keys, binary COPY */
	const char *copy_sql;		/* staging/copy_ENTITY.sql */
	int copying;			/* a COPY into staging is open */
	int probing;			/* the keys table exists */
	long long kept;			/* rows the COPYs stored */
	struct stage_result *res;
};

/* What pg-stage needs to know about core before the first chunk. */
static void
read_core(struct stager *s)
{
	static const char *const tables[3] = {
		"core.client_version", "core.loan_version", "core.payment_version",
	};
	const char *p[1] = {tables[s->entity]};
	PGresult *r = db_execp(s->c, "read core's client range",
	    sql_text("staging/core_span.sql"), 1, p, PGRES_TUPLES_OK);

	s->core.empty = PQgetisnull(r, 0, 0) || PQgetisnull(r, 0, 1);
	s->core.min = s->core.empty ? 0 : strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	s->core.max = s->core.empty ? 0 : strtoll(PQgetvalue(r, 0, 1), NULL, 10);
	s->core.rows = PQgetisnull(r, 0, 2) ? 0 : strtod(PQgetvalue(r, 0, 2), NULL);
	PQclear(r);
	/*
	 * A core with clients but a version table the statistics call empty:
	 * on Citus the table is a shell on the coordinator (reltuples 0) and
	 * its rows are in the shards; count them there.  On one node this is
	 * a table never analysed since it was emptied: nothing more to ask.
	 */
	if (!s->core.empty && s->core.rows <= 0) {
		r = db_exec(s->c, "look for Citus",
		    "SELECT to_regclass('pg_catalog.pg_dist_partition') IS NOT NULL",
		    PGRES_TUPLES_OK);
		int citus = strcmp(PQgetvalue(r, 0, 0), "t") == 0;

		PQclear(r);
		if (citus) {
			r = db_execp(s->c, "count core's rows in the shards",
			    sql_text("staging/core_rows_shards.sql"), 1, p, PGRES_TUPLES_OK);
			if (PQntuples(r) == 1 && !PQgetisnull(r, 0, 0))
				s->core.rows = strtod(PQgetvalue(r, 0, 0), NULL);
			PQclear(r);
		}
	}
}

/* The range query for [lo, hi], at most limit rows (< 0: all). */
static const char *
range_sql(struct stager *s, int64_t lo, int64_t hi, long long limit)
{
	char name[64];
	const char *t, *at;

	snprintf(name, sizeof name, "staging/current_range_%s.sql",
	    stage_entities[s->entity]);
	t = sql_text(name);
	buf_reset(&s->sql);
	/* numbers pg-stage computed, as bigint literals: the planner sees them */
	while ((at = strchr(t, '@')) != NULL) {
		buf_put(&s->sql, t, (size_t)(at - t));
		if (strncmp(at, "@LO@", 4) == 0)
			buf_printf(&s->sql, "'%lld'::bigint", (long long)lo);
		else if (strncmp(at, "@HI@", 4) == 0)
			buf_printf(&s->sql, "'%lld'::bigint", (long long)hi);
		else if (strncmp(at, "@LIMIT@", 7) == 0) {
			if (limit < 0)
				buf_puts(&s->sql, "ALL");
			else
				buf_printf(&s->sql, "%lld", limit);
			at += 3;
		} else
			die(EX_SOFTWARE, "internal error: stray '@' in %s", name);
		t = at + 4;
	}
	buf_puts(&s->sql, t);
	return buf_cstr(&s->sql);
}

/*
 * Call fn for each line of p[0..n) (the last may lack its newline) that the
 * filter will count as read: not the end marker, nothing after it.  Returns
 * how many.
 */
static long long
chunk_lines(struct stager *s, const char *p, size_t n,
    void (*fn)(struct stager *, const char *, size_t, void *), void *arg)
{
	const char *end = p + n, *nl;
	int marker = s->f.marker;
	long long lines = 0;

	for (; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		if (marker)
			break;
		if (nl - p == 2 && p[0] == '\\' && p[1] == '.') {
			marker = 1;
			continue;
		}
		lines++;
		fn(s, p, (size_t)(nl - p), arg);
	}
	return lines;
}

/* the chunk's client_id span */
struct span {
	long long nkeys;
	int64_t lo, hi;
};

static void
span_line(struct stager *s, const char *line, size_t n, void *arg)
{
	struct span *sp = arg;
	struct stagekey k;

	if (stage_key(line, n, s->nkeys, &k) != 0)
		return;
	if (sp->nkeys++ == 0 || k.client_id < sp->lo)
		sp->lo = k.client_id;
	if (sp->nkeys == 1 || k.client_id > sp->hi)
		sp->hi = k.client_id;
}

static void
key_line(struct stager *s, const char *line, size_t n, void *arg)
{
	struct stagekey k;

	(void)arg;
	/* a key that cannot be a core key (or not be sent) cannot match one either */
	if (stage_key(line, n, s->nkeys, &k) != 0 ||
	    stagekey_tuple(&s->keys, &k, s->nkeys) != 0)
		return;
	if (s->keys.len >= STAGE_READ) {
		db_copy_put(s->c, "COPY keys", s->keys.p, s->keys.len);
		buf_reset(&s->keys);
	}
}

/* Probe core for the keys of the chunk p[0..n); returns the rows found. */
static long long
probe(struct stager *s, const char *p, size_t n)
{
	char name[64];

	if (!s->probing) {
		snprintf(name, sizeof name, "staging/probe_keys_%s.sql",
		    stage_entities[s->entity]);
		db_run(s->c, "create the keys table", sql_text(name));
		/*
		 * One index probe per key, whatever the planner guesses.  The
		 * keys table has no statistics (an ANALYZE per chunk would cost
		 * more than it saves); with 131 072 keys it chose probes on cores
		 * of 2.8 M and 29.5 M payments, but a merge join over all of
		 * core's index on one of 162 k -- cheap there, yet O(core).  With
		 * hash and merge joins off the cost stays with the chunk.
		 * Nothing else this transaction runs joins tables.  (On Citus
		 * the keys go to every shard as an intermediate result and the
		 * shards probe their index: these settings are passed on.)
		 */
		db_run(s->c, "set", "SET LOCAL enable_hashjoin = off");
		db_run(s->c, "set", "SET LOCAL enable_mergejoin = off");
		s->probing = 1;
	} else
		db_run(s->c, "empty the keys table", "TRUNCATE pg_temp.stage_keys");
	db_copy_begin(s->c, "COPY keys", sql_text("staging/copy_keys.sql"));
	buf_reset(&s->keys);
	pgbin_header(&s->keys);
	chunk_lines(s, p, n, key_line, NULL);
	pgbin_trailer(&s->keys);
	db_copy_put(s->c, "COPY keys", s->keys.p, s->keys.len);
	buf_reset(&s->keys);
	db_copy_end(s->c, "COPY keys", NULL);
	snprintf(name, sizeof name, "staging/current_probe_%s.sql",
	    stage_entities[s->entity]);
	return fetch_current(s->c, sql_text(name), &s->set);
}

/* Fill the set with the current core versions of the chunk's keys. */
static void
look_up(struct stager *s, const char *p, size_t n)
{
	struct span sp = {0, 0, 0};
	long long lines = chunk_lines(s, p, n, span_line, &sp), rows = 0, limit;
	int64_t lo = 0, hi = 0;
	enum stage_how how = stage_choose(&s->core, s->force, sp.nkeys, sp.lo, sp.hi,
	    lines, &lo, &hi);

	if (s->set.n > 0)
		rowset_clear(&s->set);
	if (lines == 0)		/* the end marker alone, or nothing */
		return;
	s->res->chunks++;
	if (how == STAGE_RANGE) {
		/* forced (tests): no cap; else a range fuller than the cap is probed */
		limit = s->force == STAGE_RANGE ? -1 : STAGE_RANGE_CAP * lines;
		rows = fetch_current(s->c, range_sql(s, lo, hi, limit), &s->set);
		if (limit >= 0 && rows >= limit) {
			s->res->ranges_full++;
			rowset_clear(&s->set);
			how = STAGE_PROBE;
		}
	}
	if (how == STAGE_RANGE)
		s->res->ranges++;
	if (how == STAGE_PROBE) {
		rows = probe(s, p, n);
		s->res->probes++;
	}
	s->res->core_rows += rows;
}

/* Send the filter's output to staging, opening the chunk's COPY first. */
static void
send_rows(struct stager *s)
{
	if (!s->copying) {
		struct buf h = BUF_INIT;

		db_copy_begin(s->c, "COPY", s->copy_sql);
		s->copying = 1;
		pgbin_header(&h);
		db_copy_put(s->c, "COPY", h.p, h.len);
		buf_free(&h);
	}
	db_copy_put(s->c, "COPY", s->f.out.p, s->f.out.len);
	buf_reset(&s->f.out);
}

/* Stop: abort the COPY in progress, if any; nothing is staged. */
static _Noreturn void
fail(struct stager *s, const char *why, const char *msg)
{
	if (s->copying)
		abort_copy(s->c, EX_DATAERR, why, msg);
	db_fail(s->c, NULL, EX_DATAERR, "%s", msg);
}

/*
 * One chunk p[0..n): whole lines, except that the last chunk (`last`) may
 * end with a line without newline.  Its keys looked up, its lines filtered,
 * the kept ones copied into staging.
 */
static void
stage_chunk(struct stager *s, const char *p, size_t n, int last)
{
	struct stagefilter *f = &s->f;

	look_up(s, p, n);
	/* 1 MiB at a time through the filter: its output stays that small */
	for (size_t off = 0; off < n; off += STAGE_READ) {
		sfilter_feed(f, p + off, n - off < STAGE_READ ? n - off : STAGE_READ);
		if (f->bad)	/* json2tsv validated every value: a bug or a foreign input */
			fail(s, "input line does not parse", f->err);
		if (f->out.len >= STAGE_READ)
			send_rows(s);
	}
	if (last) {
		sfilter_end(f);
		if (f->bad)
			fail(s, "input line does not parse", f->err);
		if (!f->marker)	/* json2tsv died (or was killed) before it finished */
			fail(s, "input ended without end marker",
			    "input ended without the end marker \\. "
			    "(the producer failed or was killed): nothing staged");
		if (f->after_marker)
			fail(s, "data after the end marker",
			    "data after the end marker \\.: nothing staged");
	}
	if (f->out.len > 0)
		send_rows(s);
	if (s->copying) {
		pgbin_trailer(&f->out);
		send_rows(s);
		s->kept += db_copy_end(s->c, "COPY", NULL);
		s->copying = 0;
	}
}

/* Stage json2tsv's lines from o->fd; returns the rows stored. */
static long long
stage_lines(PGconn *c, const struct stage_opts *o, const char *prefix, size_t plen,
    struct stage_result *res)
{
	struct stager s;
	struct linechunk k;
	struct buf z = BUF_INIT;
	char name[64], *in;
	long long bytes = 0;
	size_t room, got;

	s.c = c;
	s.entity = stage_entity(o->entity);
	s.nkeys = stage_nkeys(s.entity);
	s.force = o->how;
	s.sql = s.keys = z;
	snprintf(name, sizeof name, "staging/copy_%s.sql", o->entity);
	s.copy_sql = sql_text(name);
	s.copying = s.probing = 0;
	s.kept = 0;
	s.res = res;
	read_core(&s);
	rowhash_seed(rowhash_random_seed());
	rowset_init(&s.set);
	sfilter_init_bin(&s.f, &s.set, pgbin_entity(o->entity), 3, prefix, plen);
	linechunk_init(&k, o->chunk_lines > 0 ? o->chunk_lines : STAGE_CHUNK_LINES,
	    STAGE_CHUNK_BYTES);
	for (;;) {
		while (linechunk_ready(&k)) {
			stage_chunk(&s, k.p, k.end, 0);
			linechunk_next(&k);
		}
		in = linechunk_space(&k, &room);
		if ((got = read_input(c, s.copying, o->fd, in, room)) == 0)
			break;
		linechunk_added(&k, got);
		bytes += (long long)got;
		if (o->progress != NULL)	/* a look at the clock per read */
			progress_show(o->progress, s.f.read + k.lines, bytes);
	}
	if (o->progress != NULL)
		progress_done(o->progress);
	/* the rest: fewer lines than a chunk, the last perhaps without newline */
	stage_chunk(&s, k.p, k.len, 1);
	if (s.kept != s.f.read - s.f.unchanged)
		die(EX_SOFTWARE, "COPY stored %lld rows, expected %lld", s.kept,
		    s.f.read - s.f.unchanged);
	res->read = s.f.read;
	linechunk_free(&k);
	sfilter_free(&s.f);
	rowset_free(&s.set);
	buf_free(&s.sql);
	buf_free(&s.keys);
	return s.kept;
}

/* Stream fd into the COPY already begun; returns 1 if the marker was seen. */
static int
stream(PGconn *c, int fd, int need_marker)
{
	char *in = emalloc(CHUNK), *out = emalloc(CHUNK + 4);
	struct copytail t = {{0}, 0, 0, 0};
	size_t rest, n, got;
	int marker;

	while ((got = read_input(c, 1, fd, in, CHUNK)) > 0) {
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

	res->core_rows = res->chunks = res->ranges = res->probes = res->ranges_full = 0;
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
	/*
	 * On Citus the SET LOCALs below reach the workers, where the look-ups
	 * and the COPY run, only with this (each its own query string: Citus
	 * replays the statement); a placeholder setting elsewhere.
	 */
	db_run(c, "set", "SET LOCAL citus.propagate_set_commands = 'local'");
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
		struct buf prefix = BUF_INIT;

		/*
		 * The current versions, written the way json2tsv writes values:
		 * ISO dates, UTF-8 text (json2tsv's output is UTF-8 in any case).
		 */
		db_run(c, "set", "SET LOCAL DateStyle = 'ISO, YMD'");
		db_run(c, "set", "SET LOCAL client_encoding = 'UTF8'");
		/*
		 * The look-ups are short index scans, many per run: JIT compiled
		 * each probe of 131 072 keys in the 29.5 M-row core for 0.13 s,
		 * a sixth of its time, and saved nothing.
		 */
		db_run(c, "set", "SET LOCAL jit = off");
		/*
		 * Binary COPY: the server converts no text (the load time as
		 * timestamptz text alone cost 0.6 s per 1.5 M rows).  The three
		 * tags are encoded once and copied before each line's fields.
		 */
		pgbin_int8(&prefix, res->load_id);
		pgbin_text(&prefix, o->source, strlen(o->source));
		pgbin_timestamptz(&prefix, now_us);
#ifdef F_SETPIPE_SZ
		/* a 1 MiB pipe lets json2tsv run ahead; not a pipe or not allowed: fine */
		(void)fcntl(o->fd, F_SETPIPE_SZ, (int)CHUNK);
#endif
		kept = stage_lines(c, o, prefix.p, prefix.len, res);
		copied = res->read;
		buf_free(&prefix);
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
