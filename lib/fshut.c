/* fshut.c - close output streams and never report success over a lost write. */
#include <errno.h>
#include <stdlib.h>

#include "util.h"

void
efwrite(const void *p, size_t n, FILE *fp)
{
	if (n == 0 || fwrite(p, 1, n, fp) == n)
		return;
	if (errno == EPIPE)
		exit(0);
	die(EX_IOERR, "write error:");
}

int
fshut(FILE *fp, const char *name)
{
	int bad = 0;

	if (fflush(fp) == EOF)
		bad = 1;
	if (ferror(fp))
		bad = 1;
	if (fclose(fp) == EOF)
		bad = 1;
	if (!bad)
		return 0;
	if (errno == EPIPE)
		return 0;		/* the reader went away: a quiet, normal end */
	warnf("%s: write error:", name);
	return -1;
}

void
finish(int status)
{
	if (fshut(stdout, "<stdout>") != 0 && status == 0)
		status = EX_IOERR;
	exit(status);
}
