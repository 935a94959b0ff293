/* jtok.c - jsmn over one record; this file compiles jsmn itself (once). */
#include <jsmn.h>

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json/jtok.h"
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

#include "json/jstr.h"

/* white space, and the bytes that end a primitive in strict jsmn */
static const unsigned char flat_ws[256] = {[' '] = 1, ['\t'] = 1, ['\n'] = 1, ['\r'] = 1};
static const unsigned char flat_end[256] = {[' '] = 1, ['\t'] = 1, ['\n'] = 1, ['\r'] = 1,
    [','] = 1, [']'] = 1, ['}'] = 1};

#define SKIP_WS(js, i, len) while ((i) < (len) && flat_ws[(unsigned char)(js)[i]]) (i)++

#define ONES UINT64_C(0x0101010101010101)
#define LOW7 UINT64_C(0x7F7F7F7F7F7F7F7F)
#define HIGH UINT64_C(0x8080808080808080)

/* 0x80 in each byte of w that equals c, exactly (no carries between bytes) */
static inline uint64_t
bytes_eq(uint64_t w, unsigned char c)
{
	uint64_t x = w ^ (ONES * c);

	return ~(((x & LOW7) + LOW7) | x) & HIGH;
}

/*
 * Index of the first byte at or after i that is not white space: indented
 * records put a newline and a run of spaces before every member, so those
 * are skipped eight at a time (little-endian loads), the rest byte by byte.
 */
static inline size_t
skip_ws(const char *js, size_t i, size_t len)
{
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	while (i + 8 <= len) {
		uint64_t w, other;

		memcpy(&w, js + i, 8);
		other = ~(bytes_eq(w, ' ') | bytes_eq(w, '\n')) & HIGH;
		if (other == 0) {
			i += 8;
			continue;
		}
		i += (size_t)__builtin_ctzll(other) >> 3;
		break;
	}
#endif
	SKIP_WS(js, i, len);
	return i;
}

static inline void
flat_tok(jsmntok_t *t, jsmntype_t type, size_t start, size_t end, int size, int parent)
{
	t->type = type;
	t->start = (int)start;
	t->end = (int)end;
	t->size = size;
	t->parent = parent;
}

int
jtok_parse_flat(struct jtok *j, const char *js, size_t len, size_t max_string)
{
	size_t i = 1;
	const char *q;
	int n = 1, key;

	if (len == 0 || len > INT_MAX || js[0] != '{')
		return -1;
	if (j->cap < 64) {
		j->cap = 64;
		j->t = ereallocarray(j->t, j->cap, sizeof *j->t);
	}
	flat_tok(&j->t[0], JSMN_OBJECT, 0, 0, 0, -1);
	i = skip_ws(js, i, len);
	if (i < len && js[i] == '}')
		goto close;
	for (;;) {
		/* "key" : */
		if (i >= len || js[i] != '"' || (q = memchr(js + i + 1, '"', len - i - 1)) == NULL)
			return -1;
		if ((size_t)(q - js) - (i + 1) > max_string)
			return -1;
		if ((unsigned)n + 2 > j->cap) {
			if (j->cap > UINT_MAX / 2)
				return -1;
			j->cap *= 2;
			j->t = ereallocarray(j->t, j->cap, sizeof *j->t);
		}
		key = n;
		flat_tok(&j->t[n++], JSMN_STRING, i + 1, (size_t)(q - js), 1, 0);
		j->t[0].size++;
		i = (size_t)(q - js) + 1;
		SKIP_WS(js, i, len);
		if (i >= len || js[i] != ':')
			return -1;
		i++;
		SKIP_WS(js, i, len);
		if (i >= len)
			return -1;
		/* the value: a string or a primitive, never a container */
		if (js[i] == '"') {
			if ((q = memchr(js + i + 1, '"', len - i - 1)) == NULL ||
			    (size_t)(q - js) - (i + 1) > max_string)
				return -1;
			flat_tok(&j->t[n++], JSMN_STRING, i + 1, (size_t)(q - js), 0, key);
			i = (size_t)(q - js) + 1;
		} else {
			size_t s = i;

			while (i < len && !flat_end[(unsigned char)js[i]])
				i++;
			if (jprim_kind(js + s, i - s) == JP_INVALID)
				return -1;
			flat_tok(&j->t[n++], JSMN_PRIMITIVE, s, i, 0, key);
		}
		SKIP_WS(js, i, len);
		if (i < len && js[i] == ',') {
			i = skip_ws(js, i + 1, len);
			continue;
		}
		if (i < len && js[i] == '}')
			break;
		return -1;
	}
close:
	j->t[0].end = (int)++i;
	SKIP_WS(js, i, len);
	if (i != len)
		return -1;
	j->js = js;
	j->n = n;
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
