/* mart.c - build-mart's full build: client ranges in threads (see mart.h). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/copyout.h"
#include "buf.h"
#include "db/db.h"
#include "mart/mart.h"
#include "mart/mart_calc.h"
#include "db/sql.h"
#include "util.h"

#define FLUSH_AT (1u << 20)

void
mart_range(long long lo, long long hi, int k, int n, long long *from, long long *to)
{
	__extension__ typedef __int128 i128;
	i128 span = (i128)hi - lo + 1;

	*from = k == 0 ? INT64_MIN : (long long)(lo + span * k / n);
	*to = k == n - 1 ? INT64_MAX : (long long)(lo + span * (k + 1) / n - 1);
}

char *
mart_sql(const char *tmpl, const char *const *sub)
{
	struct buf q = BUF_INIT;
	const char *at;

	/*
	 * @NAME@ (capitals, digits, '_') -> its value; any other '@' is SQL's
	 * own (an e-mail mask, a regular expression) and stays
	 */
	while ((at = strchr(tmpl, '@')) != NULL) {
		size_t n = strspn(at + 1, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");
		const char *const *s;

		buf_put(&q, tmpl, (size_t)(at - tmpl));
		if (n == 0 || at[1 + n] != '@') {
			buf_putc(&q, '@');
			tmpl = at + 1;
			continue;
		}
		for (s = sub; *s != NULL; s += 2)
			if (strlen(s[0]) == n && strncmp(s[0], at + 1, n) == 0)
				break;
		if (*s == NULL)
			die(EX_SOFTWARE, "internal error: no value for @%.*s@ in a mart query",
			    (int)n, at + 1);
		buf_puts(&q, s[1]);
		tmpl = at + n + 2;
	}
	buf_puts(&q, tmpl);
	buf_cstr(&q);
	return q.p;
}

char *
mart_range_sql(const char *tmpl, long long from, long long to)
{
	char lo[48], hi[48];
	const char *sub[] = {"LO", lo, "HI", hi, NULL};

	/* numbers we computed, as quoted bigint literals (INT64_MIN included) */
	snprintf(lo, sizeof lo, "'%lld'::bigint", from);
	snprintf(hi, sizeof hi, "'%lld'::bigint", to);
	return mart_sql(tmpl, sub);
}

const char *
mart_by_attr_sql(int citus)
{
	return sql_text(citus ? "mart/by_attr_citus.sql" : "mart/by_attr.sql");
}

/* The jobs that have taken the builder's snapshot (see mart_build). */
struct started {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int n;
};

/* One client_id range: its connections, its readers and its results. */
struct job {
	struct started *started;
	const char *conninfo, *snapshot;
	int32_t asof;
	long long from, to;
	pthread_t tid;
	struct mart_stats st;
	struct aggmap *agg;	/* the month bins, shared by the jobs */
};

/* A reader's transaction: read-only, in the builder's exported snapshot. */
static PGconn *
reader_connect(const struct job *j, const char *what)
{
	PGconn *c = db_connect(j->conninfo);
	struct buf q = BUF_INIT;

	db_run(c, what, "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
	/* the id comes from pg_export_snapshot() and was checked: hex and '-' */
	buf_printf(&q, "SET TRANSACTION SNAPSHOT '%s'", j->snapshot);
	db_run(c, what, buf_cstr(&q));
	/* one long COPY each: compiling its expressions is not worth it */
	db_run(c, what, "SET LOCAL jit = off");
	buf_free(&q);
	return c;
}

static void *
job_run(void *arg)
{
	struct job *j = arg;
	struct mart_calc x;
	struct copyout lr = {0}, pr = {0};
	struct copyrows loans = {0}, pays = {0};
	struct buf out = BUF_INIT;
	char *ql, *qp;
	PGconn *rl = reader_connect(j, "read core.loans_current");
	PGconn *rp = reader_connect(j, "read core.payments_current");
	PGconn *wr;

	pthread_mutex_lock(&j->started->mu);
	j->started->n++;
	pthread_cond_signal(&j->started->cv);
	pthread_mutex_unlock(&j->started->mu);

	wr = db_connect(j->conninfo);
	mart_calc_init(&x, j->asof, 1, j->agg, &out);
	ql = mart_range_sql(sql_text("mart/read_loans.sql"), j->from, j->to);
	qp = mart_range_sql(sql_text("mart/read_payments.sql"), j->from, j->to);
	copyout_start(&lr, rl, "read core.loans_current", ql, L_NF);
	copyout_start(&pr, rp, "read core.payments_current", qp, P_NF);
	{
		const char *sub[] = {"TABLE", "mart.loan_next", NULL};
		char *qc = mart_sql(sql_text("mart/copy_loan.sql"), sub);

		db_copy_begin(wr, "mart.loan", qc);
		free(qc);
	}

	/* merge both streams by client_id; a client's rows are kept until done */
	while (lr.row != NULL || pr.row != NULL) {
		long long cid = lr.row == NULL ? pr.cid : pr.row == NULL ? lr.cid
		    : (lr.cid < pr.cid ? lr.cid : pr.cid);

		while (lr.row != NULL && lr.cid == cid)
			copyrows_take(&loans, &lr);
		while (pr.row != NULL && pr.cid == cid)
			copyrows_take(&pays, &pr);
		if ((lr.row != NULL && lr.cid < cid) || (pr.row != NULL && pr.cid < cid))
			die(EX_SOFTWARE, "core streams are not ordered by client_id");
		mart_calc_client(&x, &loans, &pays);
		copyrows_clear(&loans);
		copyrows_clear(&pays);
		if (out.len >= FLUSH_AT) {
			db_copy_put(wr, "mart.loan", out.p, out.len);
			buf_reset(&out);
		}
	}
	db_copy_put(wr, "mart.loan", out.p, out.len);
	db_copy_end(wr, "mart.loan", NULL);
	db_run(rl, "read core.loans_current", "COMMIT");
	db_run(rp, "read core.payments_current", "COMMIT");
	PQfinish(rl);
	PQfinish(rp);
	PQfinish(wr);

	mart_calc_flush(&x);
	j->st = x.st;
	free(ql);
	free(qp);
	copyrows_free(&loans);
	copyrows_free(&pays);
	buf_free(&out);
	mart_calc_free(&x);
	return NULL;
}

void
mart_build(PGconn *w, const char *conninfo, const char *snapshot, int jobs,
    long long lo, long long hi, int32_t asof, const char *busy_sql,
    struct mart_stats *st)
{
	struct job j[MART_MAX_JOBS];
	struct started started = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0};
	struct aggmap *all = agg_new(1);
	int err;

	if (snapshot[strspn(snapshot, "0123456789ABCDEFabcdef-")] != '\0')
		die(EX_SOFTWARE, "unexpected snapshot id '%s'", snapshot);
	if (jobs < 1 || jobs > MART_MAX_JOBS)
		die(EX_SOFTWARE, "internal error: %d jobs", jobs);
	if (lo > hi)		/* no loans: one range catches the orphans */
		jobs = 1;
	for (int k = 0; k < jobs; k++) {
		j[k] = (struct job){.started = &started, .conninfo = conninfo,
		    .snapshot = snapshot, .asof = asof, .agg = all};
		mart_range(lo, hi, k, jobs, &j[k].from, &j[k].to);
		if ((err = pthread_create(&j[k].tid, NULL, job_run, &j[k])) != 0)
			die(EX_OSERR, "cannot start a thread: %s", strerror(err));
	}
	/*
	 * w's own statement only once every job holds the snapshot: if it
	 * fails, w's transaction (and the snapshot it exported) ends, and its
	 * error is the one to report, not a job's "cannot import the snapshot".
	 */
	pthread_mutex_lock(&started.mu);
	while (started.n < jobs)
		pthread_cond_wait(&started.cv, &started.mu);
	pthread_mutex_unlock(&started.mu);
	if (busy_sql != NULL)
		db_explain(w, "mart.client", busy_sql);	/* OVERDUE_EXPLAIN only */
	if (busy_sql != NULL && !PQsendQuery(w, busy_sql))
		db_die(w, NULL, "mart");
	mart_stats_init(st);
	for (int k = 0; k < jobs; k++) {
		if ((err = pthread_join(j[k].tid, NULL)) != 0)
			die(EX_OSERR, "cannot join a thread: %s", strerror(err));
		mart_stats_add(st, &j[k].st);
	}
	if (busy_sql != NULL) {
		PGresult *r;

		while ((r = PQgetResult(w)) != NULL) {
			if (PQresultStatus(r) != PGRES_COMMAND_OK)
				db_die(w, r, "mart");
			PQclear(r);
		}
	}
	agg_copy(w, all, "mart.month_bin_next", "mart.roll_bin_next", "mart.vintage_bin_next");
	agg_free(all);
}
