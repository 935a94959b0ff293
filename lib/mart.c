/* mart.c - build-mart's streaming engine (see mart.h). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "date.h"
#include "db.h"
#include "mart.h"
#include "money.h"
#include "position.h"
#include "sql.h"
#include "tsv.h"
#include "util.h"

#define FLUSH_AT (1u << 20)

enum { L_CID, L_NAME, L_AMOUNT, L_START, L_END, L_N, L_PA, L_GENDER, L_BIRTH,
	L_EDU, L_KIDS, L_JOB, L_FAMILY, L_REGION, L_NF };
enum { P_CID, P_NAME, P_NUM, P_DATE, P_FACT, P_AMOUNT, P_NF };

int
mart_split(char *row, int len, char **f, int max)
{
	int n = 0;
	char *p = row, *end = row + len;

	if (len > 0 && end[-1] == '\n')
		*--end = '\0';
	else
		*end = '\0';
	while (n < max) {
		char *t = memchr(p, '\t', (size_t)(end - p));

		f[n++] = p;
		if (t == NULL)
			break;
		*t = '\0';
		p = t + 1;
	}
	return n;
}

/* One COPY TO STDOUT stream with one row of lookahead. */
struct reader {
	PGconn *c;
	const char *what;
	char *row;		/* current row (owned), NULL at end */
	char *f[L_NF];
	int nf, want;
	long long cid;
};

static long long
parse_id(const char *s, const char *what)
{
	int64_t v;

	if (parse_int64(s, INT64_MIN, INT64_MAX, &v) != 0)
		die(EX_DATAERR, "%s: bad client_id '%s'", what, s);
	return v;
}

static void
reader_next(struct reader *r)
{
	char *p;
	int n = PQgetCopyData(r->c, &p, 0);

	r->row = NULL;
	if (n == -1) {
		PGresult *res;

		while ((res = PQgetResult(r->c)) != NULL) {
			if (PQresultStatus(res) != PGRES_COMMAND_OK)
				db_die(r->c, res, r->what);
			PQclear(res);
		}
		return;
	}
	if (n < 0)
		db_die(r->c, NULL, r->what);
	/* PQgetCopyData's buffer has a NUL after the data: room to split */
	r->row = p;
	r->nf = mart_split(p, n, r->f, r->want);
	if (r->nf != r->want)
		die(EX_SOFTWARE, "%s: %d columns, expected %d", r->what, r->nf, r->want);
	r->cid = parse_id(r->f[0], r->what);
}

static void
reader_start(struct reader *r, PGconn *c, const char *what, const char *sql, int want)
{
	PGresult *res = PQexec(c, sql);

	if (res == NULL || PQresultStatus(res) != PGRES_COPY_OUT)
		db_die(c, res, what);
	PQclear(res);
	r->c = c;
	r->what = what;
	r->want = want;
	reader_next(r);
}

/* A grouped row kept until its client is done. */
struct row {
	char *mem;
	char *f[L_NF];
};

struct rows {
	struct row *v;
	size_t n, cap;
};

static void
rows_take(struct rows *rs, struct reader *r)
{
	if (rs->n == rs->cap) {
		rs->cap = rs->cap ? 2 * rs->cap : 16;
		rs->v = ereallocarray(rs->v, rs->cap, sizeof *rs->v);
	}
	rs->v[rs->n].mem = r->row;
	memcpy(rs->v[rs->n].f, r->f, sizeof r->f);
	rs->n++;
}

static void
rows_clear(struct rows *rs)
{
	for (size_t i = 0; i < rs->n; i++)
		PQfreemem(rs->v[i].mem);
	rs->n = 0;
}

/*
 * Monthly measures per (month, amount bin).  Months are indexes y*12+m-1.
 * The common cells (months 1970..2169, bins below 1 024 = amounts below
 * 1 024 000) live in a grid allocated a month at a time; the rest in a
 * hash table (open addressing).
 */
enum { A_ACTIVE, A_OVERDUE, A_OUT, A_OOUT, A_ARR, A_D1, A_D2, A_D3, A_D4,
	A_FLOW, A_LATE, A_FAMT, A_LPAID, A_N };
#define GRID_BASE (1970 * 12)
#define GRID_MONTHS (200 * 12)
#define GRID_BINS 1024

struct agg {
	int32_t month, bin;
	int used;
	int64_t v[A_N];
};

struct aggmap {
	struct agg *t;
	size_t cap, n;
	int64_t *row[GRID_MONTHS];	/* GRID_BINS x A_N each, or NULL */
};

static uint64_t
agg_hash(int32_t m, int32_t b)
{
	uint64_t x = ((uint64_t)(uint32_t)m << 32) | (uint32_t)b;

	x ^= x >> 33;
	x *= UINT64_C(0xff51afd7ed558ccd);
	x ^= x >> 33;
	return x;
}

static struct agg *
agg_get(struct aggmap *a, int32_t m, int32_t b)
{
	size_t i;

	if (2 * (a->n + 1) > a->cap) {
		struct aggmap g = {ecalloc(a->cap ? 2 * a->cap : 1024, sizeof *g.t),
		    a->cap ? 2 * a->cap : 1024, 0, {0}};

		for (size_t k = 0; k < a->cap; k++)
			if (a->t[k].used) {
				struct agg *e = agg_get(&g, a->t[k].month, a->t[k].bin);

				memcpy(e->v, a->t[k].v, sizeof e->v);
			}
		free(a->t);
		a->t = g.t;
		a->cap = g.cap;
		a->n = g.n;
	}
	for (i = agg_hash(m, b) & (a->cap - 1); a->t[i].used; i = (i + 1) & (a->cap - 1))
		if (a->t[i].month == m && a->t[i].bin == b)
			return &a->t[i];
	a->t[i].used = 1;
	a->t[i].month = m;
	a->t[i].bin = b;
	a->n++;
	return &a->t[i];
}

/* The A_N measures of month index m and bin b. */
static int64_t *
agg_cell(struct aggmap *a, int32_t m, int32_t b)
{
	int32_t r = m - GRID_BASE;

	if (r >= 0 && r < GRID_MONTHS && b >= 0 && b < GRID_BINS) {
		if (a->row[r] == NULL)
			a->row[r] = ecalloc((size_t)GRID_BINS * A_N, sizeof *a->row[r]);
		return a->row[r] + (size_t)b * A_N;
	}
	return agg_get(a, m, b)->v;
}

/* Add every cell of src to dst. */
static void
agg_merge(struct aggmap *dst, const struct aggmap *src)
{
	for (int32_t r = 0; r < GRID_MONTHS; r++)
		if (src->row[r] != NULL)
			for (int32_t b = 0; b < GRID_BINS; b++) {
				const int64_t *v = src->row[r] + (size_t)b * A_N;
				int64_t *e;

				if (v[A_ACTIVE] == 0 && v[A_FLOW] == 0)
					continue;
				e = agg_cell(dst, r + GRID_BASE, b);
				for (int k = 0; k < A_N; k++)
					e[k] += v[k];
			}
	for (size_t i = 0; i < src->cap; i++)
		if (src->t[i].used) {
			int64_t *e = agg_get(dst, src->t[i].month, src->t[i].bin)->v;

			for (int k = 0; k < A_N; k++)
				e[k] += src->t[i].v[k];
		}
}

static void
agg_free(struct aggmap *a)
{
	for (int32_t r = 0; r < GRID_MONTHS; r++)
		free(a->row[r]);
	free(a->t);
}

struct ctx {
	PGconn *wr;		/* COPY mart.loan_next FROM STDIN */
	int32_t asof;
	struct buf out;		/* mart.loan_next rows not yet sent */
	struct aggmap *agg;
	struct pos_rec *rec;
	size_t cap_rec;
	struct pos_loan l;
	struct pos_month *m;
	size_t cap_m;
	struct mart_stats *st;
};

static void
st_init(struct mart_stats *st)
{
	memset(st, 0, sizeof *st);
	st->first_month = POS_NODATE;
}

static int32_t
field_date(const char *s, const char *what)
{
	int32_t d;

	if (date_parse(s, strlen(s), &d) != 0)
		die(EX_DATAERR, "core: bad %s '%s'", what, s);
	return d;
}

static int64_t
field_money(const char *s, const char *what)
{
	int64_t v;

	if (tsv_is_null(s, strlen(s)))
		return 0;
	if (money_parse(s, strlen(s), &v) != MONEY_OK)
		die(EX_DATAERR, "core: bad %s '%s'", what, s);
	return v;
}

static void
put_field(struct buf *b, const char *s)
{
	buf_puts(b, s);
	buf_putc(b, '\t');
}

static void
put_money(struct buf *b, int64_t v)
{
	char m[MONEY_BUFSZ];

	buf_put(b, m, money_format(v, m));
	buf_putc(b, '\t');
}

static void
put_date(struct buf *b, int32_t d)
{
	char s[DATE_BUFSZ];

	if (d == POS_NODATE)
		tsv_null(b);
	else
		buf_put(b, s, date_format(d, s));
	buf_putc(b, '\t');
}

/* Decimal digits of v at p (room for 20 characters); returns the end. */
static char *
fmt_i64(char *p, int64_t v)
{
	char t[20];
	int n = 0;
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;

	if (v < 0)
		*p++ = '-';
	do {
		t[n++] = (char)('0' + (int)(u % 10));
		u /= 10;
	} while (u != 0);
	while (n > 0)
		*p++ = t[--n];
	return p;
}

/* "{a,b,c}" of one member of the month snapshots (hot: no printf) */
static void
put_array(struct buf *b, const struct pos_month *m, size_t n, int which, int last)
{
	char *p;

	buf_reserve(b, n * 21 + 3);
	p = b->p + b->len;
	*p++ = '{';
	for (size_t i = 0; i < n; i++) {
		int64_t v;

		switch (which) {
		case 0: v = m[i].status; break;
		case 1: v = m[i].dpd; break;
		case 2: v = m[i].outstanding; break;
		case 3: v = m[i].arrears; break;
		default: v = m[i].flow; break;
		}
		if (i)
			*p++ = ',';
		p = fmt_i64(p, v);
	}
	*p++ = '}';
	*p++ = last ? '\n' : '\t';
	b->len = (size_t)(p - b->p);
}

static void
add_months_to_agg(struct ctx *x, int32_t first, size_t n, int64_t amount)
{
	int32_t bin = (int32_t)(amount / 100000);
	int y, mo, d;
	int32_t m0;

	date_to_civil(first, &y, &mo, &d);
	m0 = y * 12 + mo - 1;
	for (size_t i = 0; i < n; i++) {
		const struct pos_month *m = &x->m[i];
		int active = m->status == POS_CURRENT || m->status == POS_OVERDUE;
		int64_t *a;

		if (!active && m->flow == 0)
			continue;
		a = agg_cell(x->agg, m0 + (int32_t)i, bin);
		if (active) {
			a[A_ACTIVE]++;
			a[A_OUT] += m->outstanding;
			a[A_ARR] += m->arrears;
		}
		if (m->status == POS_OVERDUE) {
			a[A_OVERDUE]++;
			a[A_OOUT] += m->outstanding;
			a[m->dpd <= 30 ? A_D1 : m->dpd <= 60 ? A_D2 : m->dpd <= 90 ? A_D3 : A_D4]++;
		}
		if (m->flow) {
			a[A_FLOW]++;
			a[A_FAMT] += amount;
		}
		if (m->flow == 2) {
			a[A_LATE]++;
			a[A_LPAID] += m->late_paid;
		}
	}
}

static void
do_loan(struct ctx *x, struct row *lr, struct rows *pays, char *used)
{
	char **f = lr->f;
	int64_t amount = field_money(f[L_AMOUNT], "loan_amount");
	int64_t n64;
	size_t nrec = 0, nm;
	struct position p;
	int32_t first, birth;

	if (parse_int64(f[L_N], 0, 100000, &n64) != 0)
		die(EX_DATAERR, "core: bad payment_numbers '%s'", f[L_N]);
	x->l.start = field_date(f[L_START], "loan_start_date");
	x->l.n = (int32_t)n64;
	x->l.pa = field_money(f[L_PA], "paid_amount");
	for (size_t i = 0; i < pays->n; i++) {
		char **pf = pays->v[i].f;
		struct pos_rec *r;
		int64_t num;

		if (used[i] || strcmp(pf[P_NAME], f[L_NAME]) != 0)
			continue;
		used[i] = 1;
		if (nrec == x->cap_rec) {
			x->cap_rec = x->cap_rec ? 2 * x->cap_rec : 64;
			x->rec = ereallocarray(x->rec, x->cap_rec, sizeof *x->rec);
		}
		r = &x->rec[nrec++];
		if (parse_int64(pf[P_NUM], INT32_MIN, INT32_MAX, &num) != 0)
			die(EX_DATAERR, "core: bad payment_number '%s'", pf[P_NUM]);
		r->number = (int32_t)num;
		r->date = field_date(pf[P_DATE], "payment_date");
		r->fact = tsv_is_null(pf[P_FACT], strlen(pf[P_FACT])) ? POS_NODATE
		    : field_date(pf[P_FACT], "payment_fact_date");
		r->amount = field_money(pf[P_AMOUNT], "paid_fact_amount");
	}
	x->st->payments += (long long)nrec;
	x->l.rec = x->rec;
	x->l.nrec = nrec;
	pos_prepare(&x->l);
	pos_at(&x->l, x->asof, &p);
	nm = pos_months(&x->l, x->asof, &first, &x->m, &x->cap_m);
	add_months_to_agg(x, first, nm, amount);
	x->st->loans++;
	x->st->months += (long long)nm;
	if (x->st->first_month == POS_NODATE || date_month_start(x->l.start) < x->st->first_month)
		x->st->first_month = date_month_start(x->l.start);

	/* mart.loan row, in the column order of sql/mart/copy_loan.sql */
	put_field(&x->out, f[L_CID]);
	put_field(&x->out, f[L_NAME]);
	put_field(&x->out, f[L_AMOUNT]);
	buf_printf(&x->out, "%lld\t", (long long)(amount / 100000));
	put_field(&x->out, f[L_START]);
	put_field(&x->out, f[L_END]);
	put_field(&x->out, f[L_N]);
	put_field(&x->out, f[L_PA]);
	put_field(&x->out, pos_status_name(p.status));
	buf_printf(&x->out, "%d\t", (int)p.dpd);
	put_field(&x->out, pos_dpd_bucket(p.dpd));
	put_money(&x->out, p.arrears);
	put_money(&x->out, p.outstanding);
	put_date(&x->out, p.oldest_due);
	put_field(&x->out, f[L_GENDER]);
	birth = tsv_is_null(f[L_BIRTH], strlen(f[L_BIRTH])) ? POS_NODATE
	    : field_date(f[L_BIRTH], "birth_date");
	put_field(&x->out, pos_age_band(birth, x->asof));
	put_field(&x->out, f[L_EDU]);
	put_field(&x->out, f[L_KIDS]);
	put_field(&x->out, f[L_JOB]);
	put_field(&x->out, f[L_FAMILY]);
	put_field(&x->out, f[L_REGION]);
	put_date(&x->out, nm ? first : POS_NODATE);
	for (int k = 0; k < 5; k++)
		put_array(&x->out, x->m, nm, k, k == 4);
	if (x->out.len >= FLUSH_AT) {
		db_copy_put(x->wr, "mart.loan", x->out.p, x->out.len);
		buf_reset(&x->out);
	}
}

static void
put_agg(struct buf *b, int32_t month, int32_t bin, const int64_t *v)
{
	char d[DATE_BUFSZ];

	date_format(date_from_civil(month / 12, month % 12 + 1, 1), d);
	buf_printf(b, "%s\t%d", d, (int)bin);
	for (int k = 0; k < A_N; k++)
		buf_printf(b, "\t%lld", (long long)v[k]);
	buf_putc(b, '\n');
}

static void
copy_aggs(PGconn *w, const struct aggmap *agg)
{
	struct buf b = BUF_INIT;

	db_copy_begin(w, "mart.month_bin", sql_text("mart/copy_month_bin.sql"));
	for (int32_t r = 0; r < GRID_MONTHS; r++)
		if (agg->row[r] != NULL)
			for (int32_t bin = 0; bin < GRID_BINS; bin++) {
				const int64_t *v = agg->row[r] + (size_t)bin * A_N;

				if (v[A_ACTIVE] != 0 || v[A_FLOW] != 0)
					put_agg(&b, r + GRID_BASE, bin, v);
			}
	for (size_t i = 0; i < agg->cap; i++)
		if (agg->t[i].used)
			put_agg(&b, agg->t[i].month, agg->t[i].bin, agg->t[i].v);
	db_copy_put(w, "mart.month_bin", b.p, b.len);
	db_copy_end(w, "mart.month_bin", NULL);
	buf_free(&b);
}

void
mart_range(long long lo, long long hi, int k, int n, long long *from, long long *to)
{
	__extension__ typedef __int128 i128;
	i128 span = (i128)hi - lo + 1;

	*from = k == 0 ? INT64_MIN : (long long)(lo + span * k / n);
	*to = k == n - 1 ? INT64_MAX : (long long)(lo + span * (k + 1) / n - 1);
}

char *
mart_range_sql(const char *tmpl, long long from, long long to)
{
	struct buf q = BUF_INIT;
	const char *at;

	/* numbers we computed, as quoted bigint literals (INT64_MIN included) */
	while ((at = strchr(tmpl, '@')) != NULL) {
		buf_put(&q, tmpl, (size_t)(at - tmpl));
		if (strncmp(at, "@LO@", 4) == 0)
			buf_printf(&q, "'%lld'::bigint", from);
		else if (strncmp(at, "@HI@", 4) == 0)
			buf_printf(&q, "'%lld'::bigint", to);
		else
			die(EX_SOFTWARE, "internal error: stray '@' in a range query");
		tmpl = at + 4;
	}
	buf_puts(&q, tmpl);
	buf_cstr(&q);
	return q.p;
}

/* One client_id range: its connections, its readers and its results. */
struct job {
	const char *conninfo, *snapshot;
	int32_t asof;
	long long from, to;
	pthread_t tid;
	struct mart_stats st;
	struct aggmap *agg;	/* the range's month bins, handed to mart_build */
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
	struct ctx x = {.asof = j->asof, .st = &j->st, .agg = ecalloc(1, sizeof *x.agg)};
	struct reader lr = {0}, pr = {0};
	struct rows loans = {0}, pays = {0};
	char *used = NULL, *ql, *qp;
	size_t cap_used = 0;
	PGconn *rl = reader_connect(j, "read core.loans_current");
	PGconn *rp = reader_connect(j, "read core.payments_current");

	x.wr = db_connect(j->conninfo);
	st_init(&j->st);
	ql = mart_range_sql(sql_text("mart/read_loans.sql"), j->from, j->to);
	qp = mart_range_sql(sql_text("mart/read_payments.sql"), j->from, j->to);
	reader_start(&lr, rl, "read core.loans_current", ql, L_NF);
	reader_start(&pr, rp, "read core.payments_current", qp, P_NF);
	db_copy_begin(x.wr, "mart.loan", sql_text("mart/copy_loan.sql"));

	/* merge both streams by client_id; a client's rows are kept until done */
	while (lr.row != NULL || pr.row != NULL) {
		long long cid = lr.row == NULL ? pr.cid : pr.row == NULL ? lr.cid
		    : (lr.cid < pr.cid ? lr.cid : pr.cid);

		while (lr.row != NULL && lr.cid == cid) {
			rows_take(&loans, &lr);
			reader_next(&lr);
		}
		while (pr.row != NULL && pr.cid == cid) {
			rows_take(&pays, &pr);
			reader_next(&pr);
		}
		if ((lr.row != NULL && lr.cid < cid) || (pr.row != NULL && pr.cid < cid))
			die(EX_SOFTWARE, "core streams are not ordered by client_id");
		if (pays.n > cap_used) {
			cap_used = pays.cap;
			used = erealloc(used, cap_used);
		}
		if (pays.n)
			memset(used, 0, pays.n);
		for (size_t i = 0; i < loans.n; i++)
			do_loan(&x, &loans.v[i], &pays, used);
		for (size_t i = 0; i < pays.n; i++)
			j->st.orphans += !used[i];
		rows_clear(&loans);
		rows_clear(&pays);
	}
	db_copy_put(x.wr, "mart.loan", x.out.p, x.out.len);
	db_copy_end(x.wr, "mart.loan", NULL);
	db_run(rl, "read core.loans_current", "COMMIT");
	db_run(rp, "read core.payments_current", "COMMIT");
	PQfinish(rl);
	PQfinish(rp);
	PQfinish(x.wr);

	j->agg = x.agg;
	free(ql);
	free(qp);
	free(loans.v);
	free(pays.v);
	free(used);
	free(x.rec);
	free(x.m);
	buf_free(&x.out);
	pos_free(&x.l);
	return NULL;
}

void
mart_build(PGconn *w, const char *conninfo, const char *snapshot, int jobs,
    long long lo, long long hi, int32_t asof, const char *busy_sql,
    struct mart_stats *st)
{
	struct job j[MART_MAX_JOBS];
	struct aggmap *all = ecalloc(1, sizeof *all);
	int err;

	if (snapshot[strspn(snapshot, "0123456789ABCDEFabcdef-")] != '\0')
		die(EX_SOFTWARE, "unexpected snapshot id '%s'", snapshot);
	if (jobs < 1 || jobs > MART_MAX_JOBS)
		die(EX_SOFTWARE, "internal error: %d jobs", jobs);
	if (lo > hi)		/* no loans: one range catches the orphans */
		jobs = 1;
	if (busy_sql != NULL && !PQsendQuery(w, busy_sql))
		db_die(w, NULL, "mart");
	for (int k = 0; k < jobs; k++) {
		j[k] = (struct job){.conninfo = conninfo, .snapshot = snapshot, .asof = asof};
		mart_range(lo, hi, k, jobs, &j[k].from, &j[k].to);
		if ((err = pthread_create(&j[k].tid, NULL, job_run, &j[k])) != 0)
			die(EX_OSERR, "cannot start a thread: %s", strerror(err));
	}
	st_init(st);
	for (int k = 0; k < jobs; k++) {
		if ((err = pthread_join(j[k].tid, NULL)) != 0)
			die(EX_OSERR, "cannot join a thread: %s", strerror(err));
		st->loans += j[k].st.loans;
		st->payments += j[k].st.payments;
		st->orphans += j[k].st.orphans;
		st->months += j[k].st.months;
		if (j[k].st.first_month != POS_NODATE &&
		    (st->first_month == POS_NODATE || j[k].st.first_month < st->first_month))
			st->first_month = j[k].st.first_month;
		agg_merge(all, j[k].agg);
		agg_free(j[k].agg);
		free(j[k].agg);
	}
	if (busy_sql != NULL) {
		PGresult *r;

		while ((r = PQgetResult(w)) != NULL) {
			if (PQresultStatus(r) != PGRES_COMMAND_OK)
				db_die(w, r, "mart");
			PQclear(r);
		}
	}
	copy_aggs(w, all);
	agg_free(all);
	free(all);
}
