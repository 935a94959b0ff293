/*
 * stagechunk.h - pg-stage's input a chunk at a time, the keys of a chunk,
 * and how to look up their current core versions.
 *
 * pg-stage drops the input lines that equal the current core version of
 * their key (rowset.h).  It used to read every current version of the
 * entity first: time and memory grew with core.  Now it reads the input in
 * chunks of whole lines -- at most STAGE_CHUNK_LINES lines, and no more
 * lines once STAGE_CHUNK_BYTES bytes are buffered -- and asks core only
 * about the keys of the chunk in hand, one of two ways:
 *
 *   range  the current versions of every client in [lo, hi], the chunk's
 *          smallest and largest client_id: one index range scan.  A part
 *          sorted by client (json-split writes them so) holds whole clients,
 *          so a cumulative part re-sent costs one scan of what it repeats.
 *   probe  the chunk's keys in a temporary table, joined to the version
 *          table's unique index key by key: a sparse daily delta spread
 *          over all clients reads only its own keys.
 *
 * A range is chosen when core is estimated to hold at most
 * STAGE_RANGE_PER_LINE rows per chunk line in it, assuming client ids
 * spread evenly between core.client's smallest and largest (the version
 * table's row count from its statistics).  A range query returns at most
 * STAGE_RANGE_CAP rows per chunk line; a range that holds more (ids not
 * spread evenly) is probed instead, so memory stays bounded either way.
 */
#ifndef OVERDUE_STAGECHUNK_H
#define OVERDUE_STAGECHUNK_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define STAGE_CHUNK_LINES 131072
#define STAGE_CHUNK_BYTES (16u << 20)
#define STAGE_READ (1u << 20)		/* bytes per read(2) */
#define STAGE_RANGE_PER_LINE 4		/* estimated core rows per line for a range */
#define STAGE_RANGE_CAP 6		/* rows per line a range may return */

/*
 * The input buffer: bytes read and not yet handed out.  p[0..end) holds the
 * first `lines` complete lines (newlines included); the rest is more lines
 * or part of one.  A line longer than the chunk makes the buffer grow to
 * hold it (json2tsv caps its records, so lines are short).
 */
struct linechunk {
	char *p;
	size_t len, cap;
	size_t end;		/* the chunk's complete lines: p[0..end) */
	size_t scan;		/* p[end..scan) has no newline */
	long long lines;	/* complete lines in p[0..end) */
	long long max_lines;
	size_t max_bytes;
};
void linechunk_init(struct linechunk *k, long long max_lines, size_t max_bytes);
void linechunk_free(struct linechunk *k);
/* Where the next read(2) goes; *room is how many bytes it may bring. */
char *linechunk_space(struct linechunk *k, size_t *room);
/* n bytes were read into the space. */
void linechunk_added(struct linechunk *k, size_t n);
/* 1 if p[0..end) is a full chunk: max_lines lines, or max_bytes buffered. */
int linechunk_ready(const struct linechunk *k);
/* Drop the chunk p[0..end) (processed); the rest starts the next one. */
void linechunk_next(struct linechunk *k);

/*
 * The key of one json2tsv line (its first fields after recno): client_id,
 * then for nkeys >= 2 loan_name (COPY text, still escaped), for nkeys == 3
 * payment_number.
 */
struct stagekey {
	int64_t client_id;
	const char *loan;	/* into the line */
	size_t loan_len;
	int32_t number;
};
/* The key columns of an entity (stage_entities order): 1, 2 or 3. */
int stage_nkeys(int entity);
/*
 * Parse the key of line[0..n) (without its newline).  -1 if the line cannot
 * hold the key of a core row: fields missing, \N, a number that does not
 * parse.  Such a line never equals a current version, so it needs no
 * look-up (and fails later, if it is bad, where every field is parsed).
 */
int stage_key(const char *line, size_t n, int nkeys, struct stagekey *k);
/*
 * Append the key as a binary COPY tuple (pgbin.h) of nkeys fields for
 * sql/staging/copy_keys.sql; -1 (b unchanged) if loan_name's escapes do
 * not decode.
 */
int stagekey_tuple(struct buf *b, const struct stagekey *k, int nkeys);

enum stage_how {
	STAGE_AUTO,	/* chosen per chunk (stage_choose) */
	STAGE_NONE,	/* no look-up: no key in the chunk is within core's clients */
	STAGE_RANGE,
	STAGE_PROBE
};

/* What pg-stage reads about core once per run (sql/staging/core_span.sql). */
struct stage_core {
	int empty;		/* core.client has no rows */
	int64_t min, max;	/* its smallest and largest client_id */
	double rows;		/* rows of the entity's version table (estimate) */
};

/*
 * The look-up for a chunk of `lines` lines whose keys span client ids
 * [lo, hi] (nkeys of them parsed): NONE if no key or none within
 * [core->min, core->max], else `force` (RANGE or PROBE) if given, else
 * RANGE when the estimated core rows in the span are at most
 * STAGE_RANGE_PER_LINE * lines, PROBE otherwise.  *clo, *chi: the span
 * clipped to core's.
 */
enum stage_how stage_choose(const struct stage_core *core, enum stage_how force,
    long long nkeys, int64_t lo, int64_t hi, long long lines,
    int64_t *clo, int64_t *chi);

#endif
