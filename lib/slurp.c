/* slurp.c - a whole text file in memory (see slurp.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "slurp.h"
#include "util.h"

char *
slurp(const char *path, int optional)
{
	struct buf b = BUF_INIT;
	FILE *fp = fopen(path, "rb");
	size_t n;

	if (fp == NULL) {
		if (optional && errno == ENOENT)
			return NULL;
		die(EX_NOINPUT, "cannot open %s:", path);
	}
	do {
		buf_reserve(&b, 8192);
		n = fread(b.p + b.len, 1, b.cap - b.len, fp);
		b.len += n;
	} while (n > 0);
	if (ferror(fp))
		die(EX_IOERR, "cannot read %s:", path);
	fclose(fp);
	if (memchr(b.p, '\0', b.len) != NULL)
		die(EX_DATAERR, "%s: a NUL byte: not a text file", path);
	buf_cstr(&b);
	return b.p;
}
