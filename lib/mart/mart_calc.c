/* mart_calc.c - the per-client computation and the signed sums (see mart_calc.h). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "db/db.h"
#include "mart/mart_calc.h"
#include "money.h"
#include "db/sql.h"
#include "tsv.h"
#include "util.h"

#define FLUSH_AT (1u << 20)

/*
 * Monthly measures per (month, amount key).  Months are indexes y*12+m-1;
 * the amount key is the half-bin 2*bin + (amount not exactly 1000*bin), so
 * the aggregates keep the loans of a round amount apart (mart.month_bin's
 * on_grid).  A cell holds the measures and the roll matrix's 30 from/to
 * counts side by side (a loan-month touches one place in memory).  The
 * common cells (months 1970..2169, keys below 2 048 = amounts below
 * 1 024 000) live in a grid allocated a month at a time; the rest in a hash
 * table (open addressing).  Vintages go to a hash of their own.  Every
 * value is a signed sum: the incremental build adds contributions of -1.
 *
 * The full build's threads share one map (one grid: ~0.5 MB a month of
 * history, where a map per thread plus their sum took three times that): a
 * grid cell is updated under its month's lock, the hash and the vintages
 * under the map's own; a loan-month takes one lock at a time.
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

/*
 * (vintage month, amount key, first month-on-book with dpd > 30) -> loans;
 * 16 bytes: a million loans fill ~430 k of them.
 */
struct vcell {
	int32_t vintage, key;
	int16_t mob;
	int8_t used;
	int32_t n;
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
	int shared;			/* updated by several threads: lock */
	pthread_mutex_t mu;		/* the hash t and vint */
	pthread_mutex_t row_mu[GRID_MONTHS];	/* row[r] and its cells */
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

static void
lock(pthread_mutex_t *mu)
{
	int err = pthread_mutex_lock(mu);

	if (err != 0)
		die(EX_SOFTWARE, "internal error: pthread_mutex_lock: %s", strerror(err));
}

static void
unlock(pthread_mutex_t *mu)
{
	int err = pthread_mutex_unlock(mu);

	if (err != 0)
		die(EX_SOFTWARE, "internal error: pthread_mutex_unlock: %s", strerror(err));
}

/*
 * The cell of month index m and amount key k, for the caller alone until
 * cell_give(a, m, k).
 */
static struct cell *
cell_take(struct aggmap *a, int32_t m, int32_t k)
{
	int32_t r = m - GRID_BASE;

	if (in_grid(m, k)) {
		if (a->shared)
			lock(&a->row_mu[r]);
		if (a->row[r] == NULL)
			a->row[r] = ecalloc(GRID_KEYS, sizeof *a->row[r]);
		return &a->row[r][k];
	}
	if (a->shared)
		lock(&a->mu);
	return &agg_get(a, m, k)->c;	/* valid until the next agg_get */
}

static void
cell_give(struct aggmap *a, int32_t m, int32_t k)
{
	if (a->shared)
		unlock(in_grid(m, k) ? &a->row_mu[m - GRID_BASE] : &a->mu);
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
			v->t[i].n += (int32_t)n;
			return;
		}
	v->t[i] = (struct vcell){vintage, k, (int16_t)mob, 1, (int32_t)n};
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

struct aggmap *
agg_new(int shared)
{
	struct aggmap *a = ecalloc(1, sizeof *a);
	int err = 0;

	a->shared = shared;
	if (shared) {
		err = pthread_mutex_init(&a->mu, NULL);
		for (int r = 0; r < GRID_MONTHS && err == 0; r++)
			err = pthread_mutex_init(&a->row_mu[r], NULL);
	}
	if (err != 0)
		die(EX_OSERR, "pthread_mutex_init: %s", strerror(err));
	return a;
}

void
agg_free(struct aggmap *a)
{
	if (a == NULL)
		return;
	for (int32_t r = 0; r < GRID_MONTHS; r++) {
		free(a->row[r]);
		if (a->shared)
			pthread_mutex_destroy(&a->row_mu[r]);
	}
	if (a->shared)
		pthread_mutex_destroy(&a->mu);
	free(a->t);
	free(a->vint.t);
	free(a);
}

void
mart_stats_init(struct mart_stats *st)
{
	memset(st, 0, sizeof *st);
	st->first_month = POS_NODATE;
}

void
mart_stats_add(struct mart_stats *a, const struct mart_stats *b)
{
	a->loans += b->loans;
	a->payments += b->payments;
	a->orphans += b->orphans;
	a->months += b->months;
	if (b->first_month != POS_NODATE &&
	    (a->first_month == POS_NODATE || b->first_month < a->first_month))
		a->first_month = b->first_month;
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
 * What one loan gives one cell: a month-end snapshot (with the state at the
 * one before), or its issue.
 */
struct contrib {
	int64_t outstanding, arrears, late_paid, amount;
	int32_t month, key, dpd;
	int8_t st, prev;	/* month_state() now and at the snapshot before (-1: none) */
	uint8_t status, flow, issued;
};

static void
contrib_apply(struct cell *c, const struct contrib *k, int64_t s)
{
	int64_t *a = c->v;
	int st = k->st, prev = k->prev;

	if (k->issued) {
		a[A_ISSN] += s;
		a[A_ISSK] += s * k->amount;
		return;
	}
	if (prev >= 0 && prev < ST_CLOSED && st >= 0)
		c->roll[prev * 6 + st] += (int32_t)s;
	if (prev >= 1 && prev < ST_CLOSED) {	/* overdue at M-1 */
		a[A_PREVO] += s;
		a[A_CURED] += s * (st == 0 || st == ST_CLOSED);
	}
	if (st >= 0 && st < ST_CLOSED) {	/* active */
		a[A_ACTIVE] += s;
		a[A_OUT] += s * k->outstanding;
		a[A_ARR] += s * k->arrears;
		if (k->dpd > 30)
			a[A_P30] += s * k->outstanding;
		if (k->dpd > 90)
			a[A_P90] += s * k->outstanding;
	}
	if (k->status == POS_OVERDUE) {
		a[A_OVERDUE] += s;
		a[A_OOUT] += s * k->outstanding;
		a[A_D1 + st - 1] += s;
	}
	if (k->flow) {
		a[A_FLOW] += s;
		a[A_FAMT] += s * k->amount;
	}
	if (k->flow == 2) {
		a[A_LATE] += s;
		a[A_LPAID] += s * k->late_paid;
	}
}

/*
 * A thread's contributions to a shared map, held per month row until
 * PEND_N of them take the row's lock once (a lock per loan-month cost more
 * than the computation: the threads' rows bounce between the cores).
 */
#define PEND_N 256

struct pending {
	struct contrib *row[GRID_MONTHS];	/* PEND_N each, when first used */
	uint16_t n[GRID_MONTHS];
	struct vcell vint[PEND_N];		/* the loans' vintages, likewise */
	unsigned nvint;
};

static void
flush_row(struct mart_calc *x, int32_t r)
{
	struct aggmap *a = x->agg;
	struct pending *p = x->pend;

	if (p->n[r] == 0)
		return;
	lock(&a->row_mu[r]);
	if (a->row[r] == NULL)
		a->row[r] = ecalloc(GRID_KEYS, sizeof *a->row[r]);
	for (unsigned i = 0; i < p->n[r]; i++)
		contrib_apply(&a->row[r][p->row[r][i].key], &p->row[r][i], x->sign);
	unlock(&a->row_mu[r]);
	p->n[r] = 0;
}

static void
put(struct mart_calc *x, const struct contrib *k)
{
	struct pending *p = x->pend;
	int32_t r = k->month - GRID_BASE;

	if (p == NULL || !in_grid(k->month, k->key)) {
		contrib_apply(cell_take(x->agg, k->month, k->key), k, x->sign);
		cell_give(x->agg, k->month, k->key);
		return;
	}
	if (p->row[r] == NULL)
		p->row[r] = emalloc(PEND_N * sizeof *p->row[r]);
	p->row[r][p->n[r]++] = *k;
	if (p->n[r] == PEND_N)
		flush_row(x, r);
}

static void
flush_vint(struct mart_calc *x)
{
	struct pending *p = x->pend;

	if (p->nvint == 0)
		return;
	lock(&x->agg->mu);
	for (unsigned i = 0; i < p->nvint; i++)
		vint_add(&x->agg->vint, p->vint[i].vintage, p->vint[i].key, p->vint[i].mob,
		    p->vint[i].n);
	unlock(&x->agg->mu);
	p->nvint = 0;
}

static void
put_vint(struct mart_calc *x, int32_t vintage, int32_t key, int32_t mob)
{
	struct pending *p = x->pend;

	if (p == NULL) {
		vint_add(&x->agg->vint, vintage, key, mob, x->sign);
		return;
	}
	p->vint[p->nvint++] = (struct vcell){vintage, key, (int16_t)mob, 1, x->sign};
	if (p->nvint == PEND_N)
		flush_vint(x);
}

void
mart_calc_flush(struct mart_calc *x)
{
	struct pending *p = x->pend;

	if (p == NULL)
		return;
	for (int32_t r = 0; r < GRID_MONTHS; r++)
		flush_row(x, r);
	flush_vint(x);
}

/*
 * Add one loan's month-end snapshots to the aggregates, times x->sign: the
 * monthly measures, its transitions (roll matrix, cure rate), its issue
 * month and its vintage (the first month-on-book with dpd > 30).
 */
static void
add_months_to_agg(struct mart_calc *x, int32_t first, size_t n, int64_t amount, int32_t start)
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
		struct contrib k;

		if (active && first30 < 0 && m0 + (int32_t)i >= sm && m->dpd > 30)
			first30 = (long)(m0 + (int32_t)i - sm);
		if (!active && m->flow == 0 && !(prev >= 0 && prev < ST_CLOSED)) {
			prev = st;
			continue;
		}
		k = (struct contrib){.outstanding = m->outstanding, .arrears = m->arrears,
		    .late_paid = m->late_paid, .amount = amount, .month = m0 + (int32_t)i,
		    .key = key, .dpd = m->dpd, .st = (int8_t)st, .prev = (int8_t)prev,
		    .status = m->status, .flow = m->flow};
		put(x, &k);
		prev = st;
	}
	if (start <= x->asof) {
		struct contrib k = {.amount = amount, .month = sm, .key = key, .st = -1,
		    .prev = -1, .issued = 1};

		put(x, &k);
		put_vint(x, sm, key, (int32_t)first30);
	}
}

static void
do_loan(struct mart_calc *x, const struct copyrow *lr, const struct copyrows *pays)
{
	char *const *f = lr->f;
	int64_t amount = copyout_money(f[L_AMOUNT], "loan_amount");
	int64_t n64;
	size_t nrec = 0, nm;
	struct position p;
	int32_t first, birth, last_rec = POS_NODATE;
	struct buf *o = x->rows;

	if (parse_int64(f[L_N], 0, 100000, &n64) != 0)
		die(EX_DATAERR, "core: bad payment_numbers '%s'", f[L_N]);
	x->l.start = copyout_date(f[L_START], "loan_start_date");
	x->l.n = (int32_t)n64;
	x->l.pa = copyout_money(f[L_PA], "paid_amount");
	for (size_t i = 0; i < pays->n; i++) {
		char *const *pf = pays->v[i].f;
		struct pos_rec *r;
		int64_t num;

		if (x->used[i] || strcmp(pf[P_NAME], f[L_NAME]) != 0)
			continue;
		x->used[i] = 1;
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
		if (last_rec == POS_NODATE || r->date > last_rec)
			last_rec = r->date;
	}
	x->st.payments += (long long)nrec;
	x->l.rec = x->rec;
	x->l.nrec = nrec;
	pos_prepare(&x->l);
	pos_at(&x->l, x->asof, &p);
	nm = pos_months(&x->l, x->asof, &first, &x->m, &x->cap_m);
	add_months_to_agg(x, first, nm, amount, x->l.start);
	x->st.loans++;
	x->st.months += (long long)nm;
	if (x->st.first_month == POS_NODATE || date_month_start(x->l.start) < x->st.first_month)
		x->st.first_month = date_month_start(x->l.start);
	if (o == NULL)
		return;

	/* mart.loan row, in the column order of sql/mart/copy_loan.sql */
	put_field(o, f[L_CID]);
	put_field(o, f[L_NAME]);
	put_field(o, f[L_AMOUNT]);
	buf_printf(o, "%lld\t", (long long)(amount / 100000));
	put_field(o, f[L_START]);
	put_field(o, f[L_END]);
	put_field(o, f[L_N]);
	put_field(o, f[L_PA]);
	put_field(o, pos_status_name(p.status));
	buf_printf(o, "%d\t", (int)p.dpd);
	put_field(o, pos_dpd_bucket(p.dpd));
	put_money(o, p.arrears);
	put_money(o, p.outstanding);
	put_date(o, p.oldest_due);
	put_field(o, f[L_GENDER]);
	birth = tsv_is_null(f[L_BIRTH], strlen(f[L_BIRTH])) ? POS_NODATE
	    : copyout_date(f[L_BIRTH], "birth_date");
	put_field(o, pos_age_band(birth, x->asof));
	put_field(o, f[L_EDU]);
	put_field(o, f[L_KIDS]);
	put_field(o, f[L_JOB]);
	put_field(o, f[L_FAMILY]);
	put_field(o, f[L_REGION]);
	put_date(o, nm ? first : POS_NODATE);
	put_date(o, last_rec);
	for (int k = 0; k < 5; k++)
		put_array(o, x->m, nm, k, k == 4);
}

void
mart_calc_init(struct mart_calc *x, int32_t asof, int sign, struct aggmap *agg, struct buf *rows)
{
	memset(x, 0, sizeof *x);
	x->asof = asof;
	x->sign = sign;
	x->agg = agg;
	x->rows = rows;
	if (agg->shared)
		x->pend = ecalloc(1, sizeof *x->pend);
	mart_stats_init(&x->st);
}

void
mart_calc_client(struct mart_calc *x, const struct copyrows *loans, const struct copyrows *pays)
{
	if (pays->n > x->cap_used) {
		x->cap_used = pays->cap > pays->n ? pays->cap : pays->n;
		x->used = erealloc(x->used, x->cap_used);
	}
	if (pays->n)
		memset(x->used, 0, pays->n);
	for (size_t i = 0; i < loans->n; i++)
		do_loan(x, &loans->v[i], pays);
	for (size_t i = 0; i < pays->n; i++)
		x->st.orphans += !x->used[i];
}

void
mart_calc_free(struct mart_calc *x)
{
	free(x->rec);
	free(x->m);
	free(x->used);
	pos_free(&x->l);
	if (x->pend != NULL) {
		for (int32_t r = 0; r < GRID_MONTHS; r++) {
			if (x->pend->n[r] != 0)
				die(EX_SOFTWARE, "internal error: contributions not flushed");
			free(x->pend->row[r]);
		}
		if (x->pend->nvint != 0)
			die(EX_SOFTWARE, "internal error: contributions not flushed");
		free(x->pend);
		x->pend = NULL;
	}
	x->rec = NULL;
	x->m = NULL;
	x->used = NULL;
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

/*
 * Where agg_write's rows of one table go: COPY on w to table (sent a MB at
 * a time), or, w NULL, the buffer b (agg_text).
 */
struct sink {
	PGconn *w;
	const char *table;
	struct buf *b;
};

static void
sink_begin(struct sink *k, PGconn *w, const char *file, const char *table, struct buf *b)
{
	*k = (struct sink){w, table, b};
	if (w != NULL) {
		const char *sub[] = {"TABLE", table, NULL};
		char *q = mart_sql(sql_text(file), sub);

		db_copy_begin(w, table, q);
		free(q);
	}
}

static void
sink_check(struct sink *k)
{
	if (k->w != NULL && k->b->len >= FLUSH_AT) {
		db_copy_put(k->w, k->table, k->b->p, k->b->len);
		buf_reset(k->b);
	}
}

static void
sink_end(struct sink *k)
{
	if (k->w != NULL) {
		db_copy_put(k->w, k->table, k->b->p, k->b->len);
		db_copy_end(k->w, k->table, NULL);
		buf_reset(k->b);
	}
}

static void
agg_write(PGconn *w, const struct aggmap *agg, const char *const *table, struct buf **out)
{
	struct buf own = BUF_INIT;
	struct sink k;

	sink_begin(&k, w, "mart/copy_month_bin.sql", w ? table[0] : NULL, w ? &own : out[0]);
	for (int32_t r = 0; r < GRID_MONTHS; r++)
		for (int32_t c = 0; agg->row[r] != NULL && c < GRID_KEYS; c++) {
			const int64_t *v = agg->row[r][c].v;

			if (!empty(v, NULL))
				put_agg(k.b, r + GRID_BASE, c, v);
			sink_check(&k);
		}
	for (size_t i = 0; i < agg->cap; i++)
		if (agg->t[i].used && !empty(agg->t[i].c.v, NULL))
			put_agg(k.b, agg->t[i].month, agg->t[i].key, agg->t[i].c.v);
	sink_end(&k);

	sink_begin(&k, w, "mart/copy_roll_bin.sql", w ? table[1] : NULL, w ? &own : out[1]);
	for (int32_t r = 0; r < GRID_MONTHS; r++)
		for (int32_t c = 0; agg->row[r] != NULL && c < GRID_KEYS; c++) {
			put_roll(k.b, r + GRID_BASE, c, agg->row[r][c].roll);
			sink_check(&k);
		}
	for (size_t i = 0; i < agg->cap; i++)
		if (agg->t[i].used)
			put_roll(k.b, agg->t[i].month, agg->t[i].key, agg->t[i].c.roll);
	sink_end(&k);

	sink_begin(&k, w, "mart/copy_vintage_bin.sql", w ? table[2] : NULL, w ? &own : out[2]);
	for (size_t i = 0; i < agg->vint.cap; i++) {
		const struct vcell *c = &agg->vint.t[i];

		if (!c->used || c->n == 0)
			continue;
		put_key(k.b, c->vintage, c->key);
		buf_printf(k.b, "\t%d\t%lld\n", (int)c->mob, (long long)c->n);
		sink_check(&k);
	}
	sink_end(&k);
	buf_free(&own);
}

void
agg_copy(PGconn *w, const struct aggmap *agg, const char *month_bin,
    const char *roll_bin, const char *vintage_bin)
{
	const char *table[3] = {month_bin, roll_bin, vintage_bin};

	agg_write(w, agg, table, NULL);
}

void
agg_text(const struct aggmap *agg, struct buf *month_bin, struct buf *roll_bin,
    struct buf *vintage_bin)
{
	struct buf *out[3] = {month_bin, roll_bin, vintage_bin};

	agg_write(NULL, agg, NULL, out);
}
