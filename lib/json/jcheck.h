/*
 * jcheck.h - make sure one tokenized record is exactly valid JSON.
 *
 * jsmn (lib/json/jtok.h) finds tokens but lets through `[ thanx ]`,
 * `{"a" ::: "b"}` and trailing commas.  jcheck_record() walks the token
 * array once, without recursion, and checks what lies between tokens (only
 * white space and the one ',' or ':' the grammar allows), every primitive
 * (number grammar, true, false, null), every string (escapes, UTF-8, no NUL,
 * no raw control characters, a length limit) and the nesting depth.
 */
#ifndef OVERDUE_JCHECK_H
#define OVERDUE_JCHECK_H

#include <stddef.h>

#include "json/jtok.h"

struct jcheck_limits {
	int max_depth;		/* containers nested deeper than this: error */
	size_t max_string;	/* decoded bytes per string */
};

/*
 * 0 when the record j->js[0..len) (tokenized by jtok_parse) is valid JSON
 * within the limits; -1 with *why (static text) and *at (byte offset in the
 * record) otherwise.
 */
int jcheck_record(const struct jtok *j, size_t len, const struct jcheck_limits *lim,
    const char **why, size_t *at);

/*
 * jcheck_record() for a record whose strings are known to hold only bytes
 * 0x20..0x7F other than '\\' (plain != 0; jsonrec finds this while framing):
 * such strings need no decoding or UTF-8 check, only the length limit.
 */
int jcheck_record_plain(const struct jtok *j, size_t len, const struct jcheck_limits *lim,
    int plain, const char **why, size_t *at);

/*
 * 1 when js[0..len) nests containers deeper than max_depth (strings are
 * skipped), else 0.  jsmn needs time quadratic in the depth, so callers
 * run this before tokenizing a record that could be deep.
 */
int jcheck_too_deep(const char *js, size_t len, int max_depth);

#endif
