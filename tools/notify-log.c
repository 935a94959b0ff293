/* notify-log - append delivery results, or load the restrictions list, into the contact log. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "notify/logrun.h"
#include "util.h"

#define SYNOPSIS "notify-log [-d conninfo] [--restrictions FILE]"

static const char help[] =
    "usage: " SYNOPSIS "\n"
    "Append delivery results read from standard input, TSV lines\n"
    "  contact_id  event  at  [detail]\n"
    "(event: sent, delivered, failed or bounced; at: UTC, YYYY-MM-DDTHH:MM:SSZ)\n"
    "to the contact log, in one transaction; a line naming a contact the log\n"
    "does not hold is rejected with its reason (exit status 65), the rest\n"
    "appended.  With --restrictions, load the restrictions list instead:\n"
    "  client_id  kind  valid_from  [valid_to]  [note]\n"
    "(kind: bankruptcy, refusal, incapacity or representative), each line a\n"
    "new version unless the one in force says the same.\n"
    "  -r, --restrictions FILE  the restrictions list ('-': standard input)\n"
    "  -d, --dbname CONN        libpq conninfo (default: PG* variables)\n"
    "  -h, --help, -V, --version\n";

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"restrictions", required_argument, NULL, 'r'},
		{"dbname", required_argument, NULL, 'd'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0}
	};
	const char *conninfo = NULL, *rfile = NULL;
	struct logrun_stats st;
	int64_t now = (int64_t)time(NULL);
	int ch;

	setprogname(argv[0]);
	while ((ch = getopt_long(argc, argv, "r:d:hV", opts, NULL)) != -1) {
		switch (ch) {
		case 'r': rfile = optarg; break;
		case 'd': conninfo = optarg; break;
		case 'h': print_help(help);
		case 'V': print_version();
		default: usage_error(SYNOPSIS, NULL);
		}
	}
	if (optind != argc)
		usage_error(SYNOPSIS, "unexpected argument '%s'", argv[optind]);

	if (rfile != NULL) {
		FILE *in = strcmp(rfile, "-") == 0 ? stdin : fopen(rfile, "r");

		if (in == NULL)
			die(errno == ENOENT ? EX_NOINPUT : EX_IOERR, "%s:", rfile);
		logrun_restrictions(conninfo, in, strcmp(rfile, "-") == 0 ? "stdin" : rfile, now, &st);
		if (in != stdin)
			fclose(in);
		fprintf(stderr, "%s: restrictions: %lld read, %lld new versions, %lld unchanged, "
		    "%lld rejected\n", progname, st.read, st.appended, st.unchanged, st.rejected);
	} else {
		logrun_events(conninfo, stdin, "stdin", now, &st);
		fprintf(stderr, "%s: events: %lld read, %lld appended, %lld already logged, "
		    "%lld rejected\n", progname, st.read, st.appended, st.unchanged, st.rejected);
	}
	finish(st.rejected > 0 ? EX_DATAERR : 0);
}
