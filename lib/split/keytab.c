/* keytab.c - intern byte strings as dense ids (see split.h). */
#include <stdlib.h>
#include <string.h>

#include "split/split.h"
#include "util.h"

static uint32_t
hashkey(const void *key, size_t len)
{
	const unsigned char *p = key;
	uint64_t h = UINT64_C(14695981039346656037);	/* FNV-1a, then a mix */
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= p[i];
		h *= UINT64_C(1099511628211);
	}
	h ^= h >> 33;
	h *= UINT64_C(0xff51afd7ed558ccd);
	h ^= h >> 33;
	return (uint32_t)h;
}

void
keytab_init(struct keytab *t)
{
	memset(t, 0, sizeof *t);
	t->mask = 1023;
	t->tab = ecalloc(t->mask + 1, sizeof *t->tab);
}

static int
same(const struct keytab *t, uint32_t id, uint32_t h, const void *key, size_t len)
{
	return t->hash[id] == h && t->len[id] == len &&
	    memcmp(t->arena.p + t->off[id], key, len) == 0;
}

uint32_t
keytab_find(const struct keytab *t, const void *key, size_t len)
{
	uint32_t h = hashkey(key, len), id;
	size_t i;

	for (i = h & t->mask; t->tab[i] != 0; i = (i + 1) & t->mask) {
		id = t->tab[i] - 1;
		if (same(t, id, h, key, len))
			return id;
	}
	return SPLIT_NONE;
}

static void
grow_table(struct keytab *t)
{
	size_t size = (t->mask + 1) * 2, i;
	uint32_t id;

	free(t->tab);
	t->tab = ecalloc(size, sizeof *t->tab);
	t->mask = size - 1;
	for (id = 0; id < t->n; id++) {
		for (i = t->hash[id] & t->mask; t->tab[i] != 0; i = (i + 1) & t->mask)
			;
		t->tab[i] = id + 1;
	}
}

uint32_t
keytab_intern(struct keytab *t, const void *key, size_t len, int *isnew)
{
	uint32_t h = hashkey(key, len), id;
	size_t i;

	if (isnew != NULL)
		*isnew = 0;
	for (i = h & t->mask; t->tab[i] != 0; i = (i + 1) & t->mask) {
		id = t->tab[i] - 1;
		if (same(t, id, h, key, len))
			return id;
	}
	if (t->n >= SPLIT_NONE - 1 || len > UINT32_MAX)
		die(EX_SOFTWARE, "too many or too long keys");
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 1024;
		t->off = ereallocarray(t->off, t->cap, sizeof *t->off);
		t->len = ereallocarray(t->len, t->cap, sizeof *t->len);
		t->hash = ereallocarray(t->hash, t->cap, sizeof *t->hash);
	}
	id = t->n++;
	t->off[id] = t->arena.len;
	t->len[id] = (uint32_t)len;
	t->hash[id] = h;
	buf_put(&t->arena, key, len);
	if (isnew != NULL)
		*isnew = 1;
	if ((size_t)t->n * 2 > t->mask + 1)
		grow_table(t);		/* keep the load factor at most 1/2 */
	else
		t->tab[i] = id + 1;
	return id;
}

size_t
keytab_bytes(const struct keytab *t)
{
	return (t->mask + 1) * sizeof *t->tab + (size_t)t->cap *
	    (sizeof *t->off + sizeof *t->len + sizeof *t->hash) + t->arena.cap;
}

void
keytab_free(struct keytab *t)
{
	free(t->tab);
	free(t->off);
	free(t->len);
	free(t->hash);
	buf_free(&t->arena);
	memset(t, 0, sizeof *t);
}
