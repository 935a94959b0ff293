/*
 * stage.h - pg-stage: json2tsv's COPY text on a file descriptor -> staging,
 * through a temporary landing table, tagged with the load.
 */
#ifndef OVERDUE_STAGE_H
#define OVERDUE_STAGE_H

#include <libpq-fe.h>
#include <stddef.h>

#include "buf.h"
#include "load/stagechunk.h"

/* The entities, in promotion order; -1 for an unknown name. */
extern const char *const stage_entities[3];
int stage_entity(const char *name);

/*
 * The current time as a timestamptz literal (UTC), for binding as a load
 * time; returns the same instant in microseconds since 2000-01-01 UTC
 * (the binary COPY form of a timestamptz).
 */
long long stage_now(char out[40]);

/*
 * The end marker of contract 3: the stream must end with the line "\."
 * (after a newline, or as the whole stream), which is not sent to the server.
 * Feed every chunk through copytail_feed(): the bytes in
 * buf[0..*send) may go to the server now, the tail is held back in the state
 * (at most 4 bytes).  copytail_end() says whether the marker closed the
 * stream and how many held-back bytes (in t->hold) still belong to the data.
 */
struct copytail {
	char hold[4];
	size_t nhold;
	int sent_any;		/* some bytes already went out */
	char last_sent;		/* the last of them */
};
/*
 * in/n: the new bytes; out must have room for n + 4 bytes and receives the
 * bytes to send; returns how many.
 */
size_t copytail_feed(struct copytail *t, const char *in, size_t n, char *out);
/* 1 if the marker ended the stream; *rest = held bytes (t->hold) to send. */
int copytail_end(const struct copytail *t, size_t *rest);

/*
 * The client-side filter (pg-stage's data path): json2tsv's lines in, the
 * lines to stage out, each prefixed with "LOAD\tSOURCE\tTIME\t" for
 * sql/staging/copy_ENTITY.sql.  A line whose text after recno hashes into
 * `set` (the current core versions of its chunk's keys, see rowset.h) is
 * counted as unchanged and dropped.  Lines may be split across feeds
 * anywhere.
 */
struct rowset;
struct pgbin_entity;
struct stagefilter {
	const struct rowset *set;	/* NULL: keep every line */
	/*
	 * Non-NULL: binary COPY (pgbin.h) -- each kept line becomes a tuple of
	 * the prefix fields (already encoded in `prefix`) and the line's
	 * fields; a line that does not parse stops the filter (bad, err).
	 */
	const struct pgbin_entity *bin;
	int nprefix;
	int bad;
	char err[256];
	struct buf prefix;
	struct buf carry;		/* an incomplete line */
	struct buf out;			/* to send; the caller sends and resets it */
	long long read, unchanged;
	int marker;			/* the line "\." was seen */
	int after_marker;		/* ... and something came after it */
};
void sfilter_init(struct stagefilter *f, const struct rowset *set, const char *prefix);
/* The same for binary COPY: prefix[0..n) holds nprefix encoded fields. */
void sfilter_init_bin(struct stagefilter *f, const struct rowset *set,
    const struct pgbin_entity *e, int nprefix, const char *prefix, size_t n);
void sfilter_feed(struct stagefilter *f, const char *in, size_t n);
/* End of input: handles a last line without newline; 1 if the marker ended the stream. */
int sfilter_end(struct stagefilter *f);
void sfilter_free(struct stagefilter *f);

struct progress;

struct stage_opts {
	const char *conninfo;	/* NULL: libpq's defaults */
	const char *entity;	/* clients, loans, payments */
	const char *source;	/* file name recorded with every row */
	long long load_id;	/* 0: the newest running load */
	int rejects;		/* stdin is json2tsv's reject stream */
	int fd;			/* input */
	struct progress *progress;	/* NULL: none (lib/progress.h) */
	long long chunk_lines;	/* 0: STAGE_CHUNK_LINES (stagechunk.h) */
	enum stage_how how;	/* STAGE_AUTO; RANGE or PROBE for every chunk (tests) */
};

struct stage_result {
	long long load_id, read, staged;
	long long core_rows;	/* current core versions looked up, all chunks */
	long long chunks;	/* chunks of the input with lines */
	long long ranges, probes;	/* of them looked up by a range, by probes */
	long long ranges_full;	/* ranges over the cap, probed instead */
};

/* Stage one file; dies with a sysexits code on any failure (nothing kept). */
void stage_run(const struct stage_opts *o, struct stage_result *r);

#endif
