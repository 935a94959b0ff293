/*
 * t_mart.c - build-mart's pieces without a database: the SQL templates
 * (mart_sql), the client ranges, and the signed per-client computation the
 * incremental build rests on -- a client added and taken away again leaves
 * nothing, the order of the clients does not matter, a shared map (the full
 * build's threads) sums exactly what a private one does.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "db/copyout.h"
#include "date.h"
#include "mart/mart.h"
#include "mart/mart_calc.h"
#include "position.h"
#include "tap.h"
#include "util.h"

/* --- rows as read_loans.sql / read_payments.sql would give them ---------- */

struct client {
	struct copyrows loans, pays;
};

static void
add_row(struct copyrows *rs, const char *const *f, int n)
{
	struct copyrow r = {0};

	for (int i = 0; i < n; i++)
		r.f[i] = (char *)f[i];
	if (rs->n == rs->cap) {
		rs->cap = rs->cap ? 2 * rs->cap : 8;
		rs->v = ereallocarray(rs->v, rs->cap, sizeof *rs->v);
	}
	rs->v[rs->n++] = r;
}

static void
loan(struct client *c, const char *cid, const char *name, const char *amount,
    const char *start, const char *n, const char *pa, const char *birth, const char *region)
{
	const char *f[L_NF] = {cid, name, amount, start, "2030-01-01", n, pa, "Мужчина",
	    birth, "Высшее", "1", "Найм", "\\N", region};

	add_row(&c->loans, f, L_NF);
}

static void
pay(struct client *c, const char *cid, const char *name, const char *num,
    const char *date, const char *fact, const char *amount)
{
	const char *f[P_NF] = {cid, name, num, date, fact, amount};

	add_row(&c->pays, f, P_NF);
}

static void
client_free(struct client *c)
{
	free(c->loans.v);
	free(c->pays.v);
}

/* lines of b, sorted (a hash's order is no order) */
static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *
sorted(struct buf *b)
{
	char **line = NULL, *s, *save = NULL;
	size_t n = 0;
	struct buf o = BUF_INIT;

	buf_cstr(b);
	for (s = strtok_r(b->p, "\n", &save); s != NULL; s = strtok_r(NULL, "\n", &save)) {
		line = ereallocarray(line, n + 1, sizeof *line);
		line[n++] = s;
	}
	if (n)
		qsort(line, n, sizeof *line, cmp_str);
	for (size_t i = 0; i < n; i++) {
		buf_puts(&o, line[i]);
		buf_putc(&o, '\n');
	}
	free(line);
	buf_cstr(&o);
	return o.p != NULL ? o.p : estrdup("");
}

/* every aggregate row of a map, in one sorted text */
static char *
text(const struct aggmap *a)
{
	struct buf m = BUF_INIT, r = BUF_INIT, v = BUF_INIT, all = BUF_INIT;
	char *sm, *sr, *sv;

	agg_text(a, &m, &r, &v);
	sm = sorted(&m);
	sr = sorted(&r);
	sv = sorted(&v);
	buf_printf(&all, "# month_bin\n%s# roll_bin\n%s# vintage_bin\n%s", sm, sr, sv);
	buf_cstr(&all);
	free(sm);
	free(sr);
	free(sv);
	buf_free(&m);
	buf_free(&r);
	buf_free(&v);
	return all.p;
}

/* clients c[0..n) with sign into a, as of asof; their loan rows to rows */
static void
run(struct aggmap *a, int sign, const char *asof, struct client *c, const int *order, int n,
    struct buf *rows)
{
	struct mart_calc x;
	int32_t d;

	date_parse(asof, strlen(asof), &d);
	mart_calc_init(&x, d, sign, a, rows);
	for (int i = 0; i < n; i++)
		mart_calc_client(&x, &c[order[i]].loans, &c[order[i]].pays);
	mart_calc_flush(&x);
	mart_calc_free(&x);
}

static void
die_stray(const char *tmpl)
{
	const char *sub[] = {"LO", "1", NULL};

	free(mart_sql(tmpl, sub));
}

int
main(void)
{
	char err[512];

	setprogname("t_mart");

	/* --- mart_sql ------------------------------------------------------ */
	{
		const char *sub[] = {"TABLE", "mart.loan_next", "SIGN", "-1", NULL};
		char *q = mart_sql("INSERT INTO @TABLE@ SELECT @SIGN@ * n, '***@' || substring(e FROM '@([^@]+)$') "
		    "FROM t WHERE x = '@lower@' AND y = '@'", sub);

		is_str(q, "INSERT INTO mart.loan_next SELECT -1 * n, '***@' || substring(e FROM '@([^@]+)$') "
		    "FROM t WHERE x = '@lower@' AND y = '@'",
		    "mart_sql: @NAME@ replaced, every other '@' kept");
		free(q);
		q = mart_range_sql("BETWEEN @LO@ AND @HI@", INT64_MIN, 42);
		is_str(q, "BETWEEN '-9223372036854775808'::bigint AND '42'::bigint",
		    "mart_range_sql: quoted bigint literals, INT64_MIN too");
		free(q);
		is_int(tap_child(die_stray, "WHERE a = @LO@ AND b = @HI@", err, sizeof err), EX_SOFTWARE,
		    "an @NAME@ without a value is an internal error");
		err[strcspn(err, "\n")] = '\0';
		ok(strstr(err, "@HI@") != NULL, "... naming it: %s", err);
	}

	/* --- mart_range: the ranges cover every client_id once ------------- */
	{
		long long f, t, prev = 0;
		int gaps = 0;

		for (int k = 0; k < 3; k++) {
			mart_range(10, 99, k, 3, &f, &t);
			if (k == 0)
				gaps += f != INT64_MIN;
			else
				gaps += f != prev + 1;
			prev = t;
		}
		is_int(gaps, 0, "mart_range: consecutive ranges from INT64_MIN");
		is_int(prev, INT64_MAX, "... to INT64_MAX");
	}

	/* --- the signed computation ------------------------------------------ */
	{
		struct client c[3] = {0}, c2 = {0};
		const int abc[] = {0, 1, 2}, cba[] = {2, 1, 0}, a_only[] = {0}, bc[] = {1, 2};
		struct aggmap *m1 = agg_new(0), *m2 = agg_new(0), *m3 = agg_new(1), *m4 = agg_new(0);
		struct buf r1 = BUF_INIT, r2 = BUF_INIT;
		char *t1, *t2, *t3, *t4;

		/* A: a loan paid late then not at all; a second one closed early */
		loan(&c[0], "1", "A-1", "150000.50", "2023-01-31", "6", "26000.00", "1990-05-05", "Москва");
		pay(&c[0], "1", "A-1", "1", "2023-01-31", "2023-02-20", "26000.00");
		pay(&c[0], "1", "A-1", "2", "2023-02-28", "2023-02-28", "20000.00");
		pay(&c[0], "1", "A-1", "3", "2023-03-31", "\\N", "\\N");
		loan(&c[0], "1", "A-2", "50000.00", "2023-03-10", "2", "25500.00", "1990-05-05", "Москва");
		pay(&c[0], "1", "A-2", "1", "2023-03-10", "2023-03-01", "51000.00");
		/* B: on time; C: starts after the date, and an orphan record */
		loan(&c[1], "2", "B-1", "1000000.00", "2022-11-15", "12", "90000.00", "\\N", "\\N");
		pay(&c[1], "2", "B-1", "1", "2022-11-15", "2022-11-15", "90000.00");
		pay(&c[1], "2", "B-1", "2", "2022-12-15", "2022-12-14", "90000.00");
		loan(&c[2], "3", "C-1", "75000.00", "2023-07-01", "3", "25000.00", "1960-07-01", "Казань");
		pay(&c[2], "3", "X-9", "1", "2023-01-01", "2023-01-01", "1.00");

		run(m1, 1, "2023-05-15", c, abc, 3, &r1);
		run(m2, 1, "2023-05-15", c, cba, 3, &r2);
		t1 = text(m1);
		t2 = text(m2);
		ok(strstr(t1, "# roll_bin\n20") != NULL && strstr(t1, "# vintage_bin\n20") != NULL,
		    "the portfolio fills all three tables");
		is_str(t2, t1, "the clients' order does not change the sums");
		{
			char *s1 = sorted(&r1), *s2 = sorted(&r2);

			is_str(s2, s1, "... nor the loan rows");
			ok(strstr(s1, "\tA-1\t150000.50\t150\t") != NULL, "a loan row: its amount and bin");
			free(s1);
			free(s2);
		}

		/* A taken away from A+B+C: exactly B+C, no zero row left over */
		run(m1, -1, "2023-05-15", c, a_only, 1, NULL);
		run(m4, 1, "2023-05-15", c, bc, 2, NULL);
		free(t1);
		t1 = text(m1);
		t4 = text(m4);
		is_str(t1, t4, "sign -1 takes a client's contributions away exactly");

		/* the threads' shared map, held contributions flushed: the same sums */
		run(m3, 1, "2023-05-15", c, abc, 3, NULL);
		t3 = text(m3);
		is_str(t3, t2, "a shared map sums what a private one does");

		/* A's old state away, its new state in (a payoff): as if built anew */
		loan(&c2, "1", "A-1", "150000.50", "2023-01-31", "6", "26000.00", "1990-05-05", "Москва");
		pay(&c2, "1", "A-1", "1", "2023-01-31", "2023-02-20", "26000.00");
		pay(&c2, "1", "A-1", "2", "2023-02-28", "2023-02-28", "20000.00");
		pay(&c2, "1", "A-1", "3", "2023-03-31", "2023-05-02", "110000.00");
		loan(&c2, "1", "A-2", "50000.00", "2023-03-10", "2", "25500.00", "1990-05-05", "Москва");
		pay(&c2, "1", "A-2", "1", "2023-03-10", "2023-03-01", "51000.00");
		{
			struct aggmap *inc = agg_new(0), *full = agg_new(0);
			struct client all[3] = {c2, c[1], c[2]};
			char *ti, *tf;

			run(inc, 1, "2023-05-15", c, abc, 3, NULL);
			run(inc, -1, "2023-05-15", c, a_only, 1, NULL);
			run(inc, 1, "2023-05-15", all, a_only, 1, NULL);
			run(full, 1, "2023-05-15", all, abc, 3, NULL);
			ti = text(inc);
			tf = text(full);
			is_str(ti, tf, "old state out, new state in = the full computation");
			ok(strcmp(ti, t3) != 0, "(control) the payoff changed the sums");
			free(ti);
			free(tf);
			agg_free(inc);
			agg_free(full);
		}
		free(t1);
		free(t2);
		free(t3);
		free(t4);
		buf_free(&r1);
		buf_free(&r2);
		agg_free(m1);
		agg_free(m2);
		agg_free(m3);
		agg_free(m4);
		for (int i = 0; i < 3; i++)
			client_free(&c[i]);
		client_free(&c2);
	}
	return done_testing();
}
