/* split.c - json-split's cut-off math and loan ranking (see split.h). */
#include <stdlib.h>

#include "split/split.h"
#include "util.h"

uint64_t
split_cut(uint64_t nloans, unsigned parts, unsigned i, int seed)
{
	uint64_t chunk, c;

	if (parts == 0 || i == 0)
		return 0;
	if (i >= parts)
		return nloans;
	if (seed) {
		/* the seed: chunk = ceil(L/N); part i = first min(i*chunk, L) */
		chunk = (nloans + parts - 1) / parts;
		c = chunk * i;
		return c < nloans ? c : nloans;
	}
	/* ceil(i*L/N); i*L < 2^64 for L < 2^32 and N <= SPLIT_MAX_PARTS */
	return ((uint64_t)i * nloans + parts - 1) / parts;
}

unsigned
split_part_of(uint64_t rank, uint64_t nloans, unsigned parts, int seed)
{
	uint64_t chunk;

	if (parts == 0 || nloans == 0 || rank >= nloans)
		return parts;
	if (seed) {
		chunk = (nloans + parts - 1) / parts;
		return (unsigned)(rank / chunk) + 1;
	}
	/* rank < ceil(i*L/N)  <=>  rank*N < i*L  <=>  i > rank*N/L */
	return (unsigned)(rank * parts / nloans) + 1;
}

/* ---- stable order ---------------------------------------------------- */

struct dp {
	int32_t day;
	uint32_t pos;
};

static int
cmp_dp(const void *a, const void *b)
{
	const struct dp *x = a, *y = b;

	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

void
split_order_stable(const int32_t *day, uint32_t n, uint32_t *idx)
{
	struct dp *v;
	uint32_t i;

	if (n == 0)
		return;
	v = ereallocarray(NULL, n, sizeof *v);
	for (i = 0; i < n; i++) {
		v[i].day = day[i];
		v[i].pos = i;
	}
	qsort(v, n, sizeof *v, cmp_dp);
	for (i = 0; i < n; i++)
		idx[i] = v[i].pos;
	free(v);
}

/* ---- numpy's argsort(kind="quicksort"), for the seed's tie order ---------
 *
 * Written from the algorithm's description (numpy/_core/src/npysort/
 * quicksort.cpp, aquicksort_ and aheapsort_): an introsort over an index
 * array.  Partitions larger than 16 elements are split around the median of
 * first, middle and last; the smaller side is sorted first while the larger
 * one waits on a stack; small ranges are insertion-sorted; a depth limit of
 * 2*floor(log2 n) falls back to heapsort.  Equal keys end up in whatever
 * order that leaves, which is what the seed's pandas sort_values wrote.
 */

#define SMALL_QUICKSORT 16
#define QS_STACK 128

static void
aheapsort(const int32_t *v, uint32_t *tosort, size_t n)
{
	uint32_t *a = tosort - 1, tmp;	/* 1-based heap */
	size_t i, j, l;

	for (l = n >> 1; l > 0; --l) {
		tmp = a[l];
		for (i = l, j = l << 1; j <= n;) {
			if (j < n && v[a[j]] < v[a[j + 1]])
				j += 1;
			if (v[tmp] < v[a[j]]) {
				a[i] = a[j];
				i = j;
				j += j;
			} else
				break;
		}
		a[i] = tmp;
	}
	for (; n > 1;) {
		tmp = a[n];
		a[n] = a[1];
		n -= 1;
		for (i = 1, j = 2; j <= n;) {
			if (j < n && v[a[j]] < v[a[j + 1]])
				j++;
			if (v[tmp] < v[a[j]]) {
				a[i] = a[j];
				i = j;
				j += j;
			} else
				break;
		}
		a[i] = tmp;
	}
}

#define ISWAP(a, b) do { uint32_t t_ = (a); (a) = (b); (b) = t_; } while (0)

void
split_order_seed(const int32_t *v, uint32_t num, uint32_t *tosort)
{
	uint32_t *pl, *pr, *pm, *pi, *pj, *pk, vi;
	uint32_t *stack[QS_STACK], **sptr = stack;
	int depth[QS_STACK], *psdepth = depth, cdepth = 0;
	int32_t vp;
	uint32_t i, u;

	for (i = 0; i < num; i++)
		tosort[i] = i;
	if (num < 2)
		return;
	for (u = num; u >>= 1;)
		cdepth++;
	cdepth *= 2;
	pl = tosort;
	pr = tosort + num - 1;
	for (;;) {
		if (cdepth < 0) {
			aheapsort(v, pl, (size_t)(pr - pl) + 1);
			goto stack_pop;
		}
		while (pr - pl > SMALL_QUICKSORT) {
			pm = pl + ((pr - pl) >> 1);
			if (v[*pm] < v[*pl])
				ISWAP(*pm, *pl);
			if (v[*pr] < v[*pm])
				ISWAP(*pr, *pm);
			if (v[*pm] < v[*pl])
				ISWAP(*pm, *pl);
			vp = v[*pm];
			pi = pl;
			pj = pr - 1;
			ISWAP(*pm, *pj);
			for (;;) {
				do
					++pi;
				while (v[*pi] < vp);
				do
					--pj;
				while (vp < v[*pj]);
				if (pi >= pj)
					break;
				ISWAP(*pi, *pj);
			}
			pk = pr - 1;
			ISWAP(*pi, *pk);
			/* push the larger partition, go on with the smaller */
			if (pi - pl < pr - pi) {
				*sptr++ = pi + 1;
				*sptr++ = pr;
				pr = pi - 1;
			} else {
				*sptr++ = pl;
				*sptr++ = pi - 1;
				pl = pi + 1;
			}
			*psdepth++ = --cdepth;
		}
		/* insertion sort */
		for (pi = pl + 1; pi <= pr; ++pi) {
			vi = *pi;
			vp = v[vi];
			pj = pi;
			pk = pi - 1;
			while (pj > pl && vp < v[*pk])
				*pj-- = *pk--;
			*pj = vi;
		}
stack_pop:
		if (sptr == stack)
			break;
		pr = *(--sptr);
		pl = *(--sptr);
		cdepth = *(--psdepth);
	}
}
