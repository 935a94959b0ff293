/* pg-stage - json2tsv's COPY text on stdin -> staging.ENTITY, tagged with the load. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "progress.h"
#include "load/stage.h"
#include "util.h"

static const char synopsis[] =
    "pg-stage [-R] [-d conninfo] [-l load] -s source entity";

static const char help[] =
    "usage: pg-stage [-R] [-d conninfo] [-l load] -s source entity\n"
    "Copy json2tsv's output (COPY text ending with \\.) from stdin into\n"
    "staging.ENTITY (clients, loans or payments) for a running load, keeping\n"
    "only records that are new or changed compared with core (a chunk of the\n"
    "input at a time, against the current core rows of its keys).\n"
    "  -s, --source NAME    file name recorded with every row (required)\n"
    "  -l, --load ID        the load (default: the newest running load)\n"
    "  -R, --rejects        stdin is json2tsv's --rejects stream instead\n"
    "  -d, --dbname CONNINFO  connection string (default: PG* variables)\n"
    "      --help, --version\n";

int
main(int argc, char **argv)
{
	static const struct option lo[] = {
		{"source", required_argument, NULL, 's'},
		{"load", required_argument, NULL, 'l'},
		{"rejects", no_argument, NULL, 'R'},
		{"dbname", required_argument, NULL, 'd'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	struct stage_opts o = {NULL, NULL, NULL, 0, 0, STDIN_FILENO, NULL, 0, STAGE_AUTO};
	struct progress prog;
	char what[64];
	struct stage_result r;
	struct rusage ru;
	const char *env;
	int64_t id;
	int ch;

	setprogname(argv[0]);
	while ((ch = getopt_long(argc, argv, "s:l:Rd:", lo, NULL)) != -1) {
		switch (ch) {
		case 's': o.source = optarg; break;
		case 'l':
			if (parse_int64(optarg, 1, INT64_MAX, &id) != 0)
				usage_error(synopsis, "bad load id '%s'", optarg);
			o.load_id = id;
			break;
		case 'R': o.rejects = 1; break;
		case 'd': o.conninfo = optarg; break;
		case 'h': print_help(help);
		case 'V': print_version();
		default: usage_error(synopsis, NULL);
		}
	}
	if (optind != argc - 1)
		usage_error(synopsis, "expected one entity (clients, loans or payments)");
	o.entity = argv[optind];
	if (stage_entity(o.entity) < 0)
		usage_error(synopsis, "unknown entity '%s'", o.entity);
	if (o.source == NULL || *o.source == '\0')
		usage_error(synopsis, "--source is required");
	/* for the tests: many small chunks, one look-up strategy (pg-stage(1)) */
	if ((env = getenv("OVERDUE_STAGE_CHUNK_LINES")) != NULL && *env != '\0') {
		if (parse_int64(env, 1, INT64_MAX, &id) != 0)
			usage_error(synopsis, "bad OVERDUE_STAGE_CHUNK_LINES '%s'", env);
		o.chunk_lines = id;
	}
	if ((env = getenv("OVERDUE_STAGE_STRATEGY")) != NULL && *env != '\0') {
		if (strcmp(env, "range") == 0)
			o.how = STAGE_RANGE;
		else if (strcmp(env, "probe") == 0)
			o.how = STAGE_PROBE;
		else if (strcmp(env, "auto") != 0)
			usage_error(synopsis, "bad OVERDUE_STAGE_STRATEGY '%s' "
			    "(auto, range or probe)", env);
	}
	/* a long copy shows how far it got, on a terminal only (progress.h) */
	snprintf(what, sizeof what, "pg-stage %s", o.entity);
	progress_init(&prog, what, stderr, isatty(STDERR_FILENO),
	    progress_size(o.fd), NULL);
	o.progress = &prog;
	stage_run(&o, &r);
	fprintf(stderr, "%s: %s%s: %lld read, %lld staged, %lld unchanged (load %lld",
	    progname, o.entity, o.rejects ? " rejects" : "", r.read, r.staged,
	    r.read - r.staged, r.load_id);
	if (!o.rejects) {
		fprintf(stderr, "; %lld core rows looked up in %lld chunk%s: "
		    "%lld range, %lld probe", r.core_rows, r.chunks,
		    r.chunks == 1 ? "" : "s", r.ranges, r.probes);
		if (r.ranges_full > 0)
			fprintf(stderr, " (%lld range%s too full)", r.ranges_full,
			    r.ranges_full == 1 ? "" : "s");
		/* ru_maxrss: KiB on Linux */
		if (getrusage(RUSAGE_SELF, &ru) == 0)
			fprintf(stderr, "; peak %ld MiB", (ru.ru_maxrss + 1023) / 1024);
	}
	fprintf(stderr, ")\n");
	finish(0);
}
