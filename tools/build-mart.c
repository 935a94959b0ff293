/* build-mart - rebuild the mart from the current core as of a date. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "date.h"
#include "db.h"
#include "mart.h"
#include "position.h"
#include "sql.h"
#include "util.h"

#define SYNOPSIS "build-mart [-d conninfo] [--as-of YYYY-MM-DD]"

static const char help[] =
    "usage: " SYNOPSIS "\n"
    "Rebuild the mart (per-loan positions, month-end snapshots, monthly\n"
    "series by amount bin, the seed's data_mart) from the current core, as of\n"
    "the end of a day, in one transaction.\n"
    "  -a, --as-of DATE    the as-of date (default: today)\n"
    "  -d, --dbname CONN   libpq conninfo (default: PG* variables)\n"
    "  -q, --quiet         no summary on stderr\n"
    "  -h, --help          this help\n"
    "  -V, --version       the version\n";

static int32_t
today(void)
{
	time_t t = time(NULL);
	struct tm tm;

	if (t == (time_t)-1 || localtime_r(&t, &tm) == NULL)
		die(EX_OSERR, "cannot read the clock:");
	return date_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
require(PGconn *c, const char *rel, const char *hint)
{
	const char *p[1] = {rel};
	PGresult *r = db_execp(c, "check schema", "SELECT to_regclass($1) IS NOT NULL",
	    1, p, PGRES_TUPLES_OK);
	int ok = strcmp(PQgetvalue(r, 0, 0), "t") == 0;

	PQclear(r);
	if (!ok)
		die(EX_UNAVAILABLE, "%s does not exist: %s", rel, hint);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"as-of", required_argument, NULL, 'a'},
		{"dbname", required_argument, NULL, 'd'},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0}
	};
	const char *conninfo = NULL;
	int32_t asof;
	int quiet = 0, have_asof = 0, ch;
	struct mart_stats st;
	PGconn *w, *rl, *rp;
	double t0 = now_s();

	setprogname(argv[0]);
	while ((ch = getopt_long(argc, argv, "a:d:qhV", opts, NULL)) != -1) {
		switch (ch) {
		case 'a':
			if (date_parse(optarg, strlen(optarg), &asof) != 0 || strlen(optarg) != 10)
				usage_error(SYNOPSIS, "--as-of: '%s' is not a date YYYY-MM-DD", optarg);
			have_asof = 1;
			break;
		case 'd': conninfo = optarg; break;
		case 'q': quiet = 1; break;
		case 'h': print_help(help);
		case 'V': print_version();
		default: usage_error(SYNOPSIS, NULL);
		}
	}
	if (optind != argc)
		usage_error(SYNOPSIS, "unexpected argument '%s'", argv[optind]);
	if (!have_asof)
		asof = today();

	w = db_connect(conninfo);
	require(w, "mart.loan", "apply the schema first (make schema)");
	require(w, "core.loans_current", "apply the schema first (make schema)");
	db_run(w, "begin", "BEGIN");
	db_run(w, "writer lock", sql_text("common/writer_lock.sql"));
	db_run(w, "prepare", sql_text("mart/prepare.sql"));
	/* the readers start after the lock is held: they see what w sees */
	rl = db_connect(conninfo);
	rp = db_connect(conninfo);
	mart_build(w, rl, rp, asof, &st);
	PQfinish(rl);
	PQfinish(rp);
	db_run(w, "mart.client", sql_text("mart/client.sql"));
	db_run(w, "swap", sql_text("mart/swap.sql"));
	db_run(w, "views", sql_text("schema/55_mart_views.sql"));
	db_run(w, "grants", sql_text("schema/58_mart_role.sql"));
	{
		char d[DATE_BUFSZ], fm[DATE_BUFSZ], nl[32], np[32], secs[32];
		const char *p[5] = {d, NULL, nl, np, secs};

		date_format(asof, d);
		if (st.first_month != POS_NODATE) {
			date_format(st.first_month, fm);
			p[1] = fm;
		}
		snprintf(nl, sizeof nl, "%lld", st.loans);
		snprintf(np, sizeof np, "%lld", st.payments);
		snprintf(secs, sizeof secs, "%.3f", now_s() - t0);
		db_runp(w, "build_info", sql_text("mart/build_info.sql"), 5, p);
		db_run(w, "commit", "COMMIT");
		if (st.orphans > 0)
			warnf("%lld payment records of unknown loans ignored", st.orphans);
		if (!quiet)
			fprintf(stderr, "%s: as of %s: %lld loans, %lld payments, %lld loan-months, %.1f s\n",
			    progname, d, st.loans, st.payments, st.months, now_s() - t0);
	}
	PQfinish(w);
	finish(0);
}
