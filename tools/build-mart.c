/* build-mart - bring the mart up to date with core as of a date: only what
 * changed since it was built (incremental), or all of it (full). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "date.h"
#include "db/db.h"
#include "mart/mart.h"
#include "position.h"
#include "db/sql.h"
#include "util.h"

#define SYNOPSIS "build-mart [-Fqv] [-d conninfo] [-j jobs] [--as-of YYYY-MM-DD]"

static const char help[] =
    "usage: " SYNOPSIS "\n"
    "Bring the mart (per-loan positions, month-end snapshots, monthly series\n"
    "by amount bin, the seed's data_mart) up to date with the current core, as\n"
    "of the end of a day, in one transaction: only the clients that loads (or\n"
    "a later as-of date in the same month) changed, or all of it.\n"
    "  -a, --as-of DATE    the as-of date (default: today)\n"
    "  -d, --dbname CONN   libpq conninfo (default: PG* variables)\n"
    "  -F, --full          rebuild all of the mart\n"
    "  -j, --jobs N        read and compute N client ranges in parallel\n"
    "                      (default 2, at most 16)\n"
    "  -q, --quiet         no summary on stderr\n"
    "  -v, --verbose       incremental or full and why, the time of each step\n"
    "  -h, --help          this help\n"
    "  -V, --version       the version\n";


static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int verbose;
static double t_last;

/* -v: the seconds since the previous step */
static void
step(const char *what)
{
	double t = now_s();

	if (verbose)
		fprintf(stderr, "%s: %-28s %7.2f s\n", progname, what, t - t_last);
	t_last = t;
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

/*
 * The full build: the workers fill mart.*_next from core in w's exported
 * snapshot, w swaps them in and re-creates the views.
 */
static void
full_build(PGconn *w, const char *conninfo, int jobs, int32_t asof, int citus,
    struct mart_stats *st)
{
	const char *sub_client[] = {"TABLE", "mart.client_next", "CLIENTS", "true", NULL};
	const char *sub_by_attr[] = {"WITH", "", "TABLE", "mart.by_attr_next",
	    "LOANS", "mart.loan_next", "SIGN", "1", NULL};
	long long lo = 1, hi = 0;
	PGconn *s;
	PGresult *r;
	char *snapshot, *q;

	/* no load can commit now: export what w sees to the workers */
	r = db_exec(w, "export snapshot", sql_text("mart/snapshot.sql"), PGRES_TUPLES_OK);
	snapshot = estrdup(PQgetvalue(r, 0, 0));
	PQclear(r);
	r = db_exec(w, "loan range", sql_text("mart/loan_range.sql"), PGRES_TUPLES_OK);
	if (!PQgetisnull(r, 0, 0)) {
		lo = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
		hi = strtoll(PQgetvalue(r, 0, 1), NULL, 10);
	}
	PQclear(r);
	/* the empty *_next tables, committed so the workers' connections see them */
	s = db_connect(conninfo);
	db_run(s, "prepare", "BEGIN");
	db_run(s, "prepare", sql_text("mart/prepare.sql"));
	db_run(s, "prepare", "COMMIT");
	PQfinish(s);
	step("prepare");
	/* the masked clients are built by w while the workers do the loans */
	q = mart_sql(sql_text("mart/client.sql"), sub_client);
	mart_build(w, conninfo, snapshot, jobs, lo, hi, asof, q, st);
	free(q);
	free(snapshot);
	step("loans, clients, month bins");
	q = mart_sql(mart_by_attr_sql(citus), sub_by_attr);
	db_run(w, "mart.by_attr", q);
	free(q);
	step("by_attr");
	db_run(w, "swap", sql_text("mart/swap.sql"));
	step("index, swap, analyze");
	db_run(w, "views", sql_text("schema/55_mart_views.sql"));
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"as-of", required_argument, NULL, 'a'},
		{"dbname", required_argument, NULL, 'd'},
		{"full", no_argument, NULL, 'F'},
		{"jobs", required_argument, NULL, 'j'},
		{"quiet", no_argument, NULL, 'q'},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0}
	};
	const char *conninfo = NULL;
	int32_t asof, first_month;
	int quiet = 0, have_asof = 0, full = 0, incremental = 0, ch, jobs = 2;
	int64_t j64;
	long long loans, payments;
	struct mart_stats st;
	struct mart_base base;
	struct mart_inc inc;
	PGconn *w;
	double t0 = now_s();

	t_last = t0;

	setprogname(argv[0]);
	while ((ch = getopt_long(argc, argv, "a:d:Fj:qvhV", opts, NULL)) != -1) {
		switch (ch) {
		case 'a':
			if (date_parse(optarg, strlen(optarg), &asof) != 0 || strlen(optarg) != 10)
				usage_error(SYNOPSIS, "--as-of: '%s' is not a date YYYY-MM-DD", optarg);
			have_asof = 1;
			break;
		case 'd': conninfo = optarg; break;
		case 'F': full = 1; break;
		case 'j':
			if (parse_int64(optarg, 1, MART_MAX_JOBS, &j64) != 0)
				usage_error(SYNOPSIS, "--jobs: '%s' is not a number from 1 to %d",
				    optarg, MART_MAX_JOBS);
			jobs = (int)j64;
			break;
		case 'q': quiet = 1; break;
		case 'v': verbose = 1; break;
		case 'h': print_help(help);
		case 'V': print_version();
		default: usage_error(SYNOPSIS, NULL);
		}
	}
	if (optind != argc)
		usage_error(SYNOPSIS, "unexpected argument '%s'", argv[optind]);
	if (!have_asof)
		asof = date_today();

	w = db_connect(conninfo);
	require(w, "mart.vintage_bin", "apply the schema first (make schema)");
	require(w, "core.loans_current", "apply the schema first (make schema)");
	db_run(w, "begin", "BEGIN");
	/*
	 * Citus: one connection per worker for the whole transaction (the swap
	 * drops and makes views over distributed tables after DDL of their
	 * shards), and no local execution of the coordinator's placements of
	 * the reference tables (later statements reach them over connections).
	 * Placeholders without Citus, which nothing reads.
	 */
	db_run(w, "citus", "SET LOCAL citus.multi_shard_modify_mode = 'sequential'");
	db_run(w, "citus", "SET LOCAL citus.enable_local_execution = off");
	db_run(w, "writer lock", sql_text("common/writer_lock.sql"));
	step("writer lock");
	/* what the mart was built from: incremental when it can be */
	mart_base_read(w, asof, &base);
	if (full)
		snprintf(base.why, sizeof base.why, "--full");
	else if (base.usable) {
		if (verbose)
			fprintf(stderr, "%s: incremental %s\n", progname, base.why);
		incremental = mart_incremental(w, conninfo, &base, asof, step, &inc);
	}
	if (incremental) {
		loans = inc.loans;
		payments = inc.payments;
		first_month = inc.first_month;
		st = inc.now;
	} else {
		if (verbose)
			fprintf(stderr, "%s: full build: %s\n", progname, base.why);
		full_build(w, conninfo, jobs, asof, base.citus, &st);
		loans = st.loans;
		payments = st.payments;
		first_month = st.first_month;
	}
	{
		char d[DATE_BUFSZ], fm[DATE_BUFSZ], nl[32], np[32], secs[32];
		const char *p[5] = {d, NULL, nl, np, secs};

		date_format(asof, d);
		if (first_month != POS_NODATE) {
			date_format(first_month, fm);
			p[1] = fm;
		}
		snprintf(nl, sizeof nl, "%lld", loans);
		snprintf(np, sizeof np, "%lld", payments);
		snprintf(secs, sizeof secs, "%.3f", now_s() - t0);
		db_runp(w, "build_info", sql_text("mart/build_info.sql"), 5, p);
		mart_base_write(w, &base, asof, incremental ? inc.mart_clients : -1);
		db_run(w, "commit", "COMMIT");
		/*
		 * the new tables' grants in a transaction of their own (the
		 * schema's default privileges cover them meanwhile): on Citus
		 * they deadlock in the swap's with its renames of the shards
		 */
		if (!incremental)
			db_run(w, "grants", sql_text("schema/58_mart_role.sql"));
		step("build info, commit");
		if (st.orphans > 0)
			warnf("%lld payment records of unknown loans ignored", st.orphans);
		if (!quiet && incremental)
			fprintf(stderr, "%s: as of %s: incremental: %lld clients recomputed "
			    "(%lld loans); %lld loans, %lld payments, %.1f s\n", progname, d,
			    inc.clients, inc.now.loans, loans, payments, now_s() - t0);
		else if (!quiet)
			fprintf(stderr, "%s: as of %s: full: %lld loans, %lld payments, "
			    "%lld loan-months, %.1f s\n", progname, d, loans, payments,
			    st.months, now_s() - t0);
	}
	PQfinish(w);
	finish(0);
}
