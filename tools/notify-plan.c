/* notify-plan - the day's client notifications, one row per client, into the contact log. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "date.h"
#include "notify/planrun.h"
#include "util.h"

#define SYNOPSIS "notify-plan [-d conninfo] [--as-of YYYY-MM-DD] [--policy FILE] " \
    "[--calendar FILE] [--zones FILE] [--format tsv|json] [--dry-run]"

static const char help[] =
    "usage: " SYNOPSIS "\n"
    "Plan the day's client notifications from the mart (built as of the day),\n"
    "the clients' contact data and the contact log: one row per client to\n"
    "contact, all its loans together, with the step, the channel, the allowed\n"
    "window in the client's local time and a priority; the plan goes to\n"
    "standard output and into the contact log (notify.contact) in one\n"
    "transaction.  A second run for the same day plans nothing new.\n"
    "  -a, --as-of DATE      the plan's day (default: today); the mart must be\n"
    "                        built as of it\n"
    "  -p, --policy FILE     policy keys over the compiled-in defaults\n"
    "  -c, --calendar FILE   the production calendar (default: compiled in)\n"
    "  -z, --zones FILE      regions and cities to time zones (default: compiled in)\n"
    "  -f, --format FORMAT   tsv (default) or json\n"
    "  -n, --dry-run         print the plan, write nothing to the contact log\n"
    "  -d, --dbname CONN     libpq conninfo (default: PG* variables)\n"
    "  -h, --help, -V, --version\n";

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"as-of", required_argument, NULL, 'a'},
		{"policy", required_argument, NULL, 'p'},
		{"calendar", required_argument, NULL, 'c'},
		{"zones", required_argument, NULL, 'z'},
		{"format", required_argument, NULL, 'f'},
		{"dry-run", no_argument, NULL, 'n'},
		{"dbname", required_argument, NULL, 'd'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0}
	};
	struct planrun_opts o = {0};
	struct planrun_stats st;
	char day[DATE_BUFSZ];
	int ch, have_day = 0;

	setprogname(argv[0]);
	while ((ch = getopt_long(argc, argv, "a:p:c:z:f:nd:hV", opts, NULL)) != -1) {
		switch (ch) {
		case 'a':
			if (strlen(optarg) != 10 || date_parse(optarg, 10, &o.day) != 0)
				usage_error(SYNOPSIS, "--as-of: '%s' is not a date YYYY-MM-DD", optarg);
			have_day = 1;
			break;
		case 'p': o.policy = optarg; break;
		case 'c': o.calendar = optarg; break;
		case 'z': o.zones = optarg; break;
		case 'f':
			if (strcmp(optarg, "tsv") == 0)
				o.json = 0;
			else if (strcmp(optarg, "json") == 0)
				o.json = 1;
			else
				usage_error(SYNOPSIS, "--format: '%s' is not tsv or json", optarg);
			break;
		case 'n': o.dry_run = 1; break;
		case 'd': o.conninfo = optarg; break;
		case 'h': print_help(help);
		case 'V': print_version();
		default: usage_error(SYNOPSIS, NULL);
		}
	}
	if (optind != argc)
		usage_error(SYNOPSIS, "unexpected argument '%s'", argv[optind]);
	if (!have_day)
		o.day = date_today();
	o.now = (int64_t)time(NULL);

	planrun(&o, stdout, &st);
	date_format(o.day, day);
	fprintf(stderr, "%s: %s: %lld %s, %lld already planned, %lld excluded, %lld clients "
	    "(sms %lld, email %lld, call %lld, letter %lld; %lld calls over capacity)\n",
	    progname, day, st.contacts, o.dry_run ? "contacts planned (dry run: none logged)" :
	    "new contacts", st.already, st.excluded, st.clients, st.by_channel[CH_SMS],
	    st.by_channel[CH_EMAIL], st.by_channel[CH_CALL], st.by_channel[CH_LETTER],
	    st.calls_moved);
	finish(0);
}
