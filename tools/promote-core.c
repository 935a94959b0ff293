/* promote-core - staging -> core in one transaction; begins and fails loads too. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load/promote.h"
#include "load/stage.h"
#include "util.h"

static const char synopsis[] =
    "promote-core [-d conninfo] [-l load] [-t step=ms[:rows] ...]";

static const char help[] =
    "usage: promote-core [-d conninfo] [-l load] [-t step=ms[:rows] ...]\n"
    "       promote-core [-d conninfo] -b -s source [-p part] [-f] [-k pid] -F file ...\n"
    "       promote-core [-d conninfo] -l load -x reason\n"
    "       promote-core [-d conninfo] -l load -A -t step=ms[:rows] ...\n"
    "       promote-core [-d conninfo] -H [-w]\n"
    "Promote a staged load into core in one transaction (default; prints\n"
    "\"ENTITY<TAB>read<TAB>new<TAB>changed<TAB>unchanged<TAB>rejected\" per\n"
    "entity), begin a load (-b: prints \"LOAD_ID<TAB>running\" or\n"
    "\"LOAD_ID<TAB>noop\"), mark a load failed (-x), add step timings to a\n"
    "load (-A), or hold the load lock until stdin ends (-H: prints \"held PID\").\n"
    "  -l, --load ID          the load (default: the newest running load)\n"
    "  -t, --step NAME=MS[:ROWS]  a step's milliseconds (and rows) for the\n"
    "                         load audit (core.load_step; up to 16)\n"
    "  -A, --add-steps        only record the -t steps of load ID\n"
    "  -b, --begin            begin a load\n"
    "  -s, --source NAME      the folder or part the files came from (-b)\n"
    "  -p, --part N           the part number: part N needs part N-1 (-b)\n"
    "  -f, --force            load even out of order or already loaded (-b)\n"
    "  -k, --holder PID       the backend of our own -H; any other holder of the\n"
    "                         load lock refuses the begin with 75 (-b)\n"
    "  -F, --file ENTITY:SHA256:BYTES:NAME  one file of the load (-b; x3)\n"
    "  -x, --fail REASON      mark the load failed, discard its staging\n"
    "  -H, --hold             hold the load lock (load-part, around a load);\n"
    "                         taken by another load: exit 75\n"
    "  -w, --wait             with -H: wait for the lock instead\n"
    "  -d, --dbname CONNINFO  connection string (default: PG* variables)\n"
    "      --help, --version\n";

int
main(int argc, char **argv)
{
	static const struct option lo[] = {
		{"load", required_argument, NULL, 'l'},
		{"begin", no_argument, NULL, 'b'},
		{"source", required_argument, NULL, 's'},
		{"part", required_argument, NULL, 'p'},
		{"force", no_argument, NULL, 'f'},
		{"file", required_argument, NULL, 'F'},
		{"fail", required_argument, NULL, 'x'},
		{"step", required_argument, NULL, 't'},
		{"add-steps", no_argument, NULL, 'A'},
		{"hold", no_argument, NULL, 'H'},
		{"holder", required_argument, NULL, 'k'},
		{"wait", no_argument, NULL, 'w'},
		{"dbname", required_argument, NULL, 'd'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	struct begin_opts b;
	struct load_step steps[LOAD_STEPS_MAX];
	struct promote_count counts[3];
	const char *fail = NULL;
	long long load = 0;
	char err[128];
	int begin = 0, add = 0, hold = 0, wait = 0, nsteps = 0, ch, noop;
	int seen[3] = {0, 0, 0};
	int64_t v;

	memset(&b, 0, sizeof b);
	setprogname(argv[0]);
	while ((ch = getopt_long(argc, argv, "l:bs:p:fF:x:t:AHwk:d:", lo, NULL)) != -1) {
		switch (ch) {
		case 'l':
			if (parse_int64(optarg, 1, INT64_MAX, &v) != 0)
				usage_error(synopsis, "bad load id '%s'", optarg);
			load = v;
			break;
		case 'b': begin = 1; break;
		case 's': b.source = optarg; break;
		case 'p':
			if (parse_int64(optarg, 1, 1000000, &v) != 0)
				usage_error(synopsis, "bad part number '%s'", optarg);
			b.part = (int)v;
			break;
		case 'f': b.force = 1; break;
		case 'k':
			if (parse_int64(optarg, 1, 2147483647, &v) != 0)
				usage_error(synopsis, "bad backend pid '%s'", optarg);
			b.holder = v;
			break;
		case 'F':
			if (b.nfiles == 3)
				usage_error(synopsis, "at most three --file options");
			if (load_file_parse(optarg, &b.files[b.nfiles], err, sizeof err) != 0)
				usage_error(synopsis, "--file: %s", err);
			if (seen[stage_entity(b.files[b.nfiles].entity)]++)
				usage_error(synopsis, "--file: %s given twice",
				    b.files[b.nfiles].entity);
			b.nfiles++;
			break;
		case 'x': fail = optarg; break;
		case 't':
			if (nsteps == LOAD_STEPS_MAX)
				usage_error(synopsis, "at most %d --step options", LOAD_STEPS_MAX);
			if (load_step_parse(optarg, &steps[nsteps], err, sizeof err) != 0)
				usage_error(synopsis, "--step: %s", err);
			nsteps++;
			break;
		case 'A': add = 1; break;
		case 'H': hold = 1; break;
		case 'w': wait = 1; break;
		case 'd': b.conninfo = optarg; break;
		case 'h': print_help(help);
		case 'V': print_version();
		default: usage_error(synopsis, NULL);
		}
	}
	if (optind != argc)
		usage_error(synopsis, "unexpected argument '%s'", argv[optind]);
	if (begin + (fail != NULL) + add + hold > 1)
		usage_error(synopsis, "--begin, --fail, --add-steps and --hold exclude each other");
	if (wait && !hold)
		usage_error(synopsis, "--wait goes with --hold");
	if (hold) {
		if (load != 0 || nsteps > 0 || b.source || b.part || b.force || b.nfiles ||
		    b.holder)
			usage_error(synopsis, "--hold takes no other option but --wait and -d");
		promote_hold(b.conninfo, wait);
		finish(0);
	}
	if ((begin || fail) && nsteps > 0)
		usage_error(synopsis, "--step goes with a promotion or --add-steps");
	if (begin) {
		if (b.source == NULL || *b.source == '\0')
			usage_error(synopsis, "--begin needs --source");
		load = promote_begin(&b, &noop);
		printf("%lld\t%s\n", load, noop ? "noop" : "running");
		finish(0);
	}
	if (b.source || b.part || b.force || b.nfiles || b.holder)
		usage_error(synopsis, "-s, -p, -f, -k and -F go with --begin");
	if (fail) {
		if (load == 0)
			usage_error(synopsis, "--fail needs --load");
		if (!promote_fail(b.conninfo, load, fail))
			warnf("load %lld was not running: left as it was", load);
		finish(0);
	}
	if (add) {
		if (load == 0 || nsteps == 0)
			usage_error(synopsis, "--add-steps needs --load and at least one --step");
		promote_add_steps(b.conninfo, load, steps, nsteps);
		finish(0);
	}
	promote_run(b.conninfo, load, steps, nsteps, counts);
	for (int i = 0; i < 3; i++)
		printf("%s\t%lld\t%lld\t%lld\t%lld\t%lld\n", stage_entities[i],
		    counts[i].read, counts[i].new, counts[i].changed, counts[i].unchanged,
		    counts[i].rejected);
	finish(0);
}
