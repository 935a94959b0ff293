/*
 * stagechunk.c - pg-stage's input in chunks of whole lines, their keys, and
 * the choice between a range scan and key probes (see stagechunk.h).
 */
#include <stdlib.h>
#include <string.h>

#include "db/pgbin.h"
#include "load/stagechunk.h"
#include "util.h"

void
linechunk_init(struct linechunk *k, long long max_lines, size_t max_bytes)
{
	k->cap = max_bytes + STAGE_READ;
	k->p = emalloc(k->cap);
	k->len = k->end = k->scan = 0;
	k->lines = 0;
	k->max_lines = max_lines < 1 ? 1 : max_lines;
	k->max_bytes = max_bytes < 1 ? 1 : max_bytes;
}

void
linechunk_free(struct linechunk *k)
{
	free(k->p);
	k->p = NULL;
	k->len = k->cap = k->end = k->scan = 0;
}

char *
linechunk_space(struct linechunk *k, size_t *room)
{
	if (k->cap - k->len < STAGE_READ) {
		/* only a line longer than the chunk gets here: hold all of it */
		k->cap = k->cap * 2 > k->len + STAGE_READ ? k->cap * 2 : k->len + STAGE_READ;
		k->p = erealloc(k->p, k->cap);
	}
	*room = STAGE_READ;
	return k->p + k->len;
}

/* count complete lines after p[0..end), up to max_lines */
static void
count(struct linechunk *k)
{
	const char *nl;

	while (k->lines < k->max_lines && k->scan < k->len) {
		nl = memchr(k->p + k->scan, '\n', k->len - k->scan);
		if (nl == NULL) {
			k->scan = k->len;
			return;
		}
		k->end = k->scan = (size_t)(nl - k->p) + 1;
		k->lines++;
	}
}

void
linechunk_added(struct linechunk *k, size_t n)
{
	k->len += n;
	count(k);
}

int
linechunk_ready(const struct linechunk *k)
{
	return k->lines >= k->max_lines || (k->lines > 0 && k->len >= k->max_bytes);
}

void
linechunk_next(struct linechunk *k)
{
	memmove(k->p, k->p + k->end, k->len - k->end);
	k->len -= k->end;
	k->scan -= k->end;
	k->end = 0;
	k->lines = 0;
	count(k);
}

int
stage_nkeys(int entity)
{
	return entity + 1;	/* clients: client_id; loans: + loan_name; payments: + payment_number */
}

/* the field at *p (up to a tab or end); moves *p past it; NULL if none is left */
static const char *
field(const char **p, const char *end, size_t *n)
{
	const char *f = *p, *tab;

	if (f > end)
		return NULL;
	tab = memchr(f, '\t', (size_t)(end - f));
	*n = (size_t)((tab != NULL ? tab : end) - f);
	*p = f + *n + 1;
	return f;
}

static int
is_null(const char *f, size_t n)
{
	return n == 2 && f[0] == '\\' && f[1] == 'N';
}

int
stage_key(const char *line, size_t n, int nkeys, struct stagekey *k)
{
	const char *p = line, *end = line + n, *f;
	size_t fn;
	int64_t v;

	k->loan = NULL;
	k->loan_len = 0;
	k->number = 0;
	if (field(&p, end, &fn) == NULL)	/* recno */
		return -1;
	if ((f = field(&p, end, &fn)) == NULL || parse_int64n(f, fn, INT64_MIN, INT64_MAX, &v) != 0)
		return -1;
	k->client_id = v;
	if (nkeys >= 2) {
		if ((f = field(&p, end, &fn)) == NULL || is_null(f, fn))
			return -1;
		k->loan = f;
		k->loan_len = fn;
	}
	if (nkeys >= 3) {
		if ((f = field(&p, end, &fn)) == NULL ||
		    parse_int64n(f, fn, INT32_MIN, INT32_MAX, &v) != 0)
			return -1;
		k->number = (int32_t)v;
	}
	return 0;
}

int
stagekey_tuple(struct buf *b, const struct stagekey *k, int nkeys)
{
	size_t start = b->len;
	long u;

	buf_putc(b, 0);
	buf_putc(b, (char)nkeys);	/* the field count, int16 big-endian */
	pgbin_int8(b, k->client_id);
	if (nkeys >= 2) {
		/* as pgbin_text, but unescaping in place: text only shrinks */
		buf_reserve(b, 4 + k->loan_len);
		u = pgbin_unescape(k->loan, k->loan_len, b->p + b->len + 4);
		if (u < 0) {
			b->len = start;
			return -1;
		}
		b->p[b->len] = (char)((unsigned long)u >> 24);
		b->p[b->len + 1] = (char)((unsigned long)u >> 16);
		b->p[b->len + 2] = (char)((unsigned long)u >> 8);
		b->p[b->len + 3] = (char)u;
		b->len += 4 + (size_t)u;
	}
	if (nkeys >= 3)
		pgbin_int4(b, k->number);
	return 0;
}

enum stage_how
stage_choose(const struct stage_core *core, enum stage_how force,
    long long nkeys, int64_t lo, int64_t hi, long long lines,
    int64_t *clo, int64_t *chi)
{
	double ids, span, est;

	if (nkeys <= 0 || core->empty || hi < core->min || lo > core->max)
		return STAGE_NONE;
	*clo = lo < core->min ? core->min : lo;
	*chi = hi > core->max ? core->max : hi;
	if (force == STAGE_RANGE || force == STAGE_PROBE)
		return force;
	/* an estimate, so doubles: ids may span all of bigint */
	ids = (double)core->max - (double)core->min + 1;
	span = (double)*chi - (double)*clo + 1;
	est = core->rows * (span / ids);
	return est <= (double)STAGE_RANGE_PER_LINE * (double)lines ? STAGE_RANGE : STAGE_PROBE;
}
