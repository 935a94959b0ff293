/* dash.c - the dashboard page and its data (see dash.h, web/README.md). */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "db/copyout.h"
#include "base64.h"
#include "report/dash.h"
#include "db/db.h"
#include "json/jsonout.h"
#include "db/sql.h"
#include "util.h"

#define MAXCOLS 24

/* One table of the page data, column-wise: a JSON array per column. */
struct cols {
	int n;
	const char *const *names;
	struct buf col[MAXCOLS];
	long long rows;
};

static void
cols_row(struct cols *t, char **f)
{
	for (int i = 0; i < t->n; i++) {
		buf_putc(&t->col[i], t->rows ? ',' : '[');
		buf_puts(&t->col[i], f[i]);
	}
	t->rows++;
}

/* "name":[...],... of every column, freeing them. */
static void
cols_end(struct cols *t, struct buf *b)
{
	for (int i = 0; i < t->n; i++) {
		if (i)
			buf_putc(b, ',');
		json_cstr(b, t->names[i]);
		buf_putc(b, ':');
		if (t->rows == 0)
			buf_putc(b, '[');
		buf_put(b, t->col[i].p, t->col[i].len);
		buf_putc(b, ']');
		buf_free(&t->col[i]);
	}
}

/*
 * Run a COPY ... TO STDOUT of integer columns; skip the first `skip`
 * fields of each row (handled by row_cb when given) and append the rest to t.
 */
static void
copy_cols(PGconn *c, const char *what, const char *sql, struct cols *t, int skip,
    void (*row_cb)(void *, char **), void *arg)
{
	PGresult *r = PQexec(c, sql);
	char *p, *f[MAXCOLS + 4];
	int n;

	if (r == NULL || PQresultStatus(r) != PGRES_COPY_OUT)
		db_die(c, r, what);
	PQclear(r);
	while ((n = PQgetCopyData(c, &p, 0)) > 0) {
		if (copyout_split(p, n, f, MAXCOLS + 4) != skip + t->n)
			die(EX_SOFTWARE, "%s: unexpected row shape", what);
		if (row_cb != NULL)
			row_cb(arg, f);
		cols_row(t, f + skip);
		PQfreemem(p);
	}
	if (n != -1)
		db_die(c, NULL, what);
	while ((r = PQgetResult(c)) != NULL) {
		if (PQresultStatus(r) != PGRES_COMMAND_OK)
			db_die(c, r, what);
		PQclear(r);
	}
}

/* The breakdowns: per attribute its values and a table indexing them. */
struct attrs {
	struct buf *b;
	struct cols t;
	struct buf values, value;
	char attr[64], idx[24];
	long nvalues;
	int nattr;
};

static void
attr_flush(struct attrs *a)
{
	if (a->attr[0] == '\0')
		return;
	if (a->nattr++)
		buf_putc(a->b, ',');
	json_cstr(a->b, a->attr);
	buf_puts(a->b, ":{\"values\":[");
	buf_put(a->b, a->values.p, a->values.len);
	buf_puts(a->b, "],");
	cols_end(&a->t, a->b);
	buf_putc(a->b, '}');
	buf_reset(&a->values);
	a->t.rows = 0;
	a->nvalues = 0;
}

/* A row "attribute value k a o": a new attribute or value starts a new entry. */
static void
attr_row(void *arg, char **f)
{
	struct attrs *a = arg;

	if (strcmp(f[0], a->attr) != 0) {
		attr_flush(a);
		snprintf(a->attr, sizeof a->attr, "%s", f[0]);
	}
	if (a->nvalues == 0 || strcmp(f[1], buf_cstr(&a->value)) != 0) {
		if (a->nvalues++)
			buf_putc(&a->values, ',');
		json_cstr(&a->values, f[1]);
		buf_reset(&a->value);
		buf_puts(&a->value, f[1]);
	}
	snprintf(a->idx, sizeof a->idx, "%ld", a->nvalues - 1);
	f[1] = a->idx;		/* the value's index goes into column "x" */
}

static void
put_init(struct buf *b, const struct dash_opts *o)
{
	buf_puts(b, "\"init\":{\"bucket\":[");
	if (o->buckets != NULL) {
		const char *s = o->buckets;
		int n = 0;

		while (*s) {
			size_t len = strcspn(s, ",");
			char name[32];

			snprintf(name, sizeof name, "%.*s", (int)(len < 31 ? len : 31), s);
			if (n++)
				buf_putc(b, ',');
			json_cstr(b, name);
			s += len + (s[len] == ',');
		}
	}
	buf_puts(b, "],\"min\":");
	if (o->min)
		json_cstr(b, o->min);
	else
		json_null(b);
	buf_puts(b, ",\"max\":");
	if (o->max)
		json_cstr(b, o->max);
	else
		json_null(b);
	buf_putc(b, '}');
}

static void
put_loans(PGconn *c, struct buf *b)
{
	static const char *const names[] = {
		"client_id", "fio", "region", "phone", "loan_name", "loan_amount",
		"dpd", "dpd_bucket", "arrears", "outstanding"
	};
	char all[24], per[24];
	const char *p[2] = {all, per};
	PGresult *r;
	int n, limited;
	struct buf k = BUF_INIT;

	snprintf(all, sizeof all, "%d", DASH_ALL_LOANS);
	snprintf(per, sizeof per, "%d", DASH_PER_BUCKET);
	r = PQexecParams(c, sql_text("mart/dash_loans.sql"), 2, NULL, p, NULL, NULL, 0);
	if (r == NULL || PQresultStatus(r) != PGRES_TUPLES_OK)
		db_die(c, r, "dashboard loans");
	n = PQntuples(r);
	limited = n > 0 && strtoll(PQgetvalue(r, 0, 11), NULL, 10) > DASH_ALL_LOANS;
	buf_puts(b, "\"loans\":{\"limit\":");
	if (limited)
		buf_puts(b, per);
	else
		json_null(b);
	buf_puts(b, ",\"total\":");
	buf_puts(b, n > 0 ? PQgetvalue(r, 0, 11) : "0");
	buf_puts(b, ",\"cols\":[");
	for (int i = 0; i < 10; i++) {
		if (i)
			buf_putc(b, ',');
		json_cstr(b, names[i]);
	}
	buf_puts(b, "],\"rows\":[");
	for (int i = 0; i < n; i++) {
		buf_puts(b, i ? ",[" : "[");
		for (int j = 0; j < 10; j++) {
			if (j)
				buf_putc(b, ',');
			json_cstr(b, PQgetvalue(r, i, j));
		}
		buf_putc(b, ']');
		buf_putc(&k, i ? ',' : '[');
		buf_puts(&k, PQgetvalue(r, i, 10));
	}
	buf_puts(b, "],\"k\":");
	buf_puts(b, n ? buf_cstr(&k) : "[");
	buf_puts(b, "]}");
	buf_free(&k);
	PQclear(r);
}

void
dash_data(PGconn *c, const struct dash_opts *o, struct buf *b)
{
	static const char *const mb[] = {
		"m", "k", "a", "o", "out", "d1", "d2", "d3", "d4", "p30", "p90",
		"fl", "fll", "po", "cu", "in"
	};
	static const char *const last[] = {"m", "k", "out", "oout", "arr", "p30", "p90", "ik"};
	static const char *const roll[] = {"k", "f", "t", "n"};
	static const char *const vint[] = {"v", "k", "f", "n"};
	static const char *const attr[] = {"x", "k", "a", "o"};
	struct cols t = {0};
	struct attrs a = {.b = b, .t = {4, attr, {BUF_INIT}, 0}};
	PGresult *r = db_exec(c, "read mart.build_info", sql_text("mart/dash_info.sql"),
	    PGRES_TUPLES_OK);

	if (PQntuples(r) != 1)
		die(EX_UNAVAILABLE, "the mart is not built: run build-mart (make mart)");
	/* one consistent mart for every query (build-mart swaps it in one transaction) */
	buf_puts(b, "{\"v\":1,\"as_of\":");
	json_cstr(b, PQgetvalue(r, 0, 0));
	buf_puts(b, ",\"built_at\":");
	json_cstr(b, PQgetvalue(r, 0, 1));
	buf_puts(b, ",\"first_month\":");
	if (PQgetisnull(r, 0, 2))
		json_null(b);
	else
		json_cstr(b, PQgetvalue(r, 0, 2));
	buf_puts(b, ",\"months\":");
	buf_puts(b, PQgetvalue(r, 0, 3));
	PQclear(r);
	buf_putc(b, ',');
	put_init(b, o);

	buf_puts(b, ",\"mb\":{");
	t = (struct cols){16, mb, {BUF_INIT}, 0};
	copy_cols(c, "dashboard month bins", sql_text("mart/dash_month_bin.sql"), &t, 0, NULL, NULL);
	cols_end(&t, b);
	buf_puts(b, "},\"last\":{");
	t = (struct cols){8, last, {BUF_INIT}, 0};
	copy_cols(c, "dashboard tiles", sql_text("mart/dash_last.sql"), &t, 0, NULL, NULL);
	cols_end(&t, b);
	buf_puts(b, "},\"roll\":{");
	t = (struct cols){4, roll, {BUF_INIT}, 0};
	copy_cols(c, "dashboard roll matrix", sql_text("mart/dash_roll.sql"), &t, 0, NULL, NULL);
	cols_end(&t, b);
	buf_puts(b, "},\"vint\":{");
	t = (struct cols){4, vint, {BUF_INIT}, 0};
	copy_cols(c, "dashboard vintages", sql_text("mart/dash_vintage.sql"), &t, 0, NULL, NULL);
	cols_end(&t, b);
	buf_puts(b, "},\"attr\":{");
	copy_cols(c, "dashboard breakdowns", sql_text("mart/dash_attr.sql"), &a.t, 1, attr_row, &a);
	attr_flush(&a);
	buf_free(&a.values);
	buf_free(&a.value);
	buf_puts(b, "},");
	put_loans(c, b);
	buf_puts(b, "}\n");
}

/* gzip + base64 of in[0..n) to out, streaming. */
static void
put_gzip_base64(const char *in, size_t n, FILE *out)
{
	z_stream z = {0};
	unsigned char zbuf[1 << 16], carry[3];
	char b64[(sizeof zbuf + 3) / 3 * 4 + 8];
	size_t nc = 0;
	int rc;

	if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		die(EX_SOFTWARE, "cannot start gzip compression");
	z.next_in = (unsigned char *)(uintptr_t)in;
	do {
		size_t got, whole;

		z.avail_in = n > (1u << 30) ? 1u << 30 : (unsigned)n;
		n -= z.avail_in;
		do {
			unsigned char tmp[sizeof zbuf + 3];

			z.next_out = zbuf;
			z.avail_out = sizeof zbuf;
			rc = deflate(&z, n == 0 ? Z_FINISH : Z_NO_FLUSH);
			if (rc == Z_STREAM_ERROR)
				die(EX_SOFTWARE, "gzip compression failed");
			got = sizeof zbuf - z.avail_out;
			/* the bytes left from the last round first: base64 works in threes */
			memcpy(tmp, carry, nc);
			memcpy(tmp + nc, zbuf, got);
			got += nc;
			whole = got - got % 3;
			if (rc == Z_STREAM_END)
				whole = got;
			efwrite(b64, base64_encode(tmp, whole, b64), out);
			nc = got - whole;
			memcpy(carry, tmp + whole, nc);
		} while (z.avail_out == 0 && rc != Z_STREAM_END);
	} while (n > 0);
	if (rc != Z_STREAM_END)
		die(EX_SOFTWARE, "gzip compression did not finish");
	deflateEnd(&z);
}

void
dash_page(const char *tmpl, const char *css, const char *js,
    const char *json, size_t json_len, FILE *out)
{
	static const char *const mark[] = {"/*@CSS@*/", "/*@JS@*/", "@DATA@"};
	const char *p = tmpl;

	/* our own sources go in raw: they must not close their element */
	if (strstr(css, "</style") != NULL || strstr(js, "</script") != NULL)
		die(EX_SOFTWARE, "internal error: a page source closes its element");
	for (;;) {
		const char *at = NULL;
		int which = -1;

		for (int i = 0; i < 3; i++) {
			const char *m = strstr(p, mark[i]);

			if (m != NULL && (at == NULL || m < at)) {
				at = m;
				which = i;
			}
		}
		if (at == NULL) {
			efwrite(p, strlen(p), out);
			return;
		}
		efwrite(p, (size_t)(at - p), out);
		if (which == 0)
			efwrite(css, strlen(css), out);
		else if (which == 1)
			efwrite(js, strlen(js), out);
		else
			put_gzip_base64(json, json_len, out);
		p = at + strlen(mark[which]);
	}
}

void
dash_write(PGconn *c, const struct dash_opts *o, FILE *out)
{
	struct buf b = BUF_INIT;

	/* every query in one snapshot: a concurrent build-mart cannot mix marts */
	db_run(c, "dashboard", "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
	dash_data(c, o, &b);
	db_run(c, "dashboard", "COMMIT");
	dash_page(web_text("dashboard.html"), web_text("dashboard.css"),
	    web_text("dashboard.js"), b.p, b.len, out);
	buf_free(&b);
}
