/*
 * promote.c - the load's life cycle around pg-stage: begin, promote, fail.
 * Every transaction that writes core or the audit takes the writer lock
 * (sql/common/writer_lock.sql) first.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "db/db.h"
#include "progress.h"
#include "load/promote.h"
#include "db/sql.h"
#include "load/stage.h"
#include "util.h"

int
load_file_parse(char *arg, struct load_file *f, char *err, size_t errsz)
{
	char *p[3], *s = arg;
	int64_t bytes;

	for (int i = 0; i < 3; i++) {
		p[i] = s;
		s = strchr(s, ':');
		if (s == NULL) {
			snprintf(err, errsz, "expected ENTITY:SHA256:BYTES:NAME");
			return -1;
		}
		*s++ = '\0';
	}
	if (stage_entity(p[0]) < 0) {
		snprintf(err, errsz, "unknown entity '%s'", p[0]);
		return -1;
	}
	if (strlen(p[1]) != 64 || strspn(p[1], "0123456789abcdef") != 64) {
		snprintf(err, errsz, "not a SHA-256 in lower-case hex: '%s'", p[1]);
		return -1;
	}
	if (parse_int64(p[2], 0, INT64_MAX, &bytes) != 0) {
		snprintf(err, errsz, "bad byte count '%s'", p[2]);
		return -1;
	}
	if (*s == '\0') {
		snprintf(err, errsz, "empty file name");
		return -1;
	}
	snprintf(f->entity, sizeof f->entity, "%s", p[0]);
	memcpy(f->sha256, p[1], 65);
	f->bytes = bytes;
	f->name = s;
	return 0;
}

int
load_step_parse(char *arg, struct load_step *s, char *err, size_t errsz)
{
	char *eq = strrchr(arg, '='), *colon;
	int64_t v;

	if (eq == NULL || eq == arg) {
		snprintf(err, errsz, "expected NAME=MS or NAME=MS:ROWS");
		return -1;
	}
	*eq++ = '\0';
	s->rows = -1;
	colon = strchr(eq, ':');
	if (colon != NULL) {
		*colon++ = '\0';
		if (parse_int64(colon, 0, INT64_MAX, &v) != 0) {
			snprintf(err, errsz, "bad row count '%s'", colon);
			return -1;
		}
		s->rows = v;
	}
	/* an integer column: at most 24 days in milliseconds */
	if (parse_int64(eq, 0, 2147483647, &v) != 0) {
		snprintf(err, errsz, "bad milliseconds '%s'", eq);
		return -1;
	}
	s->ms = v;
	s->name = arg;
	return 0;
}

static void
lock(PGconn *c)
{
	db_run(c, "begin", "BEGIN");
	db_run(c, "take the writer lock", sql_text("common/writer_lock.sql"));
}

/*
 * For the audit's own transactions (begin, fail, steps after the commit):
 * no wait for the WAL flush.  Lost in a crash, they leave a consistent
 * state -- a load that never began, a dead load the next begin marks
 * failed, a step time missing -- and the promotion's commit, which waits,
 * flushes them with it.  A millisecond or more per load on a slow disk.
 */
static void
lock_audit(PGconn *c)
{
	lock(c);
	db_run(c, "set", "SET LOCAL synchronous_commit = off");
}

/* '{id,id,...}' of a result's first column, for discard_loads.sql */
static void
discard(PGconn *c, PGresult *ids)
{
	size_t cap = 3 + (size_t)PQntuples(ids) * 21;
	char *arr = emalloc(cap), *p = arr;
	const char *param[1];

	if (PQntuples(ids) == 0) {
		free(arr);
		return;
	}
	*p++ = '{';
	for (int i = 0; i < PQntuples(ids); i++)
		p += snprintf(p, cap - (size_t)(p - arr), "%s%s", i ? "," : "",
		    PQgetvalue(ids, i, 0));
	snprintf(p, cap - (size_t)(p - arr), "}");
	param[0] = arr;
	db_runp(c, "discard staged rows", sql_text("staging/discard_loads.sql"), 1, param);
	free(arr);
}

static long long
insert_load(PGconn *c, const struct begin_opts *o, const char *status,
    const char *start, const char *end, const char *msg)
{
	char part[16];
	const char *p[7];
	PGresult *r;
	long long id;

	snprintf(part, sizeof part, "%d", o->part);
	p[0] = o->source;
	p[1] = o->part > 0 ? part : NULL;
	p[2] = status;
	p[3] = o->force ? "true" : "false";
	p[4] = start;
	p[5] = end;
	p[6] = msg;
	r = db_execp(c, "record the load", sql_text("core/load_insert.sql"), 7, p,
	    PGRES_TUPLES_OK);
	id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	for (int i = 0; i < o->nfiles; i++) {
		char idb[24], bytes[24];
		const char *fp[5];

		snprintf(idb, sizeof idb, "%lld", id);
		snprintf(bytes, sizeof bytes, "%lld", o->files[i].bytes);
		fp[0] = idb;
		fp[1] = o->files[i].entity;
		fp[2] = o->files[i].name;
		fp[3] = o->files[i].sha256;
		fp[4] = bytes;
		db_runp(c, "record the load's files", sql_text("core/load_file_insert.sql"), 5, fp);
	}
	return id;
}

long long
promote_begin(const struct begin_opts *o, int *noop)
{
	char now[40], files[3 * 90 + 3], msg[256];
	const char *p[2];
	PGconn *c;
	PGresult *r;
	long long id;
	int i, j;

	*noop = 0;
	stage_now(now);
	/* the checksums as a sorted text[] literal (entities and hex only) */
	{
		const struct load_file *sorted[3];
		size_t n = 0;

		for (i = 0; i < o->nfiles; i++)
			sorted[i] = &o->files[i];
		for (i = 1; i < o->nfiles; i++)
			for (j = i; j > 0 && strcmp(sorted[j - 1]->entity, sorted[j]->entity) > 0; j--) {
				const struct load_file *t = sorted[j];
				sorted[j] = sorted[j - 1];
				sorted[j - 1] = t;
			}
		n += (size_t)snprintf(files + n, sizeof files - n, "{");
		for (i = 0; i < o->nfiles; i++)
			n += (size_t)snprintf(files + n, sizeof files - n, "%s%s:%s",
			    i ? "," : "", sorted[i]->entity, sorted[i]->sha256);
		snprintf(files + n, sizeof files - n, "}");
	}
	c = db_connect(o->conninfo);
	lock_audit(c);
	{
		/*
		 * A load that holds the load lock is alive, wherever it runs:
		 * it must not be marked dead below.  Our own load-part's hold
		 * (o->holder) is not another load.
		 */
		char holder[24];

		snprintf(holder, sizeof holder, "%lld", o->holder);
		p[0] = holder;
		r = db_execp(c, "look for a load running elsewhere",
		    sql_text("common/load_lock_others.sql"), 1, p, PGRES_TUPLES_OK);
		int others = strcmp(PQgetvalue(r, 0, 0), "0") != 0;

		if (others)
			db_fail(c, r, EX_TEMPFAIL, "another load into database %s is running "
			    "(it holds the load lock on core.load): not begun; try again when "
			    "it has finished", PQdb(c));
		PQclear(r);
	}
	if (!o->force && o->nfiles > 0) {
		p[0] = files;
		r = db_execp(c, "look for the same files", sql_text("core/load_same_files.sql"),
		    1, p, PGRES_TUPLES_OK);
		if (PQntuples(r) == 1) {
			snprintf(msg, sizeof msg, "same files (checksums) as load %s%s%s, "
			    "committed %s: nothing to do",
			    PQgetvalue(r, 0, 0), *PQgetvalue(r, 0, 1) ? ", part " : "",
			    PQgetvalue(r, 0, 1), PQgetvalue(r, 0, 3));
			PQclear(r);
			id = insert_load(c, o, "noop", now, now, msg);
			db_run(c, "commit", "COMMIT");
			PQfinish(c);
			warnf("%s: %s", o->source, msg);
			*noop = 1;
			return id;
		}
		PQclear(r);
	}
	if (!o->force && o->part > 1) {
		char part[16];

		snprintf(part, sizeof part, "%d", o->part);
		p[0] = part;
		r = db_execp(c, "check the part order", sql_text("core/load_prev_part.sql"),
		    1, p, PGRES_TUPLES_OK);
		int in_order = strcmp(PQgetvalue(r, 0, 0), "t") == 0;

		PQclear(r);
		if (!in_order)
			db_fail(c, NULL, EX_DATAERR, "part %d refused: part %d has not been loaded "
			    "(load the parts in order, or force it)", o->part, o->part - 1);
	}
	p[0] = now;
	p[1] = "abandoned: never committed (killed or disconnected); "
	    "its staged rows were discarded when the next load began";
	r = db_execp(c, "abandon dead loads", sql_text("core/load_abandon.sql"), 2, p,
	    PGRES_TUPLES_OK);
	for (i = 0; i < PQntuples(r); i++)
		warnf("load %s never finished: marked failed, its staged rows discarded",
		    PQgetvalue(r, i, 0));
	discard(c, r);
	PQclear(r);
	id = insert_load(c, o, "running", now, NULL, NULL);
	db_run(c, "commit", "COMMIT");
	PQfinish(c);
	return id;
}

static double
seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * Run sql (one or more statements) and die on the first error, like
 * db_run(); while it runs, a progress line says what is being done and for
 * how long (on a terminal, once it has run PROGRESS_AFTER seconds), and is
 * blanked when it is done.  pr->what names the program and load.
 */
static void
run_watched(PGconn *c, struct progress *pr, const char *doing, const char *sql)
{
	struct pollfd pfd;
	PGresult *r;

	/* OVERDUE_EXPLAIN (overdue(7)): each statement explained, then run, by db.c */
	if (db_explaining()) {
		db_run(c, doing, sql);
		return;
	}
	progress_init(pr, pr->what, pr->out, pr->on, -1, NULL);
	if (!PQsendQuery(c, sql))
		db_die(c, NULL, doing);
	pfd.fd = PQsocket(c);
	pfd.events = POLLIN;
	for (;;) {
		while (!PQisBusy(c)) {
			if ((r = PQgetResult(c)) == NULL) {
				progress_done(pr);
				return;
			}
			if (PQresultStatus(r) != PGRES_COMMAND_OK &&
			    PQresultStatus(r) != PGRES_TUPLES_OK)
				db_die(c, r, doing);
			PQclear(r);
		}
		progress_elapsed(pr, doing);
		if (poll(&pfd, 1, 250) < 0 && errno != EINTR)
			die(EX_OSERR, "poll:");
		if (!PQconsumeInput(c))
			db_die(c, NULL, doing);
	}
}

/* record steps[0..n) of load idb (sql/core/load_step.sql) */
static void
record_steps(PGconn *c, const char *idb, const struct load_step *steps, int n)
{
	for (int i = 0; i < n; i++) {
		char ms[24], rows[24];
		const char *p[4] = {idb, steps[i].name, ms, rows};

		snprintf(ms, sizeof ms, "%lld", steps[i].ms);
		snprintf(rows, sizeof rows, "%lld", steps[i].rows);
		if (steps[i].rows < 0)
			p[3] = NULL;
		db_runp(c, "record the load's steps", sql_text("core/load_step.sql"), 4, p);
	}
}

static long long
msecs(double from)
{
	return (long long)((seconds() - from) * 1000 + 0.5);
}

/*
 * Fresh statistics for the tables entity i (stage_entities order) just
 * added `added` versions to, when PostgreSQL's own rule says they are stale:
 * right away, so the next entity's statements in this transaction are
 * planned with them (payments are checked against the loans this load
 * brought: a core.loan_version planned as empty made the first part's
 * payments a nested loop over every loan, 2 s instead of 0.1), and for the
 * next load (autovacuum analyses minutes later; a core table last analysed
 * empty once made a promotion plan for 2 573 rows instead of 750 k: merge
 * joins, 6.3 s instead of about 1).
 */
static void
analyze(PGconn *c, struct progress *pr, int i, long long added)
{
	/* the tables each entity's versions land in */
	static const char *const tables[3][2] = {
		{"core.client", "core.client_version"},
		{"core.loan", "core.loan_version"},
		{"core.payment_version", NULL},
	};
	struct buf sql = BUF_INIT;

	for (int k = 0; k < 2 && tables[i][k] != NULL; k++)
		if (added > 0 && db_stats_stale(c, tables[i][k], added))
			buf_printf(&sql, "%s%s", sql.len ? ", " : "ANALYZE ", tables[i][k]);
	/*
	 * A sample of 3 000 rows, not 30 000 (a quarter of the time): what goes
	 * stale after a load is the row count and the keys' distinct counts,
	 * which the small sample gives as well; the mart's client-range reads
	 * got the same plans and estimates within 1 %.  Autovacuum analyses
	 * again later at the default.
	 */
	if (sql.len > 0) {
		db_run(c, "set", "SET LOCAL default_statistics_target = 10");
		run_watched(c, pr, "analyze core", buf_cstr(&sql));
	}
	buf_free(&sql);
}

long long
promote_run(const char *conninfo, long long load_id, const struct load_step *steps,
    int nsteps, struct promote_count counts[3])
{
	static const char *const files[3] = {
		"core/promote_clients.sql", "core/promote_loans.sql",
		"core/promote_payments.sql",
	};
	static const char *const doing[3] = {
		"promoting clients", "promoting loans", "promoting payments",
	};
	/* the step names of core.load_step, and its own ones after them */
	static const char *const names[3] = {
		"promote clients", "promote loans", "promote payments",
	};
	struct load_step all[LOAD_STEPS_MAX + 5];
	int nall = 0;
	char idb[24], now[40], ms[24], what[64];
	const char *p[3];
	double t0 = seconds(), t;
	struct progress pr;
	PGconn *c;
	PGresult *r;

	c = db_connect(conninfo);
	lock(c);
	if (load_id == 0) {
		r = db_exec(c, "find the running load", sql_text("staging/running_load.sql"),
		    PGRES_TUPLES_OK);
		if (!PQgetisnull(r, 0, 0))
			load_id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
		PQclear(r);
		if (load_id == 0)
			db_fail(c, NULL, EX_DATAERR, "no load is running: nothing to promote");
	}
	snprintf(idb, sizeof idb, "%lld", load_id);
	p[0] = idb;
	r = db_execp(c, "check the load", sql_text("core/promote_check.sql"), 1, p,
	    PGRES_TUPLES_OK);
	if (PQntuples(r) != 1)
		db_fail(c, r, EX_DATAERR, "load %s does not exist", idb);
	if (strcmp(PQgetvalue(r, 0, 0), "running") != 0)
		db_fail(c, r, EX_DATAERR, "load %s is %s, not running: nothing to promote",
		    idb, PQgetvalue(r, 0, 0));
	if (strcmp(PQgetvalue(r, 0, 1), "t") != 0)
		db_fail(c, r, EX_TEMPFAIL, "another load committed after load %s began: "
		    "run the load again", idb);
	if (strcmp(PQgetvalue(r, 0, 2), "3") != 0)
		db_fail(c, r, EX_DATAERR, "load %s has %s of 3 entities staged: "
		    "stage clients, loans and payments first", idb, PQgetvalue(r, 0, 2));
	PQclear(r);
	/*
	 * The window that finds duplicate keys sorts every staged row of the
	 * load (a first part of 750 k payments: about 110 MB); in the default
	 * 64 MB it spills to disk.  This transaction only, one at a time (the
	 * writer lock), so the memory is bounded.
	 */
	db_run(c, "set", "SET LOCAL work_mem = '256MB'");
	stage_now(now);
	p[1] = now;
	{
		/*
		 * SET LOCAL statements, each a query of its own, not set_config():
		 * on Citus they are replayed on every worker connection of this
		 * transaction (propagate_set_commands), where the promotion's
		 * statements run.  Both values are our own (a number, a
		 * timestamp); the citus setting is a placeholder elsewhere.
		 */
		char set[96];

		db_run(c, "set", "SET LOCAL citus.propagate_set_commands = 'local'");
		snprintf(set, sizeof set, "SET LOCAL overdue.load_id = '%s'", idb);
		db_run(c, "set the load", set);
		snprintf(set, sizeof set, "SET LOCAL overdue.load_time = '%s'", now);
		db_run(c, "set the load", set);
	}
	snprintf(what, sizeof what, "%s: load %s", progname, idb);
	progress_init(&pr, what, stderr, isatty(STDERR_FILENO), -1, NULL);
	/*
	 * Each promote_*.sql holds several statements, which only the simple
	 * query protocol runs; the load id and time reach them as these
	 * transaction-local settings.
	 */
	long long analyze_ms = 0;
	for (int i = 0; i < 3; i++) {
		t = seconds();
		run_watched(c, &pr, doing[i], sql_text(files[i]));
		r = db_execp(c, "record the counts", sql_text("core/promote_counts.sql"),
		    1, &stage_entities[i], PGRES_TUPLES_OK);
		/* columns: entity, read, new, changed, unchanged, rejected */
		counts[i].read = strtoll(PQgetvalue(r, 0, 1), NULL, 10);
		counts[i].new = strtoll(PQgetvalue(r, 0, 2), NULL, 10);
		counts[i].changed = strtoll(PQgetvalue(r, 0, 3), NULL, 10);
		counts[i].unchanged = strtoll(PQgetvalue(r, 0, 4), NULL, 10);
		counts[i].rejected = strtoll(PQgetvalue(r, 0, 5), NULL, 10);
		PQclear(r);
		/* new and changed keys each add a version row */
		all[nall++] = (struct load_step){names[i], msecs(t),
		    counts[i].new + counts[i].changed};
		t = seconds();
		analyze(c, &pr, i, counts[i].new + counts[i].changed);
		analyze_ms += msecs(t);
		fprintf(stderr, "%s: load %s: %s: %lld read, %lld new, %lld changed, "
		    "%lld unchanged, %lld rejected\n", progname, idb, stage_entities[i],
		    counts[i].read, counts[i].new, counts[i].changed,
		    counts[i].unchanged, counts[i].rejected);
	}
	all[nall++] = (struct load_step){"analyze", analyze_ms, -1};
	for (int i = 0; i < nsteps && nall < LOAD_STEPS_MAX + 4; i++)
		all[nall++] = steps[i];
	/* the whole promotion, up to here (the commit is not in it) */
	all[nall++] = (struct load_step){"promote", msecs(t0), -1};
	record_steps(c, idb, all, nall);
	stage_now(now);
	snprintf(ms, sizeof ms, "%lld", all[nall - 1].ms);
	p[1] = now;
	p[2] = ms;
	db_runp(c, "mark the load committed", sql_text("core/load_commit.sql"), 3, p);
	/* synchronous_commit stays on: this is the commit that must survive */
	db_run(c, "commit", "COMMIT");
	PQfinish(c);
	fprintf(stderr, "%s: load %s committed\n", progname, idb);
	return load_id;
}

void
promote_add_steps(const char *conninfo, long long load_id, const struct load_step *steps,
    int nsteps)
{
	char idb[24];
	const char *p[1] = {idb};
	PGconn *c = db_connect(conninfo);
	PGresult *r;

	snprintf(idb, sizeof idb, "%lld", load_id);
	lock_audit(c);
	r = db_execp(c, "find the load", sql_text("core/load_exists.sql"), 1, p,
	    PGRES_TUPLES_OK);
	if (PQntuples(r) != 1)
		db_fail(c, r, EX_DATAERR, "load %s does not exist", idb);
	PQclear(r);
	record_steps(c, idb, steps, nsteps);
	db_run(c, "commit", "COMMIT");
	PQfinish(c);
}

int
promote_fail(const char *conninfo, long long load_id, const char *reason)
{
	char idb[24], now[40];
	const char *p[3];
	PGconn *c = db_connect(conninfo);
	PGresult *r;
	int was;

	stage_now(now);
	snprintf(idb, sizeof idb, "%lld", load_id);
	p[0] = idb;
	p[1] = now;
	p[2] = reason;
	lock_audit(c);
	r = db_execp(c, "mark the load failed", sql_text("core/load_fail.sql"), 3, p,
	    PGRES_TUPLES_OK);
	was = PQntuples(r) == 1;
	discard(c, r);
	PQclear(r);
	db_run(c, "commit", "COMMIT");
	PQfinish(c);
	return was;
}

/* try the load lock once without waiting: 1 taken, 0 held by another session */
static int
hold_try(PGconn *c)
{
	PGresult *r;
	const char *st;

	db_run(c, "begin", "BEGIN");
	r = PQexec(c, sql_text("common/load_lock_nowait.sql"));
	if (PQresultStatus(r) == PGRES_COMMAND_OK) {
		PQclear(r);
		return 1;
	}
	st = PQresultErrorField(r, PG_DIAG_SQLSTATE);
	if (st == NULL || strcmp(st, "55P03") != 0)
		db_die(c, r, "take the load lock");
	PQclear(r);
	db_run(c, "roll back", "ROLLBACK");
	return 0;
}

void
promote_hold(const char *conninfo, int wait)
{
	PGconn *c = db_connect(conninfo);
	char buf[512];
	ssize_t n;

	/* idle in this transaction for as long as the load runs */
	db_run(c, "set", "SET idle_in_transaction_session_timeout = 0");
	if (!hold_try(c)) {
		if (!wait) {
			char db[128];

			snprintf(db, sizeof db, "%s", PQdb(c) != NULL ? PQdb(c) : "?");
			PQfinish(c);
			die(EX_TEMPFAIL, "another load into database %s is running (it holds "
			    "the load lock on core.load; from another machine or shell): try "
			    "again when it has finished, or use --wait", db);
		}
		warnf("waiting for the load already running (the load lock on core.load)");
		db_run(c, "begin", "BEGIN");
		db_run(c, "take the load lock", sql_text("common/load_lock.sql"));
	}
	if (printf("held %d\n", PQbackendPID(c)) < 0 || fflush(stdout) != 0)
		die(EX_IOERR, "stdout:");
	while ((n = read(STDIN_FILENO, buf, sizeof buf)) != 0)
		if (n < 0 && errno != EINTR)
			break;
	db_run(c, "roll back", "ROLLBACK");
	PQfinish(c);
}
