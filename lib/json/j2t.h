/*
 * j2t.h - json2tsv's work: seed-format JSON records -> PostgreSQL COPY text.
 *
 * Each entity (clients, loans, payments) is a table of field specs in the
 * seed's field order (brief contract 2).  A record is checked as JSON
 * (lib/json/jcheck.h), then field by field against SPEC section 3; it either becomes
 * one COPY row "recno, fields..." or is rejected with a field name and a
 * reason.  j2t_run() drives a whole input: rows to `out` ending with the
 * end-of-data line "\." on success, rejects to a file (one COPY line each:
 * recno, offset, field, reason, raw) and a summary on stderr.
 */
#ifndef OVERDUE_J2T_H
#define OVERDUE_J2T_H

#include <stdint.h>
#include <stdio.h>

#include "buf.h"
#include "json/jcheck.h"
#include "json/jtok.h"

enum j2t_type {
	JT_ID,		/* whole number >= 1: client_id */
	JT_INT,		/* whole number within [min, max] */
	JT_MONEY,	/* exact decimal, <= 2 fractional digits, kopecks within [min, max] */
	JT_DATE,	/* "YYYY-MM-DD", ISO date-time or epoch milliseconds */
	JT_TEXT,	/* a string, at most max bytes (0: the general limit) */
	JT_GENDER,	/* "Мужчина" or "Женщина" */
	JT_EMAIL	/* a string, at most max bytes: one '@' with something on both
			   sides, no space or control character */
};

#define JF_NULLABLE 1	/* absent or null -> \N */
#define JF_NONEMPTY 2	/* "" is rejected */
#define JF_KEY 4	/* part of the record's key */

struct j2t_field {
	const char *name;
	enum j2t_type type;
	int flags;
	int64_t min, max;	/* JT_INT: value; JT_MONEY: kopecks; JT_TEXT: max bytes */
	int not_before;		/* JT_DATE: index of a date field this one must not precede, or -1 */
};

#define J2T_MAXF 16

struct j2t_entity {
	const char *name;	/* "clients" */
	const struct j2t_field *f;
	int nf;
};

/* The entity called name ("clients", "loans", "payments"), or NULL. */
const struct j2t_entity *j2t_entity(const char *name);

/* Limits (documented in json2tsv(1)). */
#define J2T_MAX_RECORD ((size_t)16 << 20)	/* bytes per record */
#define J2T_MAX_STRING ((size_t)1 << 20)	/* decoded bytes per string */
#define J2T_MAX_DEPTH 64			/* nesting of arrays/objects */
#define J2T_MAX_RAW ((size_t)64 << 10)		/* raw bytes kept per reject line */
#define J2T_YEAR_MIN 1900
#define J2T_YEAR_MAX 2100
#define J2T_MAX_UNKNOWN_NAMES 8

struct j2t {
	const struct j2t_entity *e;
	struct jtok tok;
	struct jcheck_limits lim;
	struct buf scratch;
	long long unknown;	/* unknown members seen */
	char *unknown_names[J2T_MAX_UNKNOWN_NAMES];
	long long unknown_first[J2T_MAX_UNKNOWN_NAMES];
	int n_unknown_names;
	struct { const char *p; size_t n; } *ukeys;	/* one record's unknown keys */
	size_t ukeys_cap;
	/* what the framer learnt about the next record (j2t_run sets them) */
	int rec_plain;		/* its strings are plain ASCII without escapes */
	int rec_depth;		/* its deepest nesting, or -1: unknown */
	size_t flen[J2T_MAXF];	/* strlen of each field name */
};

void j2t_init(struct j2t *c, const struct j2t_entity *e);
void j2t_free(struct j2t *c);

struct j2t_reject {
	const char *field;	/* "" when the record as a whole is bad */
	char reason[192];
};

/*
 * Convert one framed record.  1: the row "recno\t...\n" was appended to row.
 * 0: rejected, row unchanged, *rej says why.
 */
int j2t_convert(struct j2t *c, const char *rec, size_t len, long long recno,
    struct buf *row, struct j2t_reject *rej);

/* Append one reject line (contract 4) to out. */
void j2t_reject_line(struct buf *out, long long recno, uint64_t offset,
    const struct j2t_reject *rej, const char *raw, size_t rawlen);

struct progress;

struct j2t_opts {
	const char *entity;
	const char *inname;	/* for messages: "<stdin>" or the file name */
	FILE *rejects;		/* NULL: describe the first rejects on stderr */
	long long max_rejects;	/* < 0: unlimited */
	size_t max_record;
	int jobs;		/* worker threads; 0 or 1: all in the calling thread */
	struct progress *progress;	/* NULL: none (lib/progress.h) */
};

/*
 * Convert all of `in` to `out`.  Returns the exit status: 0 (also with
 * rejects), 65 for broken JSON structure or too many rejects (the end
 * marker is then not written), 74 for a read error.  Prints the summary.
 */
int j2t_run(const struct j2t_opts *o, FILE *in, FILE *out);

/*
 * With o->jobs > 1, j2t_run() frames records in the calling thread, copies
 * them into batches of about J2T_BATCH_BYTES (at most J2T_BATCH_RECS
 * records) and lets o->jobs worker threads convert whole batches; the
 * calling thread writes the batches' rows, rejects and messages strictly in
 * input order, so stdout, the rejects file, stderr and the exit status are
 * byte for byte those of o->jobs == 1 (also where --max-rejects or a
 * structure error stops the run).  J2T_RING(jobs) batches exist at most:
 * memory is about J2T_RING(jobs) x (batch input + its rows + its reject
 * lines), ~3 MiB each for seed-format records.
 */
#define J2T_BATCH_BYTES ((size_t)512 << 10)
#define J2T_BATCH_RECS 4096
#define J2T_RING(jobs) (2 * (jobs) + 2)
#define J2T_MAX_JOBS 64

#endif
