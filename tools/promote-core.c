/* promote-core - staging -> core in one transaction; begins and fails loads too. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "promote.h"
#include "stage.h"
#include "util.h"

static const char synopsis[] =
    "promote-core [-d conninfo] [-l load] [-t step=ms[:rows] ...]";

static const char help[] =
    "usage: promote-core [-d conninfo] [-l load] [-t step=ms[:rows] ...]\n"
    "       promote-core [-d conninfo] -b -s source [-p part] [-f] -F file ...\n"
    "       promote-core [-d conninfo] -l load -x reason\n"
    "       promote-core [-d conninfo] -l load -A -t step=ms[:rows] ...\n"
    "Promote a staged load into core in one transaction (default; prints\n"
    "\"ENTITY<TAB>read<TAB>new<TAB>changed<TAB>unchanged<TAB>rejected\" per\n"
    "entity), begin a load (-b: prints \"LOAD_ID<TAB>running\" or\n"
    "\"LOAD_ID<TAB>noop\"), mark a load failed (-x), or add step timings to a\n"
    "load (-A).\n"
    "  -l, --load ID          the load (default: the newest running load)\n"
    "  -t, --step NAME=MS[:ROWS]  a step's milliseconds (and rows) for the\n"
    "                         load audit (core.load_step; up to 16)\n"
    "  -A, --add-steps        only record the -t steps of load ID\n"
    "  -b, --begin            begin a load\n"
    "  -s, --source NAME      the folder or part the files came from (-b)\n"
    "  -p, --part N           the part number: part N needs part N-1 (-b)\n"
    "  -f, --force            load even out of order or already loaded (-b)\n"
    "  -F, --file ENTITY:SHA256:BYTES:NAME  one file of the load (-b; x3)\n"
    "  -x, --fail REASON      mark the load failed, discard its staging\n"
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
	int begin = 0, add = 0, nsteps = 0, ch, noop, seen[3] = {0, 0, 0};
	int64_t v;

	memset(&b, 0, sizeof b);
	setprogname(argv[0]);
	while ((ch = getopt_long(argc, argv, "l:bs:p:fF:x:t:Ad:", lo, NULL)) != -1) {
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
		case 'd': b.conninfo = optarg; break;
		case 'h': print_help(help);
		case 'V': print_version();
		default: usage_error(synopsis, NULL);
		}
	}
	if (optind != argc)
		usage_error(synopsis, "unexpected argument '%s'", argv[optind]);
	if (begin + (fail != NULL) + add > 1)
		usage_error(synopsis, "--begin, --fail and --add-steps exclude each other");
	if ((begin || fail) && nsteps > 0)
		usage_error(synopsis, "--step goes with a promotion or --add-steps");
	if (begin) {
		if (b.source == NULL || *b.source == '\0')
			usage_error(synopsis, "--begin needs --source");
		load = promote_begin(&b, &noop);
		printf("%lld\t%s\n", load, noop ? "noop" : "running");
		finish(0);
	}
	if (b.source || b.part || b.force || b.nfiles)
		usage_error(synopsis, "-s, -p, -f and -F go with --begin");
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
