/*
 * rowset.c - 128-bit row hashes and an open-addressing set of them.
 *
 * The hash reads the input 8 bytes at a time into two independent lanes
 * (different update rules and constants), mixes the length in, and ends
 * each lane with a full avalanche that also folds in the other lane.  Each
 * per-word step is a bijection of the lane state, so two inputs that differ
 * in one word always differ after that word; collisions need the rest of
 * the input to cancel the difference in both lanes at once.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "db/rowset.h"
#include "util.h"

static uint64_t seed_a = 0x243f6a8885a308d3u, seed_b = 0x13198a2e03707344u;

static uint64_t
rotl(uint64_t x, int r)
{
	return (x << r) | (x >> (64 - r));
}

/* a 64-bit finaliser: every input bit affects every output bit */
static uint64_t
avalanche(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9u;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebu;
	x ^= x >> 31;
	return x;
}

void
rowhash_seed(uint64_t seed)
{
	seed_a = avalanche(seed ^ 0x243f6a8885a308d3u);
	seed_b = avalanche(seed ^ 0xa4093822299f31d0u);
}

uint64_t
rowhash_random_seed(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return avalanche((uint64_t)ts.tv_sec * 1000000007u ^ (uint64_t)ts.tv_nsec ^
	    ((uint64_t)getpid() << 40));
}

struct rowhash
rowhash(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t a = seed_a ^ n, b = seed_b, w;
	size_t i;
	struct rowhash h;

	for (i = 0; i + 8 <= n; i += 8) {
		memcpy(&w, s + i, 8);
		a ^= w;
		a *= 0x9e3779b97f4a7c15u;
		a ^= a >> 29;
		b += w ^ 0xd6e8feb86659fd93u;
		b = rotl(b, 27) * 0xc2b2ae3d27d4eb4fu;
	}
	if (i < n) {
		w = 0;
		memcpy(&w, s + i, n - i);
		w ^= (uint64_t)(n - i) << 59;	/* "ab" and "ab\0" differ */
		a ^= w;
		a *= 0x9e3779b97f4a7c15u;
		a ^= a >> 29;
		b += w ^ 0xd6e8feb86659fd93u;
		b = rotl(b, 27) * 0xc2b2ae3d27d4eb4fu;
	}
	b ^= n * 0xff51afd7ed558ccdu;
	h.a = avalanche(a + rotl(b, 17));
	h.b = avalanche(b ^ h.a);
	if (h.a == 0 && h.b == 0)	/* (0,0) marks an empty slot */
		h.b = 1;
	return h;
}

void
rowset_init(struct rowset *s)
{
	s->cap = 1024;
	s->n = 0;
	s->slot = ecalloc(s->cap, sizeof *s->slot);
}

void
rowset_free(struct rowset *s)
{
	free(s->slot);
	s->slot = NULL;
	s->cap = s->n = 0;
}

static int
put(struct rowhash *slot, size_t mask, struct rowhash h)
{
	size_t i = (size_t)h.a & mask;

	while (slot[i].a != 0 || slot[i].b != 0) {
		if (slot[i].a == h.a && slot[i].b == h.b)
			return 0;
		i = (i + 1) & mask;
	}
	slot[i] = h;
	return 1;
}

int
rowset_add(struct rowset *s, struct rowhash h)
{
	int added;

	if ((s->n + 1) * 4 > s->cap * 3) {
		size_t cap = s->cap * 2;
		struct rowhash *slot = ecalloc(cap, sizeof *slot);

		for (size_t i = 0; i < s->cap; i++)
			if (s->slot[i].a != 0 || s->slot[i].b != 0)
				put(slot, cap - 1, s->slot[i]);
		free(s->slot);
		s->slot = slot;
		s->cap = cap;
	}
	added = put(s->slot, s->cap - 1, h);
	s->n += (size_t)added;
	return added;
}

int
rowset_has(const struct rowset *s, struct rowhash h)
{
	size_t mask = s->cap - 1, i = (size_t)h.a & mask;

	while (s->slot[i].a != 0 || s->slot[i].b != 0) {
		if (s->slot[i].a == h.a && s->slot[i].b == h.b)
			return 1;
		i = (i + 1) & mask;
	}
	return 0;
}

void
rowset_clear(struct rowset *s)
{
	memset(s->slot, 0, s->cap * sizeof *s->slot);
	s->n = 0;
}

size_t
rowset_bytes(const struct rowset *s)
{
	return s->cap * sizeof *s->slot;
}
