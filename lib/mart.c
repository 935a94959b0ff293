/* mart.c - build-mart's streaming engine (see mart.h). */
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

/* Monthly measures per (month, amount bin): open addressing. */
struct agg {
	int32_t month, bin;
	int used;
	int64_t v[13];
};
enum { A_ACTIVE, A_OVERDUE, A_OUT, A_OOUT, A_ARR, A_D1, A_D2, A_D3, A_D4,
	A_FLOW, A_LATE, A_FAMT, A_LPAID };

struct aggmap {
	struct agg *t;
	size_t cap, n;
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
		    a->cap ? 2 * a->cap : 1024, 0};

		for (size_t k = 0; k < a->cap; k++)
			if (a->t[k].used) {
				struct agg *e = agg_get(&g, a->t[k].month, a->t[k].bin);

				memcpy(e->v, a->t[k].v, sizeof e->v);
			}
		free(a->t);
		*a = g;
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

struct ctx {
	PGconn *w;
	int32_t asof;
	struct buf pay, out;	/* COPY buffers: mart.payment_next, mart.loan_next */
	FILE *loans;		/* mart.loan_next rows, copied in after the payments */
	struct aggmap agg;
	struct pos_rec *rec;
	size_t cap_rec;
	struct pos_loan l;
	struct pos_month *m;
	size_t cap_m;
	struct mart_stats *st;
};

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

/* "{a,b,c}" of one member of the month snapshots */
static void
put_array(struct buf *b, const struct pos_month *m, size_t n, int which, int last)
{
	buf_putc(b, '{');
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_putc(b, ',');
		switch (which) {
		case 0: buf_printf(b, "%d", m[i].status); break;
		case 1: buf_printf(b, "%d", (int)m[i].dpd); break;
		case 2: buf_printf(b, "%lld", (long long)m[i].outstanding); break;
		case 3: buf_printf(b, "%lld", (long long)m[i].arrears); break;
		default: buf_printf(b, "%d", m[i].flow); break;
		}
	}
	buf_putc(b, '}');
	buf_putc(b, last ? '\n' : '\t');
}

static void
add_months_to_agg(struct ctx *x, int32_t first, size_t n, int64_t amount)
{
	int32_t bin = (int32_t)(amount / 100000);

	for (size_t i = 0; i < n; i++) {
		const struct pos_month *m = &x->m[i];
		int active = m->status == POS_CURRENT || m->status == POS_OVERDUE;
		struct agg *a;

		if (!active && m->flow == 0)
			continue;
		a = agg_get(&x->agg, date_add_months(first, (int)i), bin);
		if (active) {
			a->v[A_ACTIVE]++;
			a->v[A_OUT] += m->outstanding;
			a->v[A_ARR] += m->arrears;
		}
		if (m->status == POS_OVERDUE) {
			a->v[A_OVERDUE]++;
			a->v[A_OOUT] += m->outstanding;
			a->v[m->dpd <= 30 ? A_D1 : m->dpd <= 60 ? A_D2 : m->dpd <= 90 ? A_D3 : A_D4]++;
		}
		if (m->flow) {
			a->v[A_FLOW]++;
			a->v[A_FAMT] += amount;
		}
		if (m->flow == 2) {
			a->v[A_LATE]++;
			a->v[A_LPAID] += m->late_paid;
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
		/* mart.payment: the record as it is, with the seed's flag as of D */
		for (int k = 0; k < P_NF; k++)
			put_field(&x->pay, pf[k]);
		buf_puts(&x->pay, pos_flag(r, x->l.pa, x->asof) ? "t\n" : "f\n");
	}
	if (x->pay.len >= FLUSH_AT) {
		db_copy_put(x->w, "mart.payment", x->pay.p, x->pay.len);
		buf_reset(&x->pay);
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
		efwrite(x->out.p, x->out.len, x->loans);
		buf_reset(&x->out);
	}
}

static void
copy_file_in(PGconn *w, const char *what, const char *sql, FILE *fp)
{
	char b[1 << 16];
	size_t n;

	if (fflush(fp) == EOF || fseek(fp, 0, SEEK_SET) != 0)
		die(EX_IOERR, "temporary file:");
	db_copy_begin(w, what, sql);
	while ((n = fread(b, 1, sizeof b, fp)) > 0)
		db_copy_put(w, what, b, n);
	if (ferror(fp))
		die(EX_IOERR, "temporary file:");
	db_copy_end(w, what, NULL);
}

static void
copy_aggs(struct ctx *x)
{
	struct buf b = BUF_INIT;
	char d[DATE_BUFSZ];

	db_copy_begin(x->w, "mart.month_bin", sql_text("mart/copy_month_bin.sql"));
	for (size_t i = 0; i < x->agg.cap; i++) {
		const struct agg *a = &x->agg.t[i];

		if (!a->used)
			continue;
		date_format(a->month, d);
		buf_printf(&b, "%s\t%d", d, (int)a->bin);
		for (int k = 0; k < 13; k++)
			buf_printf(&b, "\t%lld", (long long)a->v[k]);
		buf_putc(&b, '\n');
		if (b.len >= FLUSH_AT) {
			db_copy_put(x->w, "mart.month_bin", b.p, b.len);
			buf_reset(&b);
		}
	}
	db_copy_put(x->w, "mart.month_bin", b.p, b.len);
	db_copy_end(x->w, "mart.month_bin", NULL);
	buf_free(&b);
}

void
mart_build(PGconn *w, PGconn *rl, PGconn *rp, int32_t asof, struct mart_stats *st)
{
	struct ctx x = {.w = w, .asof = asof, .st = st};
	struct reader lr = {0}, pr = {0};
	struct rows loans = {0}, pays = {0};
	char *used = NULL;
	size_t cap_used = 0;

	memset(st, 0, sizeof *st);
	st->first_month = POS_NODATE;
	if ((x.loans = tmpfile()) == NULL)
		die(EX_CANTCREAT, "temporary file:");
	reader_start(&lr, rl, "read core.loans_current", sql_text("mart/read_loans.sql"), L_NF);
	reader_start(&pr, rp, "read core.payments_current", sql_text("mart/read_payments.sql"), P_NF);
	db_copy_begin(w, "mart.payment", sql_text("mart/copy_payment.sql"));

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
			st->orphans += !used[i];
		rows_clear(&loans);
		rows_clear(&pays);
	}
	db_copy_put(w, "mart.payment", x.pay.p, x.pay.len);
	db_copy_end(w, "mart.payment", NULL);
	efwrite(x.out.p, x.out.len, x.loans);
	copy_file_in(w, "mart.loan", sql_text("mart/copy_loan.sql"), x.loans);
	copy_aggs(&x);

	if (fclose(x.loans) == EOF)
		die(EX_IOERR, "temporary file:");
	free(loans.v);
	free(pays.v);
	free(used);
	free(x.rec);
	free(x.m);
	free(x.agg.t);
	buf_free(&x.pay);
	buf_free(&x.out);
	pos_free(&x.l);
}
