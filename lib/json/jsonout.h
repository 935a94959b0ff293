/*
 * jsonout.h - writing JSON values and records into a struct buf, fast and
 * exactly: strings escaped (quote, backslash, control characters; other
 * UTF-8 bytes written as they are), money as exact decimals, dates quoted.
 *
 * Records come in two layouts (contract 1 of the project):
 *   JSON_NDJSON  {"_entity":"client","client_id":1,...}\n   (tagged, one line)
 *   JSON_ARRAY   an element of an indent-2 array, "key":value, no space after
 *                the colon, like the seed prototype's files.  The caller writes
 *                the "[\n" / ",\n" / "\n]" around the elements (json_array_*).
 */
#ifndef OVERDUE_JSONOUT_H
#define OVERDUE_JSONOUT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

enum json_style { JSON_NDJSON, JSON_ARRAY };

/* "text" with JSON escapes; n bytes of s (which may contain NULs). */
void json_str(struct buf *b, const char *s, size_t n);
void json_cstr(struct buf *b, const char *s);
void json_int(struct buf *b, int64_t v);
/* Kopecks: whole roubles as an integer ("470"), otherwise 2 decimals ("470.05"). */
void json_money(struct buf *b, int64_t kop);
/* "YYYY-MM-DD" (quoted). */
void json_date(struct buf *b, int32_t days);
void json_null(struct buf *b);

struct json_rec {
	struct buf *b;
	enum json_style style;
	int nfields;
};

/* Start a record; entity is the NDJSON tag (ignored for JSON_ARRAY). */
void json_rec_begin(struct json_rec *r, struct buf *b, enum json_style style,
    const char *entity);
/* Write the separator and "key": ; the caller then writes the value.  The key is
 * written as it is (it must need no escaping: the callers pass identifiers). */
void json_rec_key(struct json_rec *r, const char *key);
void json_rec_end(struct json_rec *r);

/* Array framing for JSON_ARRAY files: call before each element, and at the end. */
void json_array_next(struct buf *b, int64_t index);	/* "[\n" or ",\n" */
void json_array_end(struct buf *b, int64_t count);	/* "\n]" or "[]" (no newline, like the seed) */

#endif
