/*
 * rowset.h - a set of 128-bit row hashes, for pg-stage's client-side filter.
 *
 * pg-stage fetches the current core versions of the keys of one chunk of
 * its input (COPY ... TO STDOUT, in the same COPY text json2tsv writes;
 * stagechunk.h), puts the hash of every line into a rowset, and then sends
 * the server only the chunk's lines whose hash is not in the set: a line
 * whose bytes equal a current version's line holds exactly that version's
 * values, so it is unchanged.  The set is cleared for the next chunk.
 *
 * Why 128 bits: a changed row is wrongly dropped only if its hash equals the
 * hash of one of the N lines in the set.  For a hash that behaves like a
 * random function that happens with probability N / 2^128 per input row --
 * about 10^-31 for ten million rows, far below the odds of a disk corrupting a
 * block undetected.  The hash is not cryptographic; it is seeded per process
 * (rowhash_seed), so a crafted export cannot aim at a collision it cannot
 * see.  The converse error (equal values whose text differs, e.g. an escape
 * written differently) only sends an unchanged row to the server, where
 * promote-core's exact comparison counts it as unchanged: slower, never wrong.
 *
 * Memory: 16 bytes per slot, at most 3/4 of the slots used, doubling as it
 * grows: between 21 and 43 bytes per row held.  pg-stage holds the rows of
 * one chunk at most (STAGE_RANGE_CAP per line): 16 MiB for 131 072 lines,
 * whatever the size of core.
 */
#ifndef OVERDUE_ROWSET_H
#define OVERDUE_ROWSET_H

#include <stddef.h>
#include <stdint.h>

struct rowhash {
	uint64_t a, b;
};

/* Seed the hash (both lanes); the same seed gives the same hashes. */
void rowhash_seed(uint64_t seed);
/* A fresh seed from the clock and the process id (not secret, just unknown). */
uint64_t rowhash_random_seed(void);
/* The 128-bit hash of p[0..n). */
struct rowhash rowhash(const void *p, size_t n);

struct rowset {
	struct rowhash *slot;	/* (0,0) = empty */
	size_t cap, n;		/* cap is a power of two */
};

void rowset_init(struct rowset *s);
void rowset_free(struct rowset *s);
/* Add h; returns 1 if it was new, 0 if it was there already. */
int rowset_add(struct rowset *s, struct rowhash h);
int rowset_has(const struct rowset *s, struct rowhash h);
/* Empty the set, keeping its memory for the next chunk. */
void rowset_clear(struct rowset *s);
/* Bytes allocated (for the summary line). */
size_t rowset_bytes(const struct rowset *s);

#endif
