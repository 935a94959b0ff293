/* json2tsv - check seed-format JSON records and write PostgreSQL COPY text. */
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json/j2t.h"
#include "progress.h"
#include "util.h"

#define SYNOPSIS "json2tsv [-r rejects] [-m max] [-j jobs] entity [file]"

static const char help[] =
    "usage: " SYNOPSIS "\n"
    "Check a JSON array or NDJSON of one entity (clients, loans or payments)\n"
    "and write it as PostgreSQL COPY text: recno, then the seed's fields.\n"
    "  -r, --rejects FILE    write each rejected record to FILE (recno, offset,\n"
    "                        field, reason, raw record)\n"
    "  -m, --max-rejects N   stop with status 65 after more than N rejects\n"
    "      --help            show this help\n"
    "      --version         show the version\n"
    "See json2tsv(1).\n";

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{"rejects", required_argument, NULL, 'r'},
		{"max-rejects", required_argument, NULL, 'm'},
		{"jobs", required_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0}
	};
	struct j2t_opts o = {NULL, "<stdin>", NULL, -1, 0, 1, NULL};
	struct progress prog;
	char what[64];
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	const char *rejects = NULL;
	FILE *in = stdin;
	int64_t max;
	int c, status;

	setprogname(argv[0]);
	while ((c = getopt_long(argc, argv, "r:m:j:", longopts, NULL)) != -1) {
		switch (c) {
		case 'r':
			rejects = optarg;
			break;
		case 'm':
			if (parse_int64(optarg, 0, INT64_MAX, &max) != 0)
				usage_error(SYNOPSIS, "bad --max-rejects '%s' (want a count >= 0)", optarg);
			o.max_rejects = max;
			break;
		case 'j':
			if (parse_int64(optarg, 1, J2T_MAX_JOBS, &max) != 0)
				usage_error(SYNOPSIS, "bad --jobs '%s' (want 1..%d)", optarg, J2T_MAX_JOBS);
			o.jobs = (int)max;
			ncpu = 0;
			break;
		case 'h':
			print_help(help);
		case 'V':
			print_version();
		default:
			usage_error(SYNOPSIS, NULL);
		}
	}
	if (ncpu > 0)	/* no -j: one thread per CPU; more than 4 gain little */
		o.jobs = ncpu < 4 ? (int)ncpu : 4;
	argc -= optind;
	argv += optind;
	if (argc < 1 || argc > 2)
		usage_error(SYNOPSIS, argc < 1 ? "missing entity" : "too many arguments");
	o.entity = argv[0];
	if (j2t_entity(o.entity) == NULL)
		usage_error(SYNOPSIS, "unknown entity '%s' (clients, loans or payments)", o.entity);
	if (argc == 2 && strcmp(argv[1], "-") != 0) {
		if ((in = fopen(argv[1], "r")) == NULL)
			die(EX_NOINPUT, "%s:", argv[1]);
		o.inname = argv[1];
	}
	if (rejects != NULL && (o.rejects = fopen(rejects, "w")) == NULL)
		die(EX_CANTCREAT, "%s:", rejects);
#ifdef F_SETPIPE_SZ
	/* a bigger pipe lets the loader's COPY run beside us, not in turns */
	(void)fcntl(STDOUT_FILENO, F_SETPIPE_SZ, 1 << 20);
#endif
	/* a long run shows how far it got, on a terminal only (progress.h) */
	snprintf(what, sizeof what, "json2tsv %s", o.entity);
	progress_init(&prog, what, stderr, isatty(STDERR_FILENO),
	    progress_size(fileno(in)), NULL);
	o.progress = &prog;
	status = j2t_run(&o, in, stdout);
	if (in != stdin)
		fclose(in);
	if (o.rejects != NULL && fshut(o.rejects, rejects) != 0 && status == 0)
		status = EX_IOERR;
	finish(status);
}
