/* parseint.c - strict whole-string integer parsing (like OpenBSD strtonum). */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>

#include "util.h"

int
parse_int64(const char *s, int64_t min, int64_t max, int64_t *out)
{
	char *end;
	long long v;

	if (s == NULL || *s == '\0' || isspace((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = (int64_t)v;
	return 0;
}
