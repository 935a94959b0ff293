/* die.c - diagnostics prefixed with the program name. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

const char *progname = "overdue";

void
setprogname(const char *argv0)
{
	const char *slash;

	if (argv0 != NULL && *argv0 != '\0') {
		slash = strrchr(argv0, '/');
		progname = slash != NULL ? slash + 1 : argv0;
	}
	/* A closed pipe shows up as EPIPE on write, which we treat as a quiet end. */
	signal(SIGPIPE, SIG_IGN);
}

void
vwarnf(const char *fmt, va_list ap)
{
	int saved = errno;
	size_t len = strlen(fmt);

	fprintf(stderr, "%s: ", progname);
	vfprintf(stderr, fmt, ap);
	if (len > 0 && fmt[len - 1] == ':')
		fprintf(stderr, " %s", strerror(saved));
	fputc('\n', stderr);
	errno = saved;
}

void
warnf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarnf(fmt, ap);
	va_end(ap);
}

void
die(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarnf(fmt, ap);
	va_end(ap);
	exit(status);
}
