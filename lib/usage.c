/* usage.c - --help, --version and usage errors, the same in every program. */
#include <stdlib.h>

#include "util.h"

void
print_help(const char *text)
{
	if (fputs(text, stdout) == EOF)
		die(EX_IOERR, "write error:");
	finish(0);
}

void
print_version(void)
{
	printf("%s (overdue) %s\n", progname, OVERDUE_VERSION);
	finish(0);
}

void
usage_error(const char *synopsis, const char *fmt, ...)
{
	va_list ap;

	if (fmt != NULL) {
		va_start(ap, fmt);
		vwarnf(fmt, ap);
		va_end(ap);
	}
	fprintf(stderr, "usage: %s\nTry '%s --help' for more information.\n",
	    synopsis, progname);
	exit(EX_USAGE);
}
