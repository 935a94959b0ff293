/* gen-clients - synthetic clients, loans and payments in the seed's JSON format. */
#include <getopt.h>
#include <string.h>
#include <time.h>

#include "date.h"
#include "gen/gen.h"
#include "gen/genout.h"
#include "util.h"

#define SYNOPSIS "gen-clients [-n count] [--seed seed] [--as-of date] [--start-date date] [-o dir]"

static const char help[] =
    "usage: " SYNOPSIS "\n"
    "       gen-clients --risk-table\n"
    "Write synthetic clients, loans and payments: a tagged NDJSON stream on\n"
    "stdout, or DIR/clients.json, loans.json, payments.json with -o.\n"
    "  -n count             clients to generate (default 20)\n"
    "  -s, --seed seed      random seed (default 1): same seed, same bytes\n"
    "  -a, --as-of date     export date YYYY-MM-DD (default today)\n"
    "  -d, --start-date date  earliest loan start (default 2010-01-01)\n"
    "  -o, --output dir     write the three seed files into dir\n"
    "      --risk-table     print the risk points per attribute value\n"
    "      --help, --version\n";

static int32_t
date_arg(const char *opt, const char *s)
{
	int32_t d;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' || strspn(s, "0123456789-") != 10)
		usage_error(SYNOPSIS, "%s: not a date in the form YYYY-MM-DD: '%s'", opt, s);
	if (date_parse(s, 10, &d) != 0)
		usage_error(SYNOPSIS, "%s: no such day: '%s'", opt, s);
	if (d < date_from_civil(1900, 1, 1) || d > date_from_civil(9000, 12, 31))
		usage_error(SYNOPSIS, "%s: out of range 1900-01-01..9000-12-31: '%s'", opt, s);
	return d;
}


int
main(int argc, char *argv[])
{
	enum { OPT_HELP = 256, OPT_VERSION, OPT_RISK };
	static const struct option longopts[] = {
		{"seed", required_argument, NULL, 's'},
		{"as-of", required_argument, NULL, 'a'},
		{"start-date", required_argument, NULL, 'd'},
		{"output", required_argument, NULL, 'o'},
		{"risk-table", no_argument, NULL, OPT_RISK},
		{"help", no_argument, NULL, OPT_HELP},
		{"version", no_argument, NULL, OPT_VERSION},
		{NULL, 0, NULL, 0},
	};
	struct gen_opts o = {.seed = 1, .start = date_from_civil(2010, 1, 1)};
	struct gen_sink sink;
	const char *dir = NULL;
	int64_t n = 20, v;
	int c, have_as_of = 0;

	setprogname(argv[0]);
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":n:s:a:d:o:", longopts, NULL)) != -1) {
		switch (c) {
		case 'n':
			if (parse_int64(optarg, 0, INT64_C(1000000000), &n) != 0)
				usage_error(SYNOPSIS, "-n: not a count of clients (0..1000000000): '%s'", optarg);
			break;
		case 's':
			if (parse_int64(optarg, 0, INT64_MAX, &v) != 0)
				usage_error(SYNOPSIS, "--seed: not a non-negative integer: '%s'", optarg);
			o.seed = (uint64_t)v;
			break;
		case 'a':
			o.as_of = date_arg("--as-of", optarg);
			have_as_of = 1;
			break;
		case 'd':
			o.start = date_arg("--start-date", optarg);
			break;
		case 'o':
			if (*optarg == '\0')
				usage_error(SYNOPSIS, "-o: empty directory name");
			dir = optarg;
			break;
		case OPT_RISK:
			gen_print_risk_table(stdout);
			finish(0);
		case OPT_HELP:
			print_help(help);
		case OPT_VERSION:
			print_version();
		case ':':
			usage_error(SYNOPSIS, "option requires an argument: %s", argv[optind - 1]);
		default:
			usage_error(SYNOPSIS, "unknown option: %s", argv[optind - 1]);
		}
	}
	if (optind < argc)
		usage_error(SYNOPSIS, "unexpected argument: '%s'", argv[optind]);
	if (!have_as_of)
		o.as_of = date_today();	/* the only place the clock is read */
	if (o.start > o.as_of)
		usage_error(SYNOPSIS, "--start-date is after --as-of");

	if (dir != NULL)
		gen_sink_dir(&sink, dir);
	else
		gen_sink_stdout(&sink);
	gen_run(&o, n, &sink);
	gen_sink_close(&sink);
	finish(0);
}
