/*
 * mart_inc.c - build-mart's incremental build (see mart.h).
 *
 * Core is versioned by load: a version is current after load L iff
 * valid_from_load <= L and valid_to_load is NULL or > L, so the core the
 * last build read (after load L0) can be read again.  Every aggregate of the
 * mart is a sum of per-loan contributions computed by one function of the
 * loan, its records, its client's attributes and the as-of date D
 * (mart_calc.c), so
 *
 *   new mart = old mart - contribution(changed clients, core after L0, D0)
 *                       + contribution(changed clients, core now, D)
 *
 * exactly (integers), by the code the full build runs.  The clients go in
 * batches of MART_BATCH (bounded memory whatever the change); everything
 * happens in build-mart's one transaction, under the writer lock, so a
 * reader sees the old mart or the new one.
 *
 * Two connections work at once: a reader reads core (nothing can change
 * it: build-mart holds the writer lock) and the computation runs beside
 * it, while a thread on build-mart's own connection deletes the changed
 * clients' old loan rows and then writes each batch's new ones.  The rest
 * (the deltas into the aggregates, the masked clients) follows on that
 * connection once every batch is read.
 *
 * The changed clients are a temporary table (mart_dirty) on each
 * connection; on a Citus cluster build-mart's own list is mart.dirty, a
 * table with core.client's shards, so that the deletes and inserts joined
 * to it run on the shards (the reader keeps its temporary copy: it only
 * reads).
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "db/copyout.h"
#include "date.h"
#include "db/db.h"
#include "mart/mart.h"
#include "mart/mart_calc.h"
#include "position.h"
#include "db/sql.h"
#include "util.h"

/* read_changed_*.sql: a loan's or a payment's columns, then when it was current */
#define L_WHEN L_NF
#define P_WHEN P_NF

static int32_t
get_date(const PGresult *r, int row, int col)
{
	int32_t d;
	const char *s = PQgetvalue(r, row, col);

	if (PQgetisnull(r, row, col))
		return POS_NODATE;
	if (date_parse(s, strlen(s), &d) != 0)
		die(EX_SOFTWARE, "unexpected date '%s' from the database", s);
	return d;
}

static long long
get_ll(const PGresult *r, int row, int col)
{
	return strtoll(PQgetvalue(r, row, col), NULL, 10);
}

static void
say(struct mart_base *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
say(struct mart_base *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(b->why, sizeof b->why, fmt, ap);
	va_end(ap);
}

void
mart_base_read(PGconn *w, int32_t asof, struct mart_base *b)
{
	PGresult *r;
	char d0[DATE_BUFSZ], d[DATE_BUFSZ];
	long long engine, version, loads_then;

	memset(b, 0, sizeof *b);
	b->first_month = POS_NODATE;
	r = db_exec(w, "build state", sql_text("mart/citus.sql"), PGRES_TUPLES_OK);
	b->citus = strcmp(PQgetvalue(r, 0, 0), "t") == 0;
	PQclear(r);
	r = db_exec(w, "build state", sql_text("mart/core_versioned.sql"), PGRES_TUPLES_OK);
	b->versioned = strcmp(PQgetvalue(r, 0, 0), "t") == 0;
	b->state_table = strcmp(PQgetvalue(r, 0, 1), "t") == 0;
	PQclear(r);
	if (!b->versioned) {
		say(b, "core is not the load path's versioned core");
		return;
	}
	r = db_exec(w, "build state", sql_text("mart/last_load.sql"), PGRES_TUPLES_OK);
	b->load = get_ll(r, 0, 0);
	b->loads = get_ll(r, 0, 1);
	PQclear(r);
	if (!b->state_table) {
		say(b, "no table mart.build_state (apply the schema: make schema)");
		return;
	}
	r = db_exec(w, "build state", sql_text("mart/state_read.sql"), PGRES_TUPLES_OK);
	if (PQntuples(r) == 0) {
		PQclear(r);
		say(b, "no build state (a first build, or the server crashed and emptied the mart)");
		return;
	}
	b->as_of = get_date(r, 0, 0);
	b->l0 = get_ll(r, 0, 1);
	engine = get_ll(r, 0, 3);
	version = get_ll(r, 0, 4);
	loads_then = get_ll(r, 0, 2);
	date_format(b->as_of, d0);
	date_format(asof, d);
	if (engine != MART_ENGINE)
		say(b, "the mart was built by engine %lld, this is %d", engine, MART_ENGINE);
	else if (version != MART_VERSION)
		say(b, "the mart has version %lld, this build writes %d", version, MART_VERSION);
	else if (PQgetisnull(r, 0, 5) || get_date(r, 0, 5) != b->as_of)
		say(b, "mart.build_info does not match the build state");
	else if (get_ll(r, 0, 9) != loads_then || b->load < b->l0)
		say(b, "loads up to %lld changed since the mart was built", b->l0);
	else if (asof < b->as_of)
		say(b, "the as-of date moved back (%s, the mart's %s)", d, d0);
	else if (date_month_start(asof) != date_month_start(b->as_of))
		say(b, "the as-of date moved to another month (%s, the mart's %s)", d, d0);
	else {
		b->usable = 1;
		b->loans = get_ll(r, 0, 6);
		b->payments = get_ll(r, 0, 7);
		b->first_month = get_date(r, 0, 8);
		b->clients = get_ll(r, 0, 10);
		if (b->load == b->l0 && asof == b->as_of)
			say(b, "from load %lld as of %s: no load since", b->l0, d0);
		else
			say(b, "from load %lld as of %s", b->l0, d0);
	}
	PQclear(r);
}

void
mart_base_write(PGconn *w, const struct mart_base *b, int32_t asof, long long clients)
{
	char d[DATE_BUFSZ], l[32], n[32], e[16], v[16], c[32];
	const char *p[6] = {d, l, n, e, v, clients < 0 ? NULL : c};

	if (!b->state_table)
		return;
	if (!b->versioned) {
		db_run(w, "build state", sql_text("mart/state_clear.sql"));
		return;
	}
	date_format(asof, d);
	snprintf(l, sizeof l, "%lld", b->load);
	snprintf(n, sizeof n, "%lld", b->loads);
	snprintf(e, sizeof e, "%d", MART_ENGINE);
	snprintf(v, sizeof v, "%d", MART_VERSION);
	snprintf(c, sizeof c, "%lld", clients);
	db_runp(w, "build state", sql_text("mart/state_write.sql"), 6, p);
}

/*
 * by_attr.sql's groups of the changed clients' mart.loan rows: their old
 * rows deleted and counted -1, or their new rows counted +1.
 */
static void
by_attr_delta(PGconn *w, int old, int citus)
{
	const char *sub_old[] = {"WITH", "WITH gone AS (DELETE FROM mart.loan WHERE client_id IN "
	    "(SELECT client_id FROM mart_dirty) RETURNING gender, age_band, education, "
	    "count_of_children, job_type, family_status, region, amount_bin, status, loan_amount)",
	    "TABLE", "mart_by_attr_delta", "LOANS", "gone", "SIGN", "-1", NULL};
	const char *sub_new[] = {"WITH", "", "TABLE", "mart_by_attr_delta",
	    "LOANS", "mart.loan WHERE client_id IN (SELECT client_id FROM mart_dirty)",
	    "SIGN", "1", NULL};
	/*
	 * Citus: the old rows counted, then deleted (a DELETE ... RETURNING
	 * in a WITH brings them back through the coordinator), both joined
	 * to the co-located mart.dirty on the shards
	 */
	const char *sub_citus[] = {"WITH", "", "TABLE", "mart_by_attr_delta",
	    "LOANS", "mart.loan WHERE client_id IN (SELECT client_id FROM mart.dirty)",
	    "SIGN", old ? "-1" : "1", NULL};
	char *q = mart_sql(mart_by_attr_sql(citus), citus ? sub_citus : old ? sub_old : sub_new);

	db_run(w, "by_attr", q);
	free(q);
	if (citus && old)
		db_run(w, "mart.loan", "DELETE FROM mart.loan "
		    "WHERE client_id IN (SELECT client_id FROM mart.dirty)");
}

/* mart_dirty, or on a Citus cluster mart.dirty (dirty_citus.sql) */
static const char *
dirty_name(int citus)
{
	return citus ? "mart.dirty" : "mart_dirty";
}

/* a dirty_*.sql file with @DIRTY@ named (free it) */
static char *
dirty_sql(const char *file, int citus)
{
	const char *sub[] = {"DIRTY", dirty_name(citus), NULL};

	return mart_sql(sql_text(file), sub);
}

/* Rows of one client that belong to a pass: a view, never the owner. */
static void
view_add(struct copyrows *v, const struct copyrow *r)
{
	if (v->n == v->cap) {
		v->cap = v->cap ? 2 * v->cap : 16;
		v->v = ereallocarray(v->v, v->cap, sizeof *v->v);
	}
	v->v[v->n++] = *r;
}

/* client_id of a kept row */
static long long
row_cid(const struct copyrow *r)
{
	int64_t v;

	if (parse_int64(r->f[0], INT64_MIN, INT64_MAX, &v) != 0)
		die(EX_SOFTWARE, "unexpected client_id '%s' from the database", r->f[0]);
	return (long long)v;
}

/* The row to the views of the passes it belongs to (its last column). */
static void
route(const struct copyrow *r, const char *when, struct copyrows *then, struct copyrows *now)
{
	if (strcmp(when, "1") == 0 || strcmp(when, "3") == 0)
		view_add(then, r);
	if (strcmp(when, "2") == 0 || strcmp(when, "3") == 0)
		view_add(now, r);
	if (strcmp(when, "1") != 0 && strcmp(when, "2") != 0 && strcmp(when, "3") != 0)
		die(EX_SOFTWARE, "unexpected version flag '%s' from the database", when);
}

/*
 * The batch [lo, hi] of mart_dirty, each row read once: the loans
 * (read_changed_loans.sql, a few thousand rows, kept) and the payment
 * records streamed beside them (read_changed_payments.sql), both in
 * client_id order; every client's loans and records as core was after
 * load l0 to old (sign -1), as it is now to now (+1, with the rows).
 */
static void
batch(PGconn *w, struct mart_calc *old, struct mart_calc *now, long long lo,
    long long hi, long long l0)
{
	char slo[48], shi[48], sl0[48];
	const char *sub[] = {"LO", slo, "HI", shi, "L0", sl0, NULL};
	struct copyout c = {0};
	struct copyrows loans = {0}, pays = {0}, lo_ = {0}, po = {0}, ln = {0}, pn = {0};
	size_t li = 0;
	char *q;

	snprintf(slo, sizeof slo, "'%lld'::bigint", lo);
	snprintf(shi, sizeof shi, "'%lld'::bigint", hi);
	snprintf(sl0, sizeof sl0, "'%lld'::bigint", l0);
	q = mart_sql(sql_text("mart/read_changed_loans.sql"), sub);
	copyout_start(&c, w, "read core loans", q, L_NF + 1);
	while (c.row != NULL)
		copyrows_take(&loans, &c);
	free(q);
	q = mart_sql(sql_text("mart/read_changed_payments.sql"), sub);
	copyout_start(&c, w, "read core payments", q, P_NF + 1);
	while (c.row != NULL || li < loans.n) {
		long long lc = li < loans.n ? row_cid(&loans.v[li]) : INT64_MAX;
		long long cid = c.row != NULL && c.cid < lc ? c.cid : lc;

		lo_.n = po.n = ln.n = pn.n = 0;
		while (c.row != NULL && c.cid == cid)
			copyrows_take(&pays, &c);
		if (c.row != NULL && c.cid < cid)
			die(EX_SOFTWARE, "payment records are not in client_id order");
		for (; li < loans.n && row_cid(&loans.v[li]) == cid; li++)
			route(&loans.v[li], loans.v[li].f[L_WHEN], &lo_, &ln);
		if (li < loans.n && row_cid(&loans.v[li]) < cid)
			die(EX_SOFTWARE, "loans are not in client_id order");
		for (size_t i = 0; i < pays.n; i++)
			route(&pays.v[i], pays.v[i].f[P_WHEN], &po, &pn);
		mart_calc_client(old, &lo_, &po);
		mart_calc_client(now, &ln, &pn);
		copyrows_clear(&pays);
	}
	copyrows_free(&loans);
	copyrows_free(&pays);
	free(lo_.v);
	free(po.v);
	free(ln.v);
	free(pn.v);
	free(q);
}

static int32_t
first_month(PGconn *w, const struct mart_base *b, const struct mart_inc *r)
{
	int32_t old = b->first_month, now = r->now.first_month;
	PGresult *q;
	int32_t m;

	/* the old first month keeps its loans unless one of them moved */
	if (old == POS_NODATE)
		return now;
	if (now != POS_NODATE && now <= old)
		return now;
	if (r->old.first_month != old)
		return old;
	q = db_exec(w, "first month", sql_text("mart/first_month.sql"), PGRES_TUPLES_OK);
	m = get_date(q, 0, 0);
	PQclear(q);
	return m == POS_NODATE ? POS_NODATE : date_month_start(m);
}

/*
 * The thread that writes mart.loan on build-mart's connection: first the
 * changed clients' old rows out (and out of by_attr), then each batch's new
 * rows as the reader hands them over (two buffers: bounded memory).
 */
struct writer {
	PGconn *w;
	int citus;		/* by_attr's SQL for a Citus cluster */
	pthread_t tid;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct buf slot[2];
	int full[2];		/* slot[i] holds rows to write */
	int head, tail;		/* the writer's next slot, the reader's */
	int done;		/* the reader has handed over its last batch */
};

static void *
writer_run(void *arg)
{
	struct writer *wr = arg;
	const char *sub[] = {"TABLE", "mart.loan", NULL};
	char *qc = mart_sql(sql_text("mart/copy_loan.sql"), sub);

	by_attr_delta(wr->w, 1, wr->citus);
	for (;;) {
		struct buf *b;

		pthread_mutex_lock(&wr->mu);
		while (!wr->full[wr->head] && !wr->done)
			pthread_cond_wait(&wr->cv, &wr->mu);
		if (!wr->full[wr->head]) {
			pthread_mutex_unlock(&wr->mu);
			break;
		}
		b = &wr->slot[wr->head];
		pthread_mutex_unlock(&wr->mu);
		db_copy_begin(wr->w, "mart.loan", qc);
		db_copy_put(wr->w, "mart.loan", b->p, b->len);
		db_copy_end(wr->w, "mart.loan", NULL);
		pthread_mutex_lock(&wr->mu);
		buf_reset(b);
		wr->full[wr->head] = 0;
		wr->head ^= 1;
		pthread_cond_signal(&wr->cv);
		pthread_mutex_unlock(&wr->mu);
	}
	free(qc);
	return NULL;
}

/* Hand the rows in *rows to the writer (it gets an empty buffer back). */
static void
writer_give(struct writer *wr, struct buf *rows)
{
	struct buf t;

	pthread_mutex_lock(&wr->mu);
	while (wr->full[wr->tail])
		pthread_cond_wait(&wr->cv, &wr->mu);
	t = wr->slot[wr->tail];
	wr->slot[wr->tail] = *rows;
	*rows = t;
	wr->full[wr->tail] = 1;
	wr->tail ^= 1;
	pthread_cond_signal(&wr->cv);
	pthread_mutex_unlock(&wr->mu);
}

/*
 * The core reader: a connection of its own with a copy of mart_dirty, in a
 * transaction that writes nothing but its temporary table.
 */
static PGconn *
reader_open(PGconn *w, const char *conninfo, int citus)
{
	PGconn *rd = db_connect(conninfo);
	struct copyout c = {0};
	struct buf b = BUF_INIT;
	char *ids = dirty_sql("mart/dirty_ids.sql", citus);

	db_run(rd, "core reader", "BEGIN ISOLATION LEVEL REPEATABLE READ");
	db_run(rd, "core reader", "SET LOCAL jit = off");
	db_run(rd, "core reader", sql_text("mart/dirty_table.sql"));
	db_copy_begin(rd, "core reader", sql_text("mart/dirty_copy.sql"));
	copyout_start(&c, w, "changed clients", ids, 2);
	while (c.row != NULL) {
		buf_printf(&b, "%s\t%s\n", c.f[0], c.f[1]);
		if (b.len >= (1u << 20)) {
			db_copy_put(rd, "core reader", b.p, b.len);
			buf_reset(&b);
		}
		PQfreemem(c.row);
		copyout_next(&c);
	}
	db_copy_put(rd, "core reader", b.p, b.len);
	db_copy_end(rd, "core reader", NULL);
	db_run(rd, "core reader", "ANALYZE mart_dirty");
	buf_free(&b);
	free(ids);
	return rd;
}

int
mart_incremental(PGconn *w, const char *conninfo, struct mart_base *b, int32_t asof,
    void (*step)(const char *), struct mart_inc *r)
{
	PGresult *q;
	long long *starts;
	int nb, err;
	char d0[DATE_BUFSZ], d[DATE_BUFSZ], what[96], bs[32], at[32], *dq;
	const char *p[2] = {d0, d};
	struct aggmap *agg;
	struct mart_calc old, now;
	struct buf rows = BUF_INIT;
	struct writer wr = {.w = w, .citus = b->citus, .mu = PTHREAD_MUTEX_INITIALIZER,
	    .cv = PTHREAD_COND_INITIALIZER};
	PGconn *rd;

	memset(r, 0, sizeof *r);
	date_format(b->as_of, d0);
	date_format(asof, d);
	snprintf(at, sizeof at, "%lld", b->l0);
	db_run(w, "incremental", sql_text(b->citus ? "mart/dirty_citus.sql" : "mart/dirty_table.sql"));
	db_run(w, "incremental", sql_text("mart/inc_prepare.sql"));
	p[0] = at;
	dq = dirty_sql("mart/dirty_load.sql", b->citus);
	db_runp(w, "changed clients", dq, 1, p);
	free(dq);
	if (asof != b->as_of) {
		p[0] = d0;
		dq = dirty_sql("mart/dirty_asof.sql", b->citus);
		db_runp(w, "changed clients", dq, 2, p);
		free(dq);
	}
	snprintf(what, sizeof what, "ANALYZE %s", dirty_name(b->citus));
	db_run(w, "changed clients", what);
	dq = dirty_sql("mart/dirty_count.sql", b->citus);
	q = db_exec(w, "changed clients", dq, PGRES_TUPLES_OK);
	free(dq);
	r->clients = get_ll(q, 0, 0);
	PQclear(q);
	snprintf(what, sizeof what, "changed clients: %lld", r->clients);
	step(what);
	if (r->clients > b->clients / 4 && r->clients > 0) {
		say(b, "%lld of the mart's %lld clients to recompute: more than a quarter",
		    r->clients, b->clients);
		return 0;
	}

	/* short statements from here on: compiling their expressions costs more */
	db_run(w, "incremental", "SET LOCAL jit = off");

	/* the batches: the first client_id of each */
	snprintf(bs, sizeof bs, "%d", MART_BATCH);
	p[0] = bs;
	dq = dirty_sql("mart/dirty_batches.sql", b->citus);
	q = db_execp(w, "changed clients", dq, 1, p, PGRES_TUPLES_OK);
	free(dq);
	nb = PQntuples(q);
	starts = emalloc(((size_t)nb + 1) * sizeof *starts);
	for (int i = 0; i < nb; i++)
		starts[i] = get_ll(q, i, 0);
	PQclear(q);

	/*
	 * core read and computed here, batch by batch, while the writer
	 * deletes the old loan rows and then writes the new ones
	 */
	rd = reader_open(w, conninfo, b->citus);
	step("core reader");
	if ((err = pthread_create(&wr.tid, NULL, writer_run, &wr)) != 0)
		die(EX_OSERR, "cannot start a thread: %s", strerror(err));
	agg = agg_new(0);
	mart_calc_init(&old, b->as_of, -1, agg, NULL);
	mart_calc_init(&now, asof, 1, agg, &rows);
	for (int i = 0; i < nb; i++) {
		long long hi = i + 1 < nb ? starts[i + 1] - 1 : INT64_MAX;

		batch(rd, &old, &now, starts[i], hi, b->l0);
		writer_give(&wr, &rows);
	}
	pthread_mutex_lock(&wr.mu);
	wr.done = 1;
	pthread_cond_signal(&wr.cv);
	pthread_mutex_unlock(&wr.mu);
	if ((err = pthread_join(wr.tid, NULL)) != 0)
		die(EX_OSERR, "cannot join a thread: %s", strerror(err));
	db_run(rd, "core reader", "COMMIT");
	PQfinish(rd);
	free(starts);
	r->old = old.st;
	r->now = now.st;
	snprintf(what, sizeof what, "recomputed: %lld -> %lld loans", old.st.loans, now.st.loans);
	step(what);

	/* the deltas into the aggregates */
	agg_copy(w, agg, "mart_month_bin_delta", "mart_roll_bin_delta", "mart_vintage_bin_delta");
	agg_free(agg);
	step("deltas");
	/* MERGE on one server; Citus refuses it into a reference table */
	db_run(w, "mart.month_bin", sql_text(b->citus ? "mart/upsert_month_bin.sql"
	    : "mart/merge_month_bin.sql"));
	db_run(w, "mart.roll_bin", sql_text(b->citus ? "mart/upsert_roll_bin.sql"
	    : "mart/merge_roll_bin.sql"));
	db_run(w, "mart.vintage_bin", sql_text(b->citus ? "mart/upsert_vintage_bin.sql"
	    : "mart/merge_vintage_bin.sql"));
	step("month, roll and vintage bins");
	by_attr_delta(w, 0, b->citus);
	db_run(w, "mart.by_attr", sql_text(b->citus ? "mart/upsert_by_attr.sql"
	    : "mart/merge_by_attr.sql"));
	step("by_attr");

	/* the masked rows of the clients with a new version, from core again */
	{
		const char *sub[] = {"TABLE", "mart.client", "CLIENTS", b->citus
		    ? "client_id IN (SELECT client_id FROM mart.dirty WHERE attrs)"
		    : "client_id IN (SELECT client_id FROM mart_dirty WHERE attrs)", NULL};
		char *qc = mart_sql(sql_text("mart/client.sql"), sub);

		r->mart_clients = b->clients;
		dq = dirty_sql("mart/inc_clients.sql", b->citus);
		q = db_exec(w, "mart.client", dq, PGRES_COMMAND_OK);
		free(dq);
		r->mart_clients -= strtoll(PQcmdTuples(q), NULL, 10);
		PQclear(q);
		q = db_exec(w, "mart.client", qc, PGRES_COMMAND_OK);
		r->mart_clients += strtoll(PQcmdTuples(q), NULL, 10);
		PQclear(q);
		free(qc);
	}
	r->loans = b->loans - old.st.loans + now.st.loans;
	r->payments = b->payments - old.st.payments + now.st.payments;
	r->first_month = first_month(w, b, r);
	step("clients");
	mart_calc_free(&old);
	mart_calc_free(&now);
	buf_free(&rows);
	buf_free(&wr.slot[0]);
	buf_free(&wr.slot[1]);
	return 1;
}
