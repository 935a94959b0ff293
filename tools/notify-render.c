/* notify-render - a day's contact plan in, SMS, e-mail, a call list and letters out. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "notify/law.h"
#include "notify/renderrun.h"
#include "util.h"

#define SYNOPSIS "notify-render [--templates dir] [--policy file] " \
	"[--channel sms|email|call|letter] [--format tsv|json] [--outdir dir]"

static const char help[] =
    "usage: " SYNOPSIS "\n"
    "Turn notify-plan's TSV (on stdin) into the messages of its rows, from\n"
    "editable templates (Russian by default) that state the creditor's name\n"
    "and phone.\n"
    "\n"
    "  -c, --channel CH     render only the rows of channel CH, on stdout:\n"
    "                       sms    TSV: contact_id phone segments encoding text\n"
    "                       email  an mbox stream of RFC 5322 messages\n"
    "                       call   a CSV call list (RFC 4180)\n"
    "                       letter printable letters separated by form feeds\n"
    "  -f, --format FMT     SMS as tsv (default) or json (one gateway request a line)\n"
    "  -o, --outdir DIR     write everything (or --channel's rows) into the new\n"
    "                       folder DIR for pipelines/notify-send: sms/ID.json,\n"
    "                       email/ID.eml, letters/ID.txt, sms.tsv, calls.csv,\n"
    "                       queue.tsv (the send order and windows, UTC), rejects.tsv\n"
    "  -t, --templates DIR  templates in DIR override the compiled-in ones\n"
    "  -p, --policy FILE    the policy (creditor_name, creditor_phone, predue_days)\n"
    "      --help           this text\n"
    "      --version        the version\n"
    "\n"
    "E-mail comes from $OVERDUE_MAIL_FROM (default " RENDER_DEFAULT_FROM ").\n"
    "See notify-render(1).\n";

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{"channel", required_argument, NULL, 'c'},
		{"format", required_argument, NULL, 'f'},
		{"outdir", required_argument, NULL, 'o'},
		{"templates", required_argument, NULL, 't'},
		{"policy", required_argument, NULL, 'p'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	struct render_opts o = {.channel = RENDER_ALL};
	const char *from = getenv("OVERDUE_MAIL_FROM");
	enum channel ch;
	int c, fmt = 0;

	setprogname(argv[0]);
	while ((c = getopt_long(argc, argv, "c:f:o:t:p:", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			if (channel_parse(optarg, &ch) != 0)
				usage_error(SYNOPSIS, "--channel: '%s' is not sms, email, call or letter",
				    optarg);
			o.channel = (int)ch;
			break;
		case 'f':
			if (strcmp(optarg, "json") == 0)
				o.json = 1;
			else if (strcmp(optarg, "tsv") != 0)
				usage_error(SYNOPSIS, "--format: '%s' is not tsv or json", optarg);
			fmt = 1;
			break;
		case 'o':
			if (*optarg == '\0')
				usage_error(SYNOPSIS, "--outdir: an empty folder name");
			o.outdir = optarg;
			break;
		case 't':
			o.templates = optarg;
			break;
		case 'p':
			o.policy = optarg;
			break;
		case 'h':
			print_help(help);
		case 'V':
			print_version();
		default:
			usage_error(SYNOPSIS, NULL);
		}
	}
	if (optind < argc)
		usage_error(SYNOPSIS, "the plan comes on standard input, not as '%s'", argv[optind]);
	if (o.outdir == NULL && o.channel == RENDER_ALL)
		usage_error(SYNOPSIS, "--channel or --outdir: standard output takes one channel");
	if (fmt && (o.outdir != NULL || o.channel != CH_SMS))
		usage_error(SYNOPSIS, "--format is for --channel sms on standard output");
	o.from = from != NULL && *from != '\0' ? from : RENDER_DEFAULT_FROM;
	o.now = time(NULL);
	render_run(&o, stdin);
	finish(0);
}
