/* overdue-report - the monthly overdue share, portfolio analytics, per-loan positions, breakdowns, charts and the dashboard, from the mart. */
#include <getopt.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report/chart.h"
#include "report/dash.h"
#include "date.h"
#include "db/db.h"
#include "money.h"
#include "position.h"
#include "report/report.h"
#include "report/series.h"
#include "db/sql.h"
#include "report/termwidth.h"
#include "util.h"

#define SYNOPSIS "overdue-report [-d conninfo] [--loans | --by attribute | --roll-rates | --vintage] " \
    "[--as-of YYYY-MM-DD] [--min-amount X] [--max-amount Y] [--bucket name] " \
    "[--format table|tsv|csv|json|html|svg] [--chart name]"

static const char help[] =
    "usage: " SYNOPSIS "\n"
    "Print, from the mart and as of the date it was built for, the monthly\n"
    "overdue share and portfolio analytics (default), per-loan positions\n"
    "(--loans), the overdue share by a client attribute (--by), the roll\n"
    "matrix (--roll-rates) or vintage curves (--vintage), for loans whose\n"
    "amount is in a range; or the whole dashboard as one HTML file\n"
    "(--format html), or one chart as SVG (--format svg).\n"
    "  -l, --loans             per-loan positions\n"
    "  -b, --by ATTRIBUTE      gender, age_band, education, count_of_children,\n"
    "                          job_type, family_status or region\n"
    "  -r, --roll-rates        loans by DPD bucket at M-1 and their state at M\n"
    "  -v, --vintage           ever-30+ share by start month and months on book\n"
    "  -a, --as-of DATE        check that the mart is built as of DATE\n"
    "  -m, --min-amount X      loan_amount >= X\n"
    "  -M, --max-amount Y      loan_amount <= Y\n"
    "  -B, --bucket NAME       lt50k, 50k-100k, 100k-500k or ge500k (html: a\n"
    "                          comma-separated list of them)\n"
    "  -f, --format FORMAT     table (default on a terminal), tsv (default\n"
    "                          otherwise), csv, json, html (the dashboard; the\n"
    "                          filter options set its initial filter) or svg\n"
    "  -c, --chart NAME        with svg: share (default), late, buckets, par,\n"
    "                          vintage, roll or cure\n"
    "  -d, --dbname CONN       libpq conninfo (default: PG* variables)\n"
    "  -h, --help, -V, --version\n";

static const char *const attrs[] = {
	"gender", "age_band", "education", "count_of_children", "job_type",
	"family_status", "region", NULL
};

/* the table format's column types and the order columns are left out in */
static const enum coltype monthly_types[SERIES_MONTHLY_NCOL] = {
	COL_TEXT, COL_NUM, COL_NUM, COL_SHARE, COL_MONEY, COL_MONEY, COL_SHARE, COL_MONEY,
	COL_NUM, COL_NUM, COL_NUM, COL_NUM, COL_SHARE, COL_SHARE, COL_SHARE, COL_SHARE,
	COL_MONEY
};
/* the table's short headings; left out first: issued_amount, late_share, the DPD
 * buckets from the mildest, cure_rate, par90_share, arrears, overdue_outstanding,
 * par30_share, outstanding, par_share, active_loans, overdue_loans (month and
 * overdue_share, the bar's, stay) */
static const char *const monthly_heads[SERIES_MONTHLY_NCOL] = {
	"month", "active", "overdue", "share", "outstanding", "overdue_out", "par",
	"arrears", "dpd1-30", "dpd31-60", "dpd61-90", "dpd91+", "late", "par30",
	"par90", "cure", "issued"
};
/* dpd_bucket, loan_name, status, outstanding, loan_amount, dpd, arrears */
static const int loan_drop[] = {5, 1, 3, 7, 2, 4, 6, -1};
static const int monthly_drop[] = {16, 12, 8, 9, 10, 15, 14, 11, 7, 5, 13, 4, 6, 1, 2, -1};
static const enum coltype roll_types[SERIES_ROLL_NCOL] = {
	COL_TEXT, COL_TEXT, COL_NUM, COL_NUM, COL_NUM, COL_NUM, COL_NUM, COL_NUM, COL_NUM
};
static const enum coltype vintage_types[SERIES_VINTAGE_NCOL] = {
	COL_TEXT, COL_NUM, COL_NUM, COL_NUM, COL_SHARE
};
static const char *const loan_cols[] = {
	"client_id", "loan_name", "loan_amount", "status", "dpd", "dpd_bucket",
	"arrears", "outstanding"
};
static const enum coltype loan_types[] = {
	COL_NUM, COL_TEXT, COL_MONEY, COL_TEXT, COL_NUM, COL_TEXT, COL_MONEY, COL_MONEY
};
static const char *const by_cols[] = {"value", "active_loans", "overdue_loans", "overdue_share"};
static const enum coltype by_types[] = {COL_TEXT, COL_NUM, COL_NUM, COL_SHARE};

enum mode { M_MONTHLY, M_LOANS, M_BY, M_ROLL, M_VINTAGE };
enum { F_HTML = 100, F_SVG };

static int64_t
num(PGresult *r, int col)
{
	int64_t v;

	if (parse_int64(PQgetvalue(r, 0, col), INT64_MIN, INT64_MAX, &v) != 0)
		die(EX_SOFTWARE, "unexpected number '%s' from the mart", PQgetvalue(r, 0, col));
	return v;
}

/* Send a parameterized query and read it one row at a time. */
static void
send(PGconn *c, const char *sql, int n, const char *const *p)
{
	if (!PQsendQueryParams(c, sql, n, NULL, p, NULL, NULL, 0) || !PQsetSingleRowMode(c))
		db_die(c, NULL, "report");
}

static PGresult *
next_row(PGconn *c)
{
	PGresult *r = PQgetResult(c);

	if (r == NULL)
		return NULL;
	if (PQresultStatus(r) == PGRES_SINGLE_TUPLE)
		return r;
	if (PQresultStatus(r) != PGRES_TUPLES_OK)
		db_die(c, r, "report");
	PQclear(r);
	while ((r = PQgetResult(c)) != NULL)
		PQclear(r);
	return NULL;
}

static void
print_loans(PGconn *c, struct table *t, const struct amount_filter *f)
{
	char lo[MONEY_BUFSZ], hi[MONEY_BUFSZ];
	const char *p[2] = {lo, hi};
	PGresult *r;

	money_format(f->lo, lo);
	money_format(f->hi, hi);
	t->ncol = 8;
	t->names = loan_cols;
	t->types = loan_types;
	t->drop = loan_drop;
	table_begin(t);
	send(c, sql_text("mart/report_loans.sql"), 2, p);
	while ((r = next_row(c)) != NULL) {
		const char *v[8];

		for (int i = 0; i < 8; i++)
			v[i] = PQgetvalue(r, 0, i);
		table_row(t, v);
		PQclear(r);
	}
	table_end(t);
}

static void
print_by(PGconn *c, struct table *t, const char *by, const struct series_params *sp)
{
	const char *tmpl = sql_text("mart/report_by.sql"), *at;
	const char *p[7] = {by, sp->p[0], sp->p[1], sp->p[2], sp->p[3], sp->p[4], sp->p[5]};
	struct buf q = BUF_INIT;
	PGresult *r;

	/* the attribute is a column name from the fixed list above */
	while ((at = strstr(tmpl, "@ATTR@")) != NULL) {
		buf_put(&q, tmpl, (size_t)(at - tmpl));
		buf_puts(&q, by);
		tmpl = at + 6;
	}
	buf_puts(&q, tmpl);
	t->ncol = 4;
	t->names = by_cols;
	t->types = by_types;
	table_begin(t);
	send(c, buf_cstr(&q), 7, p);
	while ((r = next_row(c)) != NULL) {
		char sh[SERIES_CELL];
		const char *v[4] = {PQgetvalue(r, 0, 0), PQgetvalue(r, 0, 1), PQgetvalue(r, 0, 2), sh};

		series_share(num(r, 2), num(r, 1), sh);
		table_row(t, v);
		PQclear(r);
	}
	table_end(t);
	buf_free(&q);
}

/* The TSV text of one series row, for print_rows(). */
typedef void rowtext(const void *row, char (*v)[SERIES_CELL]);
static void m_text(const void *r, char (*v)[SERIES_CELL]) { series_monthly_text(r, v); }
static void r_text(const void *r, char (*v)[SERIES_CELL]) { series_roll_text(r, v); }
static void v_text(const void *r, char (*v)[SERIES_CELL]) { series_vintage_text(r, v); }

/* Print the n rows (each size bytes) of a series through text(). */
static void
print_rows(struct table *t, const void *rows, size_t size, size_t n, rowtext *text)
{
	char cells[SERIES_MONTHLY_NCOL][SERIES_CELL];
	const char *v[SERIES_MONTHLY_NCOL];

	for (int i = 0; i < t->ncol; i++)
		v[i] = cells[i];
	table_begin(t);
	for (size_t i = 0; i < n; i++) {
		text((const char *)rows + i * size, cells);
		table_row(t, v);
	}
	table_end(t);
}

/* "loan_amount 50 000.00 – 99 999.99" for chart headings; "" for all loans */
static void
filter_text(const struct amount_filter *f, const char *bucket, char *out, size_t size)
{
	char lo[MONEY_BUFSZ], hi[MONEY_BUFSZ], a[MONEY_BUFSZ + 8], b[MONEY_BUFSZ + 8];

	*out = '\0';
	if (bucket != NULL) {
		snprintf(out, size, "bucket %s", bucket);
		return;
	}
	if (f->lo <= -MONEY_MAX && f->hi >= MONEY_MAX)
		return;
	money_format(f->lo, lo);
	money_format(f->hi, hi);
	report_thousands(lo, a, sizeof a);
	report_thousands(hi, b, sizeof b);
	snprintf(out, size, "loan_amount %s – %s", f->lo > -MONEY_MAX ? a : "",
	    f->hi < MONEY_MAX ? b : "");
}

static void
print_svg(PGconn *c, enum chart ch, const struct series_params *sp, const char *asof,
    const char *filter)
{
	struct chart_data d = {0};
	struct chart_opts o = {asof, *filter ? filter : NULL, 0};
	struct mrow *m = NULL;
	struct roll_row *r = NULL;
	struct vint_row *v = NULL;
	struct buf b = BUF_INIT;
	const char *lang = getenv("LC_ALL");

	if (lang == NULL || *lang == '\0')
		lang = getenv("LANG");
	o.en = lang != NULL && strncmp(lang, "en", 2) == 0;
	if (ch == CHART_ROLL)
		d.nr = series_roll(c, sp, &r);
	else if (ch == CHART_VINTAGE)
		d.nv = series_vintage(c, sp, &v);
	else
		d.nm = series_monthly(c, sp, &m);
	d.m = m;
	d.r = r;
	d.v = v;
	chart_svg(&b, ch, &d, &o);
	buf_flush(&b, stdout);
	buf_free(&b);
	free(m);
	free(r);
	free(v);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"loans", no_argument, NULL, 'l'},
		{"by", required_argument, NULL, 'b'},
		{"roll-rates", no_argument, NULL, 'r'},
		{"vintage", no_argument, NULL, 'v'},
		{"as-of", required_argument, NULL, 'a'},
		{"min-amount", required_argument, NULL, 'm'},
		{"max-amount", required_argument, NULL, 'M'},
		{"bucket", required_argument, NULL, 'B'},
		{"format", required_argument, NULL, 'f'},
		{"chart", required_argument, NULL, 'c'},
		{"dbname", required_argument, NULL, 'd'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0}
	};
	const char *conninfo = NULL, *by = NULL, *asof_arg = NULL, *min_arg = NULL, *max_arg = NULL;
	const char *bucket_arg = NULL, *chart_arg = NULL;
	int ch, fmt = -1, nmode = 0;
	enum mode mode = M_MONTHLY;
	enum chart chart = CHART_SHARE;
	int64_t min = 0, max = 0;
	struct amount_filter f = {-MONEY_MAX, MONEY_MAX}, bk;
	int32_t asof = 0;
	struct table t = {0};
	struct series_params sp;
	PGconn *c;
	PGresult *r;
	char asof_s[DATE_BUFSZ], built[64], ftext[160];

	setprogname(argv[0]);
	while ((ch = getopt_long(argc, argv, "lb:rva:m:M:B:f:c:d:hV", opts, NULL)) != -1) {
		switch (ch) {
		case 'l': mode = M_LOANS; nmode++; break;
		case 'r': mode = M_ROLL; nmode++; break;
		case 'v': mode = M_VINTAGE; nmode++; break;
		case 'b':
			by = NULL;
			for (int i = 0; attrs[i]; i++)
				if (strcmp(optarg, attrs[i]) == 0)
					by = attrs[i];	/* the fixed list's string, never optarg */
			if (by == NULL)
				usage_error(SYNOPSIS, "--by: unknown attribute '%s' (gender, age_band, "
				    "education, count_of_children, job_type, family_status, region)", optarg);
			mode = M_BY;
			nmode++;
			break;
		case 'a':
			if (strlen(optarg) != 10 || date_parse(optarg, 10, &asof) != 0)
				usage_error(SYNOPSIS, "--as-of: '%s' is not a date YYYY-MM-DD", optarg);
			asof_arg = optarg;
			break;
		case 'm':
			if (report_amount(optarg, &min) != 0)
				usage_error(SYNOPSIS, "--min-amount: '%s' is not an amount", optarg);
			min_arg = optarg;
			break;
		case 'M':
			if (report_amount(optarg, &max) != 0)
				usage_error(SYNOPSIS, "--max-amount: '%s' is not an amount", optarg);
			max_arg = optarg;
			break;
		case 'B': bucket_arg = optarg; break;
		case 'f':
			if (strcmp(optarg, "table") == 0) fmt = FMT_TABLE;
			else if (strcmp(optarg, "tsv") == 0) fmt = FMT_TSV;
			else if (strcmp(optarg, "csv") == 0) fmt = FMT_CSV;
			else if (strcmp(optarg, "json") == 0) fmt = FMT_JSON;
			else if (strcmp(optarg, "html") == 0) fmt = F_HTML;
			else if (strcmp(optarg, "svg") == 0) fmt = F_SVG;
			else usage_error(SYNOPSIS, "--format: unknown format '%s' (table, tsv, csv, "
			    "json, html, svg)", optarg);
			break;
		case 'c':
			if (chart_parse(optarg, &chart) != 0)
				usage_error(SYNOPSIS, "--chart: unknown chart '%s' (share, late, buckets, "
				    "par, vintage, roll, cure)", optarg);
			chart_arg = optarg;
			break;
		case 'd': conninfo = optarg; break;
		case 'h': print_help(help);
		case 'V': print_version();
		default: usage_error(SYNOPSIS, NULL);
		}
	}
	if (optind != argc)
		usage_error(SYNOPSIS, "unexpected argument '%s'", argv[optind]);
	if (nmode > 1)
		usage_error(SYNOPSIS, "--loans, --by, --roll-rates and --vintage exclude each other");
	if (min_arg && max_arg && min > max)
		usage_error(SYNOPSIS, "--min-amount %s is greater than --max-amount %s",
		    min_arg, max_arg);
	if ((fmt == F_HTML || fmt == F_SVG) && nmode > 0)
		usage_error(SYNOPSIS, "--format %s draws the monthly series: no --loans, --by, "
		    "--roll-rates or --vintage (see --chart)", fmt == F_HTML ? "html" : "svg");
	if (chart_arg != NULL && fmt != F_SVG)
		usage_error(SYNOPSIS, "--chart goes with --format svg");
	if (bucket_arg != NULL) {
		/* html: a comma-separated list (the page's toggles); else one bucket */
		char *list = estrdup(bucket_arg), *save = NULL;
		int n = 0;

		for (char *b = strtok_r(list, ",", &save); b; b = strtok_r(NULL, ",", &save), n++)
			if (report_bucket(b, &bk) != 0)
				usage_error(SYNOPSIS, "--bucket: unknown bucket '%s' (lt50k, 50k-100k, "
				    "100k-500k, ge500k)", b);
		free(list);
		if (n != 1 && fmt != F_HTML)
			usage_error(SYNOPSIS, "--bucket: one bucket (a list only with --format html)");
		if (n == 1)
			f = bk;
	}
	if (min_arg && min > f.lo)
		f.lo = min;
	if (max_arg && max < f.hi)
		f.hi = max;
	if (fmt < 0)
		fmt = isatty(fileno(stdout)) ? FMT_TABLE : FMT_TSV;

	c = db_connect(conninfo);
	/*
	 * the queries read the small aggregates and a range's edge loans:
	 * compiling their expressions costs more than it saves (1.5 s of a
	 * 1.8 s --roll-rates on 300 clients; the planner's estimates of the
	 * month series pass jit_above_cost)
	 */
	db_run(c, "jit", "SET jit = off");
	r = db_exec(c, "read mart.build_info", sql_text("mart/report_info.sql"), PGRES_TUPLES_OK);
	if (PQntuples(r) != 1)
		die(EX_UNAVAILABLE, "the mart is not built (never, or emptied by a database "
		    "server crash: its tables are unlogged): run build-mart (make mart)");
	snprintf(asof_s, sizeof asof_s, "%s", PQgetvalue(r, 0, 0));
	snprintf(built, sizeof built, "%s", PQgetvalue(r, 0, 1));
	PQclear(r);
	if (asof_arg != NULL && strcmp(asof_arg, asof_s) != 0)
		die(EX_DATAERR, "the mart is built as of %s, not %s: run build-mart --as-of %s",
		    asof_s, asof_arg, asof_arg);
	filter_text(&f, bucket_arg != NULL && strchr(bucket_arg, ',') == NULL ? bucket_arg : NULL,
	    ftext, sizeof ftext);
	series_params(&f, &sp);

	if (fmt == F_HTML) {
		struct dash_opts o = {bucket_arg, min_arg, max_arg};

		dash_write(c, &o, stdout);
		PQfinish(c);
		finish(0);
	}
	if (fmt == F_SVG) {
		print_svg(c, chart, &sp, asof_s, ftext);
		PQfinish(c);
		finish(0);
	}
	if (fmt == FMT_TABLE) {
		/* the filter on a line of its own: the heading fits 80 columns */
		printf("overdue as of %s (mart built %s)\n%s%s\n", asof_s, built, ftext,
		    *ftext ? "\n" : "");
		t.width = term_width(stdout);
	}
	t.fmt = (enum fmt)fmt;
	t.out = stdout;
	t.bar = -1;
	t.utf8 = setlocale(LC_CTYPE, "") != NULL && strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
	switch (mode) {
	case M_LOANS:
		print_loans(c, &t, &f);
		break;
	case M_BY:
		print_by(c, &t, by, &sp);
		break;
	case M_ROLL: {
		struct roll_row *rr;
		size_t n = series_roll(c, &sp, &rr);

		t.ncol = SERIES_ROLL_NCOL;
		t.names = series_roll_cols;
		t.types = roll_types;
		print_rows(&t, rr, sizeof *rr, n, r_text);
		free(rr);
		break;
	}
	case M_VINTAGE: {
		struct vint_row *vr;
		size_t n = series_vintage(c, &sp, &vr);

		t.ncol = SERIES_VINTAGE_NCOL;
		t.names = series_vintage_cols;
		t.types = vintage_types;
		t.bar = 4;
		print_rows(&t, vr, sizeof *vr, n, v_text);
		free(vr);
		break;
	}
	case M_MONTHLY: {
		struct mrow *mr;
		size_t n = series_monthly(c, &sp, &mr);

		t.ncol = SERIES_MONTHLY_NCOL;
		t.names = series_monthly_cols;
		t.types = monthly_types;
		t.drop = monthly_drop;
		t.heads = monthly_heads;
		t.bar = 3;
		print_rows(&t, mr, sizeof *mr, n, m_text);
		free(mr);
		break;
	}
	}
	PQfinish(c);
	finish(0);
}
