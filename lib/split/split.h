/*
 * split.h - json-split: cut clients, loans and payments into parts by loan
 * start date.
 *
 * The loans are ranked by loan_start_date; part i (1..N) holds the first
 * cut(i) loans of that ranking with their payments and clients (cumulative),
 * or only the loans ranked in [cut(i-1), cut(i)) (delta).  Two conventions:
 *
 *   default  cut(i) = ceil(i*L/N); equal start dates keep their input order.
 *   seed     the seed prototype's own split (pandas): chunk = ceil(L/N),
 *            cut(i) = min(i*chunk, L); equal start dates in the order numpy's
 *            (unstable) introsort argsort leaves them; payments grouped by
 *            loan in order of first appearance.  Byte-identical to the seed.
 *
 * Memory: an index of a few dozen bytes per loan and per client (keys are
 * interned, records are spooled to unlinked temporary files); see
 * man/json-split.1.
 */
#ifndef OVERDUE_SPLIT_H
#define OVERDUE_SPLIT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "json/jtok.h"

#define SPLIT_MAX_PARTS 10000
#define SPLIT_NONE UINT32_MAX

/* ---- cut-off math (split.c) ---------------------------------------- */

/* Loans in cumulative part i (0 <= i <= parts) of nloans; 0 for i = 0. */
uint64_t split_cut(uint64_t nloans, unsigned parts, unsigned i, int seed);

/* The first part (1-based) holding the loan ranked `rank` (0-based). */
unsigned split_part_of(uint64_t rank, uint64_t nloans, unsigned parts, int seed);

/*
 * Ranking: idx[k] = input position of the k-th loan, for day[0..n).
 * split_order_stable: by day, ties in input order.  split_order_seed: what
 * numpy's argsort(kind="quicksort") gives for the same keys (introsort:
 * median of three, insertion sort below 17 elements, heapsort when too deep).
 */
void split_order_stable(const int32_t *day, uint32_t n, uint32_t *idx);
void split_order_seed(const int32_t *day, uint32_t n, uint32_t *idx);

/* ---- key interning (keytab.c) ------------------------------------ */

/* Byte strings -> dense ids 0, 1, 2 ... (open addressing, arena storage). */
struct keytab {
	uint32_t *tab;		/* id + 1, or 0 = empty */
	size_t mask;
	uint32_t n, cap;
	uint64_t *off;		/* arena offset of key id */
	uint32_t *len, *hash;
	struct buf arena;
};

void keytab_init(struct keytab *t);
/* The id of key, adding it when new (*isnew set when non-NULL). */
uint32_t keytab_intern(struct keytab *t, const void *key, size_t len, int *isnew);
/* The id of key or SPLIT_NONE. */
uint32_t keytab_find(const struct keytab *t, const void *key, size_t len);
size_t keytab_bytes(const struct keytab *t);	/* memory held */
void keytab_free(struct keytab *t);

/* ---- one record (splitrec.c) ---------------------------------------- */

enum { SPLIT_CLIENT, SPLIT_LOAN, SPLIT_PAYMENT, SPLIT_NENT };

struct splitrec {
	int entity;		/* from "_entity", or -1 when absent */
	struct buf key;		/* client_id (canonical) [+ US + loan_name] */
	size_t cidlen;		/* key[0..cidlen) is the client key; 0 = none */
	int has_loan;		/* key holds client_id US loan_name */
	int has_day;		/* loan_start_date was usable */
	int32_t day;
};

/*
 * Tokenize one record (a JSON object), check its primitives, append it to
 * out in the seed's layout (two-space indent, one `"key":value` a line, no
 * space after the colon, no trailing newline) without any "_entity" member,
 * values copied as written; fill r.  Returns 0, or -1 with a reason in err.
 */
int split_record(struct jtok *j, const char *rec, size_t len, struct buf *out,
    struct splitrec *r, char *err, size_t errsz);

/* ---- the whole job (splitrun.c) ------------------------------------ */

struct split_opts {
	unsigned parts;
	int delta;		/* non-cumulative parts */
	int seed;		/* the seed prototype's sizes and order */
	int verbose;
	const char *outdir;
	const char *input;	/* NULL or "-": stdin; a folder; or a stream file */
};

/* Do it all; returns 0 or dies with a sysexits code. */
int split_run(const struct split_opts *o);

#endif
