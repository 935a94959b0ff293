/* notify-replay - the optimised notification policy against the seed's baseline, replayed. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "date.h"
#include "notify/calendar.h"
#include "notify/policy.h"
#include "notify/replay.h"
#include "notify/tz.h"
#include "util.h"

#define SYNOPSIS "notify-replay [-v] [-d conninfo] FROM TO [--policy FILE] [--calendar FILE] " \
	"[--zones FILE] --log FILE [--baseline-log FILE] [--chart FILE.svg]"

#define MAX_DAYS 3660

static const char help[] =
    "usage: " SYNOPSIS "\n"
    "Replay every day FROM..TO (YYYY-MM-DD, both included) on the loaded\n"
    "history under the seed's baseline (one SMS per overdue loan every day at\n"
    "10:00 Moscow time) and the optimised policy (notify-plan's decision for\n"
    "each client and day, within 230-FZ), and print one TSV row per policy:\n"
    "messages, calls, letters, clients contacted, violations of 230-FZ art. 7,\n"
    "contacts per client and month, first contacts of new overdue episodes,\n"
    "pre-due reminders and call capacity used.\n"
    "  -d, --dbname CONN       libpq conninfo (default: PG* variables)\n"
    "  -p, --policy FILE       the policy (default: the compiled-in one)\n"
    "  -c, --calendar FILE     the production calendar (default: compiled in)\n"
    "  -z, --zones FILE        regions and cities to time zones (default: compiled in)\n"
    "  -l, --log FILE          write every contact of the optimised policy:\n"
    "                          client_id channel sent_at tz loans\n"
    "  -b, --baseline-log FILE the same for the baseline's contacts\n"
    "  -C, --chart FILE.svg    an SVG chart of contacts per day, both policies\n"
    "  -v, --verbose           each pass's time and counts on stderr\n"
    "  -h, --help              this help\n"
    "  -V, --version           the version\n";

static int32_t
date_arg(const char *s, const char *what)
{
	int32_t d;

	if (strlen(s) != 10 || date_parse(s, 10, &d) != 0)
		usage_error(SYNOPSIS, "%s: '%s' is not a date YYYY-MM-DD", what, s);
	return d;
}

static FILE *
create(const char *path)
{
	FILE *fp = fopen(path, "w");

	if (fp == NULL)
		die(EX_CANTCREAT, "cannot create %s:", path);
	return fp;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"dbname", required_argument, NULL, 'd'},
		{"policy", required_argument, NULL, 'p'},
		{"calendar", required_argument, NULL, 'c'},
		{"zones", required_argument, NULL, 'z'},
		{"log", required_argument, NULL, 'l'},
		{"baseline-log", required_argument, NULL, 'b'},
		{"chart", required_argument, NULL, 'C'},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0}
	};
	const char *conninfo = NULL, *policy_path = NULL, *cal_path = NULL, *zones_path = NULL;
	const char *log_path = NULL, *blog_path = NULL, *chart_path = NULL;
	int ch, verbose = 0;
	struct replay_opts o = {0};
	struct policy pol;
	struct calendar *cal;
	struct tzmap *zones;
	struct replay *r;
	struct buf out = BUF_INIT;
	FILE *chart = NULL;

	setprogname(argv[0]);
	while ((ch = getopt_long(argc, argv, "d:p:c:z:l:b:C:vhV", opts, NULL)) != -1) {
		switch (ch) {
		case 'd': conninfo = optarg; break;
		case 'p': policy_path = optarg; break;
		case 'c': cal_path = optarg; break;
		case 'z': zones_path = optarg; break;
		case 'l': log_path = optarg; break;
		case 'b': blog_path = optarg; break;
		case 'C': chart_path = optarg; break;
		case 'v': verbose = 1; break;
		case 'h': print_help(help);
		case 'V': print_version();
		default: usage_error(SYNOPSIS, NULL);
		}
	}
	if (argc - optind < 2)
		usage_error(SYNOPSIS, "FROM and TO are required");
	if (argc - optind > 2)
		usage_error(SYNOPSIS, "unexpected argument '%s'", argv[optind + 2]);
	o.from = date_arg(argv[optind], "FROM");
	o.to = date_arg(argv[optind + 1], "TO");
	if (o.to < o.from)
		usage_error(SYNOPSIS, "TO (%s) is before FROM (%s)", argv[optind + 1], argv[optind]);
	if (o.to - o.from >= MAX_DAYS)
		usage_error(SYNOPSIS, "a period of at most %d days", MAX_DAYS);
	if (log_path == NULL)
		usage_error(SYNOPSIS, "--log FILE is required");

	policy_load(policy_path, &pol);
	cal = cal_load(cal_path);
	zones = tz_load(zones_path);
	o.policy = &pol;
	o.cal = cal;
	o.log = create(log_path);
	o.baseline_log = blog_path != NULL ? create(blog_path) : NULL;
	if (chart_path != NULL)
		chart = create(chart_path);

	r = replay_new(&o);
	replay_db(conninfo, r, zones, verbose);
	if (fshut(o.log, log_path) != 0 ||
	    (o.baseline_log != NULL && fshut(o.baseline_log, blog_path) != 0))
		finish(EX_IOERR);
	if (chart != NULL) {
		replay_chart(r, &out);
		buf_flush(&out, chart);
		if (fshut(chart, chart_path) != 0)
			finish(EX_IOERR);
	}
	replay_summary(r, &out);
	buf_flush(&out, stdout);
	buf_free(&out);
	replay_free(r);
	tz_free(zones);
	cal_free(cal);
	finish(0);
}
