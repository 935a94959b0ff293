/*
 * prng.h - a small, seeded, reproducible PRNG (xoshiro256** seeded through
 * splitmix64).  Same seed and stream => same sequence on every machine.
 * Independent streams (e.g. one per client id) keep output independent of
 * generation order.
 */
#ifndef OVERDUE_PRNG_H
#define OVERDUE_PRNG_H

#include <stdint.h>

struct rng {
	uint64_t s[4];
};

void rng_seed(struct rng *r, uint64_t seed, uint64_t stream);
uint64_t rng_next(struct rng *r);
/* Uniform in [0, n), unbiased; n > 0. */
uint64_t rng_below(struct rng *r, uint64_t n);
/* Uniform in [lo, hi], inclusive. */
int64_t rng_range(struct rng *r, int64_t lo, int64_t hi);
/* True with probability permille/1000 (integer, so no float drift). */
int rng_permille(struct rng *r, unsigned permille);
/* Index drawn from integer weights w[0..n). */
unsigned rng_weighted(struct rng *r, const unsigned *w, unsigned n);

#endif
