/* jtok.c - jsmn over one record; this file compiles jsmn itself (once). */
#include <jsmn.h>

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "jtok.h"
#include "util.h"

int
jtok_parse(struct jtok *j, const char *js, size_t len)
{
	jsmn_parser p;
	int n;

	if (len > INT_MAX)
		return JSMN_ERROR_INVAL;
	if (j->cap == 0) {
		j->cap = 64;
		j->t = ereallocarray(NULL, j->cap, sizeof *j->t);
	}
	jsmn_init(&p);
	for (;;) {
		n = jsmn_parse(&p, js, len, j->t, j->cap);
		if (n != JSMN_ERROR_NOMEM)
			break;
		/* the parser resumes where it stopped once it has room */
		if (j->cap > UINT_MAX / 2)
			return JSMN_ERROR_INVAL;
		j->cap *= 2;
		j->t = ereallocarray(j->t, j->cap, sizeof *j->t);
	}
	j->js = js;
	j->n = n < 0 ? 0 : n;
	if (n <= 0)
		return n < 0 ? n : JSMN_ERROR_PART;
	/* one value only: jsmn happily reads `{}{}` as two */
	if (jtok_skip(j, 0) != n)
		return JSMN_ERROR_INVAL;
	return n;
}

int
jtok_skip(const struct jtok *j, int i)
{
	int end = j->t[i].end, k = i + 1;

	while (k < j->n && j->t[k].start < end)
		k++;
	return k;
}

int
jtok_find(const struct jtok *j, int obj, const char *key)
{
	size_t klen = strlen(key);
	int i, end;

	if (j->t[obj].type != JSMN_OBJECT)
		return -1;
	end = jtok_skip(j, obj);
	for (i = obj + 1; i < end; ) {
		/* i is a key, i + 1 its value */
		if (JTOK_LEN(j, i) == klen && memcmp(JTOK_PTR(j, i), key, klen) == 0)
			return i + 1 < end ? i + 1 : -1;
		if (i + 1 >= end)
			break;
		i = jtok_skip(j, i + 1);
	}
	return -1;
}

void
jtok_free(struct jtok *j)
{
	free(j->t);
	j->t = NULL;
	j->cap = 0;
	j->n = 0;
}
