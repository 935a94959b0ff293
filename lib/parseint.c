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

/*
 * The same for the n bytes at s (not NUL-terminated: a field of a line): an
 * optional '-' and 1..19 digits, nothing else, within [min, max].  The hot
 * path of json2tsv's lines in pg-stage (pgbin.c, stagechunk.c).
 */
int
parse_int64n(const char *s, size_t n, int64_t min, int64_t max, int64_t *out)
{
	uint64_t v = 0, lim;
	size_t i = 0;
	int neg = 0;

	if (n > 0 && s[0] == '-') {
		neg = 1;
		i = 1;
	}
	if (i == n || n - i > 19)
		return -1;
	for (; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	lim = neg ? (uint64_t)0 - (uint64_t)min : (uint64_t)max;
	if (v > lim)
		return -1;
	*out = neg ? (int64_t)((uint64_t)0 - v) : (int64_t)v;
	return 0;
}
