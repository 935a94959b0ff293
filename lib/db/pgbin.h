/*
 * pgbin.h - PostgreSQL's binary COPY format, for pg-stage: json2tsv's COPY
 * text lines parsed on the client and sent as binary tuples, so the server
 * does no text-to-type conversion (the load time as timestamptz text alone
 * cost 0.6 s per 1.5 M rows).
 *
 * The stream: header "PGCOPY\n\377\r\n\0", int32 flags 0, int32 extension
 * length 0; per tuple an int16 field count, then per field an int32 length
 * (-1 = NULL) and the bytes; the trailer int16 -1.  All in network order.
 */
#ifndef OVERDUE_PGBIN_H
#define OVERDUE_PGBIN_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

enum pgbin_type {
	PGB_INT8,	/* bigint */
	PGB_INT4,	/* integer */
	PGB_TEXT,	/* text (UTF-8 bytes) */
	PGB_DATE,	/* date */
	PGB_MONEY	/* numeric(17,2), from exact decimal text */
};

struct pgbin_col {
	const char *name;
	enum pgbin_type type;
};

/*
 * json2tsv's columns of one entity (contract 3: recno, then the seed's
 * fields), typed as in sql/schema/20_staging.sql.
 */
struct pgbin_entity {
	const char *name;
	const struct pgbin_col *cols;
	int ncols;
};
/* NULL for an unknown entity. */
const struct pgbin_entity *pgbin_entity(const char *name);

void pgbin_header(struct buf *b);
void pgbin_trailer(struct buf *b);

/* One field each, with its length word. */
void pgbin_null(struct buf *b);
void pgbin_int8(struct buf *b, int64_t v);
void pgbin_int4(struct buf *b, int32_t v);
void pgbin_text(struct buf *b, const char *s, size_t n);
void pgbin_date(struct buf *b, int32_t days);	/* days since 1970-01-01 */
void pgbin_timestamptz(struct buf *b, int64_t us);	/* µs since 2000-01-01 UTC */
void pgbin_money(struct buf *b, int64_t kopecks);	/* numeric, dscale 2 */

/*
 * Undo COPY text escaping as the server's text COPY does (\b \f \n \r \t
 * \v, \ooo octal, \xhh hex, any other escaped byte stands for itself) from
 * s[0..n) into out (room for n bytes); returns the length, -1 if s ends in
 * a lone backslash.  "\N" must be checked first.
 */
long pgbin_unescape(const char *s, size_t n, char *out);

/*
 * One json2tsv line (without its newline) -> one tuple appended to b:
 * the field count (nprefix + the entity's columns), the nprefix fields
 * already encoded in prefix[0..plen), then the line's fields.  Returns 0,
 * or -1 with a message in err (b unchanged) for a line the text COPY would
 * not store exactly the same way: wrong field count, bad number or date.
 */
int pgbin_row(struct buf *b, const struct pgbin_entity *e, int nprefix,
    const char *prefix, size_t plen, const char *line, size_t n,
    char *err, size_t errsz);

#endif
