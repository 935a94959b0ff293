/*
 * replaydb.c - notify-replay's database side (replay.h: replay_db): current
 * core streamed with COPY in client_id order, one client at a time, twice
 * (pass 1 and pass 2) in one snapshot, so both passes see the same core
 * whatever loads commit meanwhile.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db/copyout.h"
#include "date.h"
#include "db/db.h"
#include "mart/mart.h"
#include "money.h"
#include "notify/replay.h"
#include "db/sql.h"
#include "tsv.h"
#include "util.h"

/* sql/notify/replay_loans.sql and replay_payments.sql column orders */
enum { L_CID, L_NAME, L_START, L_N, L_PA, L_REGION, L_ADDRESS, L_PHONE, L_EMAIL, L_POST, L_NF };
enum { P_CID, P_NAME, P_NUM, P_DATE, P_FACT, P_AMOUNT, P_NF };
#define MAXF L_NF


/* the restrictions list: spans by client_id, sorted */
struct restr {
	int64_t cid;
	struct replay_span span;
};

/* the work arrays of a pass, reused from client to client */
struct work {
	struct restr *restr;
	size_t nrestr;
	struct replay_loan *loans;	/* their pos_loan arrays are kept */
	size_t cap_loans;
	struct pos_rec *rec;
	size_t cap_rec;
	size_t *at, *idx;		/* per loan: next record slot; per payment: its loan */
	size_t cap_at, cap_idx;
	struct replay_span *span;	/* the client's spans */
	size_t cap_span;
	long long clients, loans_read, payments, orphans;
};

/* a text field unescaped in place, NULL for \N */
static const char *
field_text(char *s)
{
	size_t n = strlen(s);
	long m;

	if (tsv_is_null(s, n))
		return NULL;
	if ((m = tsv_unescape(s, n)) < 0)
		die(EX_DATAERR, "core: a malformed COPY field");
	s[m] = '\0';
	return s;
}

/* The client of the rows in lr (its loans) and pr (their payments), replayed. */
static void
do_client(struct replay *r, const struct tzmap *zones, struct work *w, int64_t cid,
    struct copyrows *lr, struct copyrows *pr)
{
	struct replay_client c;
	char **f0;
	size_t nrec = 0;

	w->clients++;
	w->loans_read += (long long)lr->n;
	w->payments += (long long)pr->n;
	if (lr->n == 0) {		/* payments of no current loan */
		w->orphans += (long long)pr->n;
		return;
	}
	if (lr->n > w->cap_loans) {
		w->loans = erealloc(w->loans, lr->n * sizeof *w->loans);
		memset(w->loans + w->cap_loans, 0, (lr->n - w->cap_loans) * sizeof *w->loans);
		w->cap_loans = lr->n;
		w->at = ereallocarray(w->at, lr->n + 1, sizeof *w->at);
	}
	if (pr->n > w->cap_idx) {
		w->cap_idx = pr->cap;
		w->idx = ereallocarray(w->idx, w->cap_idx, sizeof *w->idx);
	}
	for (size_t i = 0; i < lr->n; i++) {
		char **f = lr->v[i].f;
		struct pos_loan *pl = &w->loans[i].pos;
		int64_t n;

		w->loans[i].name = field_text(f[L_NAME]);
		if (w->loans[i].name == NULL)
			die(EX_DATAERR, "core: a loan without a name (client %lld)", (long long)cid);
		if (parse_int64(f[L_N], 0, 100000, &n) != 0)
			die(EX_DATAERR, "core: bad payment_numbers '%s'", f[L_N]);
		pl->start = copyout_date(f[L_START], "loan_start_date");
		pl->n = (int32_t)n;
		pl->pa = copyout_money(f[L_PA], "paid_amount");
		pl->nrec = 0;
		w->at[i] = 0;
	}
	/* each payment to its loan (by name), counted, then placed loan by loan */
	for (size_t j = 0; j < pr->n; j++) {
		const char *name = field_text(pr->v[j].f[P_NAME]);
		size_t i = 0;

		while (i < lr->n && (name == NULL || strcmp(w->loans[i].name, name) != 0))
			i++;
		w->idx[j] = i;
		if (i == lr->n) {
			w->orphans++;
			continue;
		}
		w->loans[i].pos.nrec++;
		nrec++;
	}
	if (nrec > w->cap_rec) {
		w->cap_rec = nrec + nrec / 2;
		w->rec = ereallocarray(w->rec, w->cap_rec, sizeof *w->rec);
	}
	for (size_t i = 0, o = 0; i < lr->n; i++) {
		w->at[i] = o;
		w->loans[i].pos.rec = w->rec + o;
		o += w->loans[i].pos.nrec;
	}
	for (size_t j = 0; j < pr->n; j++) {
		char **f = pr->v[j].f;
		struct pos_rec *rc;
		int64_t num;

		if (w->idx[j] == lr->n)
			continue;
		rc = &w->rec[w->at[w->idx[j]]++];
		if (parse_int64(f[P_NUM], INT32_MIN, INT32_MAX, &num) != 0)
			die(EX_DATAERR, "core: bad payment_number '%s'", f[P_NUM]);
		rc->number = (int32_t)num;
		rc->date = copyout_date(f[P_DATE], "payment_date");
		rc->fact = tsv_is_null(f[P_FACT], strlen(f[P_FACT])) ? POS_NODATE
		    : copyout_date(f[P_FACT], "payment_fact_date");
		rc->amount = copyout_money(f[P_AMOUNT], "paid_fact_amount");
	}

	f0 = lr->v[0].f;
	c.id = cid;
	c.zone = tz_client(zones, field_text(f0[L_REGION]), field_text(f0[L_ADDRESS]));
	c.has_phone = f0[L_PHONE][0] == 't';
	c.has_email = f0[L_EMAIL][0] == 't';
	c.has_address = f0[L_POST][0] == 't';
	c.loans = w->loans;
	c.nloans = lr->n;
	c.excluded = NULL;
	c.nexcluded = 0;
	{
		size_t lo = 0, hi = w->nrestr;

		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (w->restr[mid].cid < cid)
				lo = mid + 1;
			else
				hi = mid;
		}
		/* the spans are copied apart from the ids: replay_span[] */
		while (lo + c.nexcluded < w->nrestr && w->restr[lo + c.nexcluded].cid == cid) {
			if (c.nexcluded == w->cap_span) {
				w->cap_span = w->cap_span ? 2 * w->cap_span : 8;
				w->span = ereallocarray(w->span, w->cap_span, sizeof *w->span);
			}
			w->span[c.nexcluded] = w->restr[lo + c.nexcluded].span;
			c.nexcluded++;
		}
		c.excluded = w->span;
	}
	replay_client(r, &c);
}

/* One pass: both streams merged by client_id. */
static void
pass(PGconn *cl, PGconn *cp, const char *loans_sql, struct replay *r, const struct tzmap *zones,
    struct work *w)
{
	struct copyout lr = {0}, pr = {0};
	struct copyrows loans = {0}, pays = {0};

	copyout_start(&lr, cl, "read core.loans_current", loans_sql, L_NF);
	copyout_start(&pr, cp, "read core.payments_current", sql_text("notify/replay_payments.sql"),
	    P_NF);
	while (lr.row != NULL || pr.row != NULL) {
		int64_t cid = lr.row == NULL ? pr.cid : pr.row == NULL ? lr.cid
		    : (lr.cid < pr.cid ? lr.cid : pr.cid);

		while (lr.row != NULL && lr.cid == cid)
			copyrows_take(&loans, &lr);
		while (pr.row != NULL && pr.cid == cid)
			copyrows_take(&pays, &pr);
		if ((lr.row != NULL && lr.cid < cid) || (pr.row != NULL && pr.cid < cid))
			die(EX_SOFTWARE, "core streams are not ordered by client_id");
		do_client(r, zones, w, cid, &loans, &pays);
		copyrows_clear(&loans);
		copyrows_clear(&pays);
	}
	copyrows_free(&loans);
	copyrows_free(&pays);
}

/* notify.restriction (when the schema has it) in force, by client_id */
static void
load_restrictions(PGconn *c, struct work *w)
{
	PGresult *res = db_exec(c, "check schema", "SELECT to_regclass('notify.restriction') IS NOT NULL",
	    PGRES_TUPLES_OK);
	int have = strcmp(PQgetvalue(res, 0, 0), "t") == 0;

	PQclear(res);
	if (!have)
		return;
	res = db_exec(c, "read notify.restriction", sql_text("notify/replay_restrictions.sql"),
	    PGRES_TUPLES_OK);
	w->nrestr = (size_t)PQntuples(res);
	w->restr = ereallocarray(NULL, w->nrestr ? w->nrestr : 1, sizeof *w->restr);
	for (size_t i = 0; i < w->nrestr; i++) {
		int64_t v[3];

		for (int k = 0; k < 3; k++)
			if (parse_int64(PQgetvalue(res, (int)i, k), INT32_MIN, INT64_MAX, &v[k]) != 0 ||
			    (k > 0 && v[k] > INT32_MAX))
				db_fail(c, res, EX_SOFTWARE, "notify.restriction: an unexpected value");
		w->restr[i] = (struct restr){v[0], {(int32_t)v[1], (int32_t)v[2]}};
	}
	PQclear(res);
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * A reader's transaction: read-only, repeatable read, in the snapshot
 * given (NULL: its own), no JIT for one long COPY.
 */
static PGconn *
reader_connect(const char *conninfo, const char *what, const char *snapshot)
{
	PGconn *c = db_connect(conninfo);

	db_run(c, what, "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
	if (snapshot != NULL) {
		struct buf q = BUF_INIT;

		/* the id comes from pg_export_snapshot() and was checked: hex and '-' */
		buf_printf(&q, "SET TRANSACTION SNAPSHOT '%s'", snapshot);
		db_run(c, what, buf_cstr(&q));
		buf_free(&q);
	}
	db_run(c, what, "SET LOCAL jit = off");
	return c;
}

void
replay_db(const char *conninfo, struct replay *r, const struct tzmap *zones, int verbose)
{
	PGconn *cl = reader_connect(conninfo, "read core.loans_current", NULL), *cp;
	PGresult *res;
	struct work w;
	double t0 = now_s(), t;
	const char *snap, *tmpl = sql_text("notify/replay_loans.sql"), *at;
	struct buf q = BUF_INIT;
	int email;

	res = db_exec(cl, "check schema", "SELECT to_regclass('core.loans_current') IS NOT NULL "
	    "AND to_regclass('core.payments_current') IS NOT NULL "
	    "AND to_regclass('core.clients_current') IS NOT NULL", PGRES_TUPLES_OK);
	if (strcmp(PQgetvalue(res, 0, 0), "t") != 0)
		db_fail(cl, res, EX_UNAVAILABLE, "core does not exist: apply the schema first "
		    "(make schema)");
	PQclear(res);
	/* the client's e-mail, when core has it (the load path gained it with issue 8) */
	res = db_exec(cl, "check schema", "SELECT EXISTS (SELECT 1 FROM pg_attribute "
	    "WHERE attrelid = 'core.clients_current'::regclass AND attname = 'email' "
	    "AND attnum > 0 AND NOT attisdropped)", PGRES_TUPLES_OK);
	email = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	while ((at = strstr(tmpl, "@EMAIL@")) != NULL) {
		buf_put(&q, tmpl, (size_t)(at - tmpl));
		buf_puts(&q, email ? "c.email" : "NULL::text");
		tmpl = at + 7;
	}
	buf_puts(&q, tmpl);
	/* the payments reader sees exactly what the loans reader sees */
	res = db_exec(cl, "export snapshot", "SELECT pg_export_snapshot()", PGRES_TUPLES_OK);
	snap = PQgetvalue(res, 0, 0);
	if (snap[strspn(snap, "0123456789ABCDEFabcdef-")] != '\0')
		db_fail(cl, res, EX_SOFTWARE, "unexpected snapshot id");
	cp = reader_connect(conninfo, "read core.payments_current", snap);
	PQclear(res);

	memset(&w, 0, sizeof w);
	load_restrictions(cl, &w);
	for (int p = 1; p <= 2; p++) {
		t = now_s();
		w.clients = w.loans_read = w.payments = w.orphans = 0;
		pass(cl, cp, buf_cstr(&q), r, zones, &w);
		if (p == 1)
			replay_cut(r);
		if (verbose)
			fprintf(stderr, "%s: pass %d: %lld clients, %lld loans, %lld payments "
			    "(%lld of no loan) in %.2f s\n", progname, p, w.clients, w.loans_read,
			    w.payments, w.orphans, now_s() - t);
	}
	replay_finish(r);
	if (verbose) {
		int64_t unranked, made;

		replay_divergence(r, &unranked, &made);
		fprintf(stderr, "%s: calls pass 1 had not ranked: %lld (%lld made); total %.2f s\n",
		    progname, (long long)unranked, (long long)made, now_s() - t0);
	}
	db_run(cl, "read core.loans_current", "COMMIT");
	db_run(cp, "read core.payments_current", "COMMIT");
	PQfinish(cl);
	PQfinish(cp);
	for (size_t i = 0; i < w.cap_loans; i++)
		pos_free(&w.loans[i].pos);
	free(w.loans);
	free(w.rec);
	free(w.at);
	free(w.idx);
	free(w.restr);
	free(w.span);
	buf_free(&q);
}
