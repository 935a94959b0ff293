/* overdue-report - the monthly overdue share, per-loan positions and breakdowns, from the mart. */
#include <getopt.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "date.h"
#include "db.h"
#include "money.h"
#include "position.h"
#include "report.h"
#include "sql.h"
#include "util.h"

#define SYNOPSIS "overdue-report [-d conninfo] [--loans | --by attribute] [--as-of YYYY-MM-DD] " \
    "[--min-amount X] [--max-amount Y] [--bucket name] [--format table|tsv|csv|json]"

static const char help[] =
    "usage: " SYNOPSIS "\n"
    "Print, from the mart and as of the date it was built for, the monthly\n"
    "overdue share (default), per-loan positions (--loans) or the overdue share\n"
    "by a client attribute (--by), for loans whose amount is in a range.\n"
    "  -l, --loans             per-loan positions\n"
    "  -b, --by ATTRIBUTE      gender, age_band, education, count_of_children,\n"
    "                          job_type, family_status or region\n"
    "  -a, --as-of DATE        check that the mart is built as of DATE\n"
    "  -m, --min-amount X      loan_amount >= X\n"
    "  -M, --max-amount Y      loan_amount <= Y\n"
    "  -B, --bucket NAME       lt50k, 50k-100k, 100k-500k or ge500k\n"
    "  -f, --format FORMAT     table (default on a terminal), tsv (default\n"
    "                          otherwise), csv or json\n"
    "  -d, --dbname CONN       libpq conninfo (default: PG* variables)\n"
    "  -h, --help, -V, --version\n";

static const char *const attrs[] = {
	"gender", "age_band", "education", "count_of_children", "job_type",
	"family_status", "region", NULL
};

static const char *const monthly_cols[] = {
	"month", "active_loans", "overdue_loans", "overdue_share", "outstanding",
	"overdue_outstanding", "par_share", "arrears", "dpd_1_30", "dpd_31_60",
	"dpd_61_90", "dpd_91_plus", "late_share"
};
static const enum coltype monthly_types[] = {
	COL_TEXT, COL_NUM, COL_NUM, COL_SHARE, COL_NUM, COL_NUM, COL_SHARE, COL_NUM,
	COL_NUM, COL_NUM, COL_NUM, COL_NUM, COL_SHARE
};
static const char *const loan_cols[] = {
	"client_id", "loan_name", "loan_amount", "status", "dpd", "dpd_bucket",
	"arrears", "outstanding"
};
static const enum coltype loan_types[] = {
	COL_NUM, COL_TEXT, COL_NUM, COL_TEXT, COL_NUM, COL_TEXT, COL_NUM, COL_NUM
};
static const char *const by_cols[] = {"value", "active_loans", "overdue_loans", "overdue_share"};
static const enum coltype by_types[] = {COL_TEXT, COL_NUM, COL_NUM, COL_SHARE};

static int64_t
num(PGresult *r, int col)
{
	int64_t v;

	if (parse_int64(PQgetvalue(r, 0, col), INT64_MIN, INT64_MAX, &v) != 0)
		die(EX_SOFTWARE, "unexpected number '%s' from the mart", PQgetvalue(r, 0, col));
	return v;
}

static void
share(int64_t n, int64_t d, char *buf)
{
	if (d == 0)
		*buf = '\0';
	else
		share_format(n, d, 6, buf, 32);
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

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"loans", no_argument, NULL, 'l'},
		{"by", required_argument, NULL, 'b'},
		{"as-of", required_argument, NULL, 'a'},
		{"min-amount", required_argument, NULL, 'm'},
		{"max-amount", required_argument, NULL, 'M'},
		{"bucket", required_argument, NULL, 'B'},
		{"format", required_argument, NULL, 'f'},
		{"dbname", required_argument, NULL, 'd'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0}
	};
	const char *conninfo = NULL, *by = NULL, *asof_arg = NULL, *min_arg = "", *max_arg = "";
	int loans = 0, ch, have_min = 0, have_max = 0, fmt = -1;
	int64_t min = 0, max = 0;
	struct amount_filter f = {-MONEY_MAX, MONEY_MAX}, bk;
	int32_t asof = 0;
	struct table t = {0};
	PGconn *c;
	PGresult *r;
	char asof_s[DATE_BUFSZ], lo_s[MONEY_BUFSZ], hi_s[MONEY_BUFSZ];
	int64_t blo, bhi, e[4];
	char sb[6][MONEY_BUFSZ];
	const char *bp[6];

	setprogname(argv[0]);
	while ((ch = getopt_long(argc, argv, "lb:a:m:M:B:f:d:hV", opts, NULL)) != -1) {
		switch (ch) {
		case 'l': loans = 1; break;
		case 'b':
			by = NULL;
			for (int i = 0; attrs[i]; i++)
				if (strcmp(optarg, attrs[i]) == 0)
					by = attrs[i];	/* the fixed list's string, never optarg */
			if (by == NULL)
				usage_error(SYNOPSIS, "--by: unknown attribute '%s' (gender, age_band, "
				    "education, count_of_children, job_type, family_status, region)", optarg);
			break;
		case 'a':
			if (strlen(optarg) != 10 || date_parse(optarg, 10, &asof) != 0)
				usage_error(SYNOPSIS, "--as-of: '%s' is not a date YYYY-MM-DD", optarg);
			asof_arg = optarg;
			break;
		case 'm':
			if (report_amount(optarg, &min) != 0)
				usage_error(SYNOPSIS, "--min-amount: '%s' is not an amount", optarg);
			have_min = 1;
			min_arg = optarg;
			break;
		case 'M':
			if (report_amount(optarg, &max) != 0)
				usage_error(SYNOPSIS, "--max-amount: '%s' is not an amount", optarg);
			have_max = 1;
			max_arg = optarg;
			break;
		case 'B':
			if (report_bucket(optarg, &bk) != 0)
				usage_error(SYNOPSIS, "--bucket: unknown bucket '%s' (lt50k, 50k-100k, "
				    "100k-500k, ge500k)", optarg);
			f = bk;
			break;
		case 'f':
			if (strcmp(optarg, "table") == 0) fmt = FMT_TABLE;
			else if (strcmp(optarg, "tsv") == 0) fmt = FMT_TSV;
			else if (strcmp(optarg, "csv") == 0) fmt = FMT_CSV;
			else if (strcmp(optarg, "json") == 0) fmt = FMT_JSON;
			else usage_error(SYNOPSIS, "--format: unknown format '%s' (table, tsv, csv, json)", optarg);
			break;
		case 'd': conninfo = optarg; break;
		case 'h': print_help(help);
		case 'V': print_version();
		default: usage_error(SYNOPSIS, NULL);
		}
	}
	if (optind != argc)
		usage_error(SYNOPSIS, "unexpected argument '%s'", argv[optind]);
	if (loans && by)
		usage_error(SYNOPSIS, "--loans and --by exclude each other");
	if (have_min && have_max && min > max)
		usage_error(SYNOPSIS, "--min-amount %s is greater than --max-amount %s",
		    min_arg, max_arg);
	if (have_min && min > f.lo)
		f.lo = min;
	if (have_max && max < f.hi)
		f.hi = max;
	if (fmt < 0)
		fmt = isatty(fileno(stdout)) ? FMT_TABLE : FMT_TSV;

	c = db_connect(conninfo);
	r = db_exec(c, "read mart.build_info", sql_text("mart/report_info.sql"), PGRES_TUPLES_OK);
	if (PQntuples(r) != 1)
		die(EX_UNAVAILABLE, "the mart is not built (never, or emptied by a database "
		    "server crash: its tables are unlogged): run build-mart (make mart)");
	snprintf(asof_s, sizeof asof_s, "%s", PQgetvalue(r, 0, 0));
	if (asof_arg != NULL && strcmp(asof_arg, asof_s) != 0)
		die(EX_DATAERR, "the mart is built as of %s, not %s: run build-mart --as-of %s",
		    asof_s, asof_arg, asof_arg);
	if (fmt == FMT_TABLE) {
		char lo[MONEY_BUFSZ], hi[MONEY_BUFSZ];

		money_format(f.lo, lo);
		money_format(f.hi, hi);
		printf("overdue as of %s (mart built %s)", asof_s, PQgetvalue(r, 0, 1));
		if (f.lo > -MONEY_MAX || f.hi < MONEY_MAX)
			printf(", loan_amount %s%s%s", f.lo > -MONEY_MAX ? lo : "",
			    " .. ", f.hi < MONEY_MAX ? hi : "");
		printf("\n\n");
	}
	PQclear(r);

	money_format(f.lo, lo_s);
	money_format(f.hi, hi_s);
	/* the whole amount bins of the range and its two edge ranges */
	report_bins(&f, &blo, &bhi, e);
	snprintf(sb[0], sizeof sb[0], "%lld", (long long)(blo < 0 ? 0 : blo));
	snprintf(sb[1], sizeof sb[1], "%lld", (long long)(bhi > INT32_MAX ? INT32_MAX : bhi));
	for (int i = 0; i < 4; i++)
		money_format(e[i], sb[2 + i]);
	for (int i = 0; i < 6; i++)
		bp[i] = sb[i];
	if (blo > bhi)	/* no whole bin: an empty bin range */
		bp[0] = "1", bp[1] = "0";
	t.fmt = (enum fmt)fmt;
	t.out = stdout;
	t.bar = -1;
	if (loans) {
		const char *p[2] = {lo_s, hi_s};

		t.ncol = 8;
		t.names = loan_cols;
		t.types = loan_types;
		table_begin(&t);
		send(c, sql_text("mart/report_loans.sql"), 2, p);
		while ((r = next_row(c)) != NULL) {
			const char *v[8];

			for (int i = 0; i < 8; i++)
				v[i] = PQgetvalue(r, 0, i);
			table_row(&t, v);
			PQclear(r);
		}
	} else if (by) {
		const char *tmpl = sql_text("mart/report_by.sql"), *at;
		const char *p[7] = {by, bp[0], bp[1], bp[2], bp[3], bp[4], bp[5]};
		struct buf q = BUF_INIT;

		/* the attribute is a column name from the fixed list above */
		while ((at = strstr(tmpl, "@ATTR@")) != NULL) {
			buf_put(&q, tmpl, (size_t)(at - tmpl));
			buf_puts(&q, by);
			tmpl = at + 6;
		}
		buf_puts(&q, tmpl);
		t.ncol = 4;
		t.names = by_cols;
		t.types = by_types;
		table_begin(&t);
		send(c, buf_cstr(&q), 7, p);
		while ((r = next_row(c)) != NULL) {
			char sh[32];
			const char *v[4] = {PQgetvalue(r, 0, 0), PQgetvalue(r, 0, 1), PQgetvalue(r, 0, 2), sh};

			share(num(r, 2), num(r, 1), sh);
			table_row(&t, v);
			PQclear(r);
		}
		buf_free(&q);
	} else {
		t.ncol = 13;
		t.names = monthly_cols;
		t.types = monthly_types;
		t.bar = 3;
		t.utf8 = setlocale(LC_CTYPE, "") != NULL && strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
		table_begin(&t);
		send(c, sql_text("mart/report_monthly.sql"), 6, bp);
		while ((r = next_row(c)) != NULL) {
			char m[13][MONEY_BUFSZ + 8];
			const char *v[13];
			int64_t a = num(r, 1), o = num(r, 2), outk = num(r, 3), ooutk = num(r, 4),
			    fl = num(r, 10), fll = num(r, 11);

			snprintf(m[0], sizeof m[0], "%s", PQgetvalue(r, 0, 0));
			snprintf(m[1], sizeof m[1], "%lld", (long long)a);
			snprintf(m[2], sizeof m[2], "%lld", (long long)o);
			share(o, a, m[3]);
			money_format(outk, m[4]);
			money_format(ooutk, m[5]);
			share(ooutk, outk, m[6]);
			money_format(num(r, 5), m[7]);
			for (int i = 6; i <= 9; i++)
				snprintf(m[i + 2], sizeof m[0], "%lld", (long long)num(r, i));
			share(fll, fl, m[12]);
			for (int i = 0; i < 13; i++)
				v[i] = m[i];
			table_row(&t, v);
			PQclear(r);
		}
	}
	table_end(&t);
	PQfinish(c);
	finish(0);
}
