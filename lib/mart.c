/* mart.c - build-mart's streaming engine (see mart.h). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "copyout.h"
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

/*
 * Monthly measures per (month, amount key).  Months are indexes y*12+m-1;
 * the amount key is the half-bin 2*bin + (amount not exactly 1000*bin), so
 * the aggregates keep the loans of a round amount apart (mart.month_bin's
 * on_grid).  A cell holds the measures and the roll matrix's 30 from/to
 * counts side by side (a loan-month touches one place in memory).  The
 * common cells (months 1970..2169, keys below 2 048 = amounts below
 * 1 024 000) live in a grid allocated a month at a time; the rest in a hash
 * table (open addressing).  Vintages go to a hash of their own.
 */
enum { A_ACTIVE, A_OVERDUE, A_OUT, A_OOUT, A_ARR, A_D1, A_D2, A_D3, A_D4,
	A_FLOW, A_LATE, A_FAMT, A_LPAID, A_P30, A_P90, A_PREVO, A_CURED,
	A_ISSN, A_ISSK, A_N };
#define R_N 30			/* roll cells: from bucket * 6 + to state */
#define ST_CLOSED 5		/* to state "closed"; 0..4 are the DPD buckets */
#define GRID_BASE (1970 * 12)
#define GRID_MONTHS (200 * 12)
#define GRID_KEYS 2048

struct cell {
	int64_t v[A_N];
	int32_t roll[R_N];
};

struct agg {
	int32_t month, key;
	int used;
	struct cell c;
};

/* (vintage month, amount key, first month-on-book with dpd > 30) -> loans */
struct vcell {
	int32_t vintage, key, mob;
	int used;
	int64_t n;
};

struct vmap {
	struct vcell *t;
	size_t cap, n;
};

struct aggmap {
	struct agg *t;
	size_t cap, n;
	struct cell *row[GRID_MONTHS];	/* GRID_KEYS cells each, or NULL */
	struct vmap vint;
};

static uint64_t
mix3(int32_t a, int32_t b, int32_t c)
{
	uint64_t x = ((uint64_t)(uint32_t)a << 32) | (uint32_t)b;

	x ^= (uint64_t)(uint32_t)c * UINT64_C(0x9e3779b97f4a7c15);
	x ^= x >> 33;
	x *= UINT64_C(0xff51afd7ed558ccd);
	x ^= x >> 33;
	return x;
}

static struct agg *
agg_get(struct aggmap *a, int32_t m, int32_t k)
{
	size_t i;

	if (2 * (a->n + 1) > a->cap) {
		size_t cap = a->cap ? 2 * a->cap : 1024;
		struct agg *old = a->t;
		size_t ocap = a->cap;

		a->t = ecalloc(cap, sizeof *a->t);
		a->cap = cap;
		a->n = 0;
		for (size_t j = 0; j < ocap; j++)
			if (old[j].used) {
				struct agg *e = agg_get(a, old[j].month, old[j].key);

				e->c = old[j].c;
			}
		free(old);
	}
	for (i = mix3(m, k, 0) & (a->cap - 1); a->t[i].used; i = (i + 1) & (a->cap - 1))
		if (a->t[i].month == m && a->t[i].key == k)
			return &a->t[i];
	a->t[i].used = 1;
	a->t[i].month = m;
	a->t[i].key = k;
	a->n++;
	return &a->t[i];
}

static int
in_grid(int32_t m, int32_t k)
{
	return m - GRID_BASE >= 0 && m - GRID_BASE < GRID_MONTHS && k >= 0 && k < GRID_KEYS;
}

/* The cell of month index m and amount key k. */
static struct cell *
cell_at(struct aggmap *a, int32_t m, int32_t k)
{
	int32_t r = m - GRID_BASE;

	if (in_grid(m, k)) {
		if (a->row[r] == NULL)
			a->row[r] = ecalloc(GRID_KEYS, sizeof *a->row[r]);
		return &a->row[r][k];
	}
	return &agg_get(a, m, k)->c;
}

static void
vint_add(struct vmap *v, int32_t vintage, int32_t k, int32_t mob, int64_t n)
{
	size_t i;

	if (2 * (v->n + 1) > v->cap) {
		struct vmap g = {ecalloc(v->cap ? 2 * v->cap : 1024, sizeof *g.t),
		    v->cap ? 2 * v->cap : 1024, 0};

		for (size_t j = 0; j < v->cap; j++)
			if (v->t[j].used)
				vint_add(&g, v->t[j].vintage, v->t[j].key, v->t[j].mob, v->t[j].n);
		free(v->t);
		*v = g;
	}
	for (i = mix3(vintage, k, mob) & (v->cap - 1); v->t[i].used; i = (i + 1) & (v->cap - 1))
		if (v->t[i].vintage == vintage && v->t[i].key == k && v->t[i].mob == mob) {
			v->t[i].n += n;
			return;
		}
	v->t[i] = (struct vcell){vintage, k, mob, 1, n};
	v->n++;
}

static int
empty(const int64_t *v, const int32_t *roll)
{
	for (int i = 0; i < A_N; i++)
		if (v != NULL && v[i] != 0)
			return 0;
	for (int i = 0; i < R_N; i++)
		if (roll != NULL && roll[i] != 0)
			return 0;
	return 1;
}

static void
cell_add(struct cell *d, const struct cell *c)
{
	for (int i = 0; i < A_N; i++)
		d->v[i] += c->v[i];
	for (int i = 0; i < R_N; i++)
		d->roll[i] += c->roll[i];
}

/* Add every cell of src to dst. */
static void
agg_merge(struct aggmap *dst, const struct aggmap *src)
{
	for (int32_t r = 0; r < GRID_MONTHS; r++)
		for (int32_t k = 0; src->row[r] != NULL && k < GRID_KEYS; k++)
			if (!empty(src->row[r][k].v, src->row[r][k].roll))
				cell_add(cell_at(dst, r + GRID_BASE, k), &src->row[r][k]);
	for (size_t i = 0; i < src->cap; i++)
		if (src->t[i].used)
			cell_add(cell_at(dst, src->t[i].month, src->t[i].key), &src->t[i].c);
	for (size_t i = 0; i < src->vint.cap; i++)
		if (src->vint.t[i].used)
			vint_add(&dst->vint, src->vint.t[i].vintage, src->vint.t[i].key,
			    src->vint.t[i].mob, src->vint.t[i].n);
}

static void
agg_free(struct aggmap *a)
{
	for (int32_t r = 0; r < GRID_MONTHS; r++)
		free(a->row[r]);
	free(a->t);
	free(a->vint.t);
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

/* A snapshot's state: -1 not started, 0..4 the DPD bucket when active, 5 closed. */
static int
month_state(const struct pos_month *m)
{
	switch (m->status) {
	case POS_NOT_STARTED: return -1;
	case POS_CLOSED: return ST_CLOSED;
	case POS_CURRENT: return 0;
	default: return m->dpd <= 30 ? 1 : m->dpd <= 60 ? 2 : m->dpd <= 90 ? 3 : 4;
	}
}

static int32_t
month_index(int32_t day)
{
	int y, mo, d;

	date_to_civil(day, &y, &mo, &d);
	return y * 12 + mo - 1;
}

/*
 * Add one loan's month-end snapshots to the aggregates: the monthly
 * measures, its transitions (roll matrix, cure rate), its issue month and
 * its vintage (the first month-on-book with dpd > 30).
 */
static void
add_months_to_agg(struct ctx *x, int32_t first, size_t n, int64_t amount, int32_t start)
{
	int32_t bin = (int32_t)(amount / 100000);
	int32_t key = 2 * bin + (amount % 100000 != 0);
	int32_t m0 = month_index(first), sm = month_index(start);
	int prev = -1;
	long first30 = -1;

	for (size_t i = 0; i < n; i++) {
		const struct pos_month *m = &x->m[i];
		int st = month_state(m);
		int active = st >= 0 && st < ST_CLOSED;
		struct cell *c;
		int64_t *a;

		if (active && first30 < 0 && m0 + (int32_t)i >= sm && m->dpd > 30)
			first30 = (long)(m0 + (int32_t)i - sm);
		if (!active && m->flow == 0 && !(prev >= 0 && prev < ST_CLOSED)) {
			prev = st;
			continue;
		}
		c = cell_at(x->agg, m0 + (int32_t)i, key);
		a = c->v;
		if (prev >= 0 && prev < ST_CLOSED && st >= 0)
			c->roll[prev * 6 + st]++;
		if (prev >= 1 && prev < ST_CLOSED) {	/* overdue at M-1 */
			a[A_PREVO]++;
			a[A_CURED] += st == 0 || st == ST_CLOSED;
		}
		prev = st;
		if (active) {
			a[A_ACTIVE]++;
			a[A_OUT] += m->outstanding;
			a[A_ARR] += m->arrears;
			if (m->dpd > 30)
				a[A_P30] += m->outstanding;
			if (m->dpd > 90)
				a[A_P90] += m->outstanding;
		}
		if (m->status == POS_OVERDUE) {
			a[A_OVERDUE]++;
			a[A_OOUT] += m->outstanding;
			a[A_D1 + st - 1]++;
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
	if (start <= x->asof) {
		int64_t *a = cell_at(x->agg, sm, key)->v;

		a[A_ISSN]++;
		a[A_ISSK] += amount;
		vint_add(&x->agg->vint, sm, key, (int32_t)first30, 1);
	}
}

static void
do_loan(struct ctx *x, struct copyrow *lr, struct copyrows *pays, char *used)
{
	char **f = lr->f;
	int64_t amount = copyout_money(f[L_AMOUNT], "loan_amount");
	int64_t n64;
	size_t nrec = 0, nm;
	struct position p;
	int32_t first, birth;

	if (parse_int64(f[L_N], 0, 100000, &n64) != 0)
		die(EX_DATAERR, "core: bad payment_numbers '%s'", f[L_N]);
	x->l.start = copyout_date(f[L_START], "loan_start_date");
	x->l.n = (int32_t)n64;
	x->l.pa = copyout_money(f[L_PA], "paid_amount");
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
		r->date = copyout_date(pf[P_DATE], "payment_date");
		r->fact = tsv_is_null(pf[P_FACT], strlen(pf[P_FACT])) ? POS_NODATE
		    : copyout_date(pf[P_FACT], "payment_fact_date");
		r->amount = copyout_money(pf[P_AMOUNT], "paid_fact_amount");
	}
	x->st->payments += (long long)nrec;
	x->l.rec = x->rec;
	x->l.nrec = nrec;
	pos_prepare(&x->l);
	pos_at(&x->l, x->asof, &p);
	nm = pos_months(&x->l, x->asof, &first, &x->m, &x->cap_m);
	add_months_to_agg(x, first, nm, amount, x->l.start);
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
	    : copyout_date(f[L_BIRTH], "birth_date");
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
put_month(struct buf *b, int32_t month)
{
	char d[DATE_BUFSZ];

	buf_put(b, d, date_format(date_from_civil(month / 12, month % 12 + 1, 1), d));
}

/* month, amount_bin, on_grid of key k */
static void
put_key(struct buf *b, int32_t month, int32_t k)
{
	put_month(b, month);
	buf_printf(b, "\t%d\t%c", (int)(k / 2), k % 2 ? 'f' : 't');
}

static void
put_agg(struct buf *b, int32_t month, int32_t k, const int64_t *v)
{
	put_key(b, month, k);
	for (int i = 0; i < A_N; i++)
		buf_printf(b, "\t%lld", (long long)v[i]);
	buf_putc(b, '\n');
}

static void
put_roll(struct buf *b, int32_t month, int32_t k, const int32_t *v)
{
	for (int i = 0; i < R_N; i++)
		if (v[i] != 0) {
			put_key(b, month, k);
			buf_printf(b, "\t%d\t%d\t%ld\n", i / 6, i % 6, (long)v[i]);
		}
}

static void
copy_aggs(PGconn *w, const struct aggmap *agg)
{
	struct buf b = BUF_INIT;

	db_copy_begin(w, "mart.month_bin", sql_text("mart/copy_month_bin.sql"));
	for (int32_t r = 0; r < GRID_MONTHS; r++)
		for (int32_t k = 0; agg->row[r] != NULL && k < GRID_KEYS; k++) {
			const int64_t *v = agg->row[r][k].v;

			if (!empty(v, NULL))
				put_agg(&b, r + GRID_BASE, k, v);
			if (b.len >= FLUSH_AT) {
				db_copy_put(w, "mart.month_bin", b.p, b.len);
				buf_reset(&b);
			}
		}
	for (size_t i = 0; i < agg->cap; i++)
		if (agg->t[i].used && !empty(agg->t[i].c.v, NULL))
			put_agg(&b, agg->t[i].month, agg->t[i].key, agg->t[i].c.v);
	db_copy_put(w, "mart.month_bin", b.p, b.len);
	db_copy_end(w, "mart.month_bin", NULL);
	buf_reset(&b);

	db_copy_begin(w, "mart.roll_bin", sql_text("mart/copy_roll_bin.sql"));
	for (int32_t r = 0; r < GRID_MONTHS; r++)
		for (int32_t k = 0; agg->row[r] != NULL && k < GRID_KEYS; k++) {
			put_roll(&b, r + GRID_BASE, k, agg->row[r][k].roll);
			if (b.len >= FLUSH_AT) {
				db_copy_put(w, "mart.roll_bin", b.p, b.len);
				buf_reset(&b);
			}
		}
	for (size_t i = 0; i < agg->cap; i++)
		if (agg->t[i].used)
			put_roll(&b, agg->t[i].month, agg->t[i].key, agg->t[i].c.roll);
	db_copy_put(w, "mart.roll_bin", b.p, b.len);
	db_copy_end(w, "mart.roll_bin", NULL);
	buf_reset(&b);

	db_copy_begin(w, "mart.vintage_bin", sql_text("mart/copy_vintage_bin.sql"));
	for (size_t i = 0; i < agg->vint.cap; i++) {
		const struct vcell *c = &agg->vint.t[i];

		if (!c->used)
			continue;
		put_key(&b, c->vintage, c->key);
		buf_printf(&b, "\t%d\t%lld\n", (int)c->mob, (long long)c->n);
		if (b.len >= FLUSH_AT) {
			db_copy_put(w, "mart.vintage_bin", b.p, b.len);
			buf_reset(&b);
		}
	}
	db_copy_put(w, "mart.vintage_bin", b.p, b.len);
	db_copy_end(w, "mart.vintage_bin", NULL);
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
	struct copyout lr = {0}, pr = {0};
	struct copyrows loans = {0}, pays = {0};
	char *used = NULL, *ql, *qp;
	size_t cap_used = 0;
	PGconn *rl = reader_connect(j, "read core.loans_current");
	PGconn *rp = reader_connect(j, "read core.payments_current");

	pthread_mutex_lock(&j->started->mu);
	j->started->n++;
	pthread_cond_signal(&j->started->cv);
	pthread_mutex_unlock(&j->started->mu);

	x.wr = db_connect(j->conninfo);
	st_init(&j->st);
	ql = mart_range_sql(sql_text("mart/read_loans.sql"), j->from, j->to);
	qp = mart_range_sql(sql_text("mart/read_payments.sql"), j->from, j->to);
	copyout_start(&lr, rl, "read core.loans_current", ql, L_NF);
	copyout_start(&pr, rp, "read core.payments_current", qp, P_NF);
	db_copy_begin(x.wr, "mart.loan", sql_text("mart/copy_loan.sql"));

	/* merge both streams by client_id; a client's rows are kept until done */
	while (lr.row != NULL || pr.row != NULL) {
		long long cid = lr.row == NULL ? pr.cid : pr.row == NULL ? lr.cid
		    : (lr.cid < pr.cid ? lr.cid : pr.cid);

		while (lr.row != NULL && lr.cid == cid) {
			copyrows_take(&loans, &lr);
		}
		while (pr.row != NULL && pr.cid == cid) {
			copyrows_take(&pays, &pr);
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
		copyrows_clear(&loans);
		copyrows_clear(&pays);
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
	copyrows_free(&loans);
	copyrows_free(&pays);
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
	struct started started = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0};
	struct aggmap *all = ecalloc(1, sizeof *all);
	int err;

	if (snapshot[strspn(snapshot, "0123456789ABCDEFabcdef-")] != '\0')
		die(EX_SOFTWARE, "unexpected snapshot id '%s'", snapshot);
	if (jobs < 1 || jobs > MART_MAX_JOBS)
		die(EX_SOFTWARE, "internal error: %d jobs", jobs);
	if (lo > hi)		/* no loans: one range catches the orphans */
		jobs = 1;
	for (int k = 0; k < jobs; k++) {
		j[k] = (struct job){.started = &started, .conninfo = conninfo,
		    .snapshot = snapshot, .asof = asof};
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
	if (busy_sql != NULL && !PQsendQuery(w, busy_sql))
		db_die(w, NULL, "mart");
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
