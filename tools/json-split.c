/* json-split - cut clients, loans and payments into parts by loan start date. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "split/split.h"
#include "util.h"

#define SYNOPSIS "json-split [-dSv] [-p parts] [-o dir] [dir | file]"

static const char help[] =
    "usage: " SYNOPSIS "\n"
    "Split clients, loans and payments into parts by loan start date: part i\n"
    "holds the first ceil(i*L/N) of the L loans with their payments and clients,\n"
    "as DIR/part_i/{clients,loans,payments}_i.json.\n"
    "\n"
    "  -p, --parts N        number of parts, 1.." "10000" " (default 5)\n"
    "  -o, --output DIR     output folder (default $SPLIT_DIR, else data/split)\n"
    "  -d, --delta          part i holds only what is new in it (not cumulative)\n"
    "  -S, --seed-compat    the seed prototype's part sizes and order\n"
    "  -v, --verbose        a summary on stderr\n"
    "      --help           this text\n"
    "      --version        the version\n"
    "\n"
    "Input: the tagged NDJSON stream of gen-clients on stdin (or in FILE), or a\n"
    "folder DIR holding clients.json, loans.json and payments.json.\n"
    "See json-split(1).\n";

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{"parts", required_argument, NULL, 'p'},
		{"output", required_argument, NULL, 'o'},
		{"delta", no_argument, NULL, 'd'},
		{"seed-compat", no_argument, NULL, 'S'},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	struct split_opts o = {.parts = 5};
	const char *env;
	int64_t v;
	int c;

	setprogname(argv[0]);
	env = getenv("SPLIT_DIR");
	o.outdir = env != NULL && *env != '\0' ? env : "data/split";
	while ((c = getopt_long(argc, argv, "p:o:dSv", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (parse_int64(optarg, 1, SPLIT_MAX_PARTS, &v) != 0)
				usage_error(SYNOPSIS, "-p: '%s' is not a number of parts (1..%d)",
				    optarg, SPLIT_MAX_PARTS);
			o.parts = (unsigned)v;
			break;
		case 'o':
			if (*optarg == '\0')
				usage_error(SYNOPSIS, "-o: an empty folder name");
			o.outdir = optarg;
			break;
		case 'd':
			o.delta = 1;
			break;
		case 'S':
			o.seed = 1;
			break;
		case 'v':
			o.verbose = 1;
			break;
		case 'h':
			print_help(help);
		case 'V':
			print_version();
		default:
			usage_error(SYNOPSIS, NULL);
		}
	}
	if (argc - optind > 1)
		usage_error(SYNOPSIS, "one input (a folder or a file) at most");
	o.input = optind < argc ? argv[optind] : NULL;
	split_run(&o);
	finish(0);
}
