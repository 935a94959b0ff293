/*
 * jtok.h - jsmn over one framed record, with a token array that grows.
 *
 * jsmn is a tokenizer, not a validator: it accepts `[ thanx ]` and leaves
 * strings escaped.  Callers validate primitives and decode strings themselves
 * (see the json2tsv library code).  Built with JSMN_PARENT_LINKS and
 * JSMN_STRICT (Makefile DEFS).  Records are at most INT_MAX bytes: jsmn's
 * offsets are int.
 */
#ifndef OVERDUE_JTOK_H
#define OVERDUE_JTOK_H

#define JSMN_HEADER
#include <jsmn.h>
#undef JSMN_HEADER

#include <stddef.h>

struct jtok {
	jsmntok_t *t;
	unsigned cap;
	int n;			/* tokens in the last parse */
	const char *js;		/* the record last parsed */
};

#define JTOK_INIT {NULL, 0, 0, NULL}

/*
 * Tokenize js[0..len).  Returns the token count, or a negative jsmn error:
 * JSMN_ERROR_INVAL (bad JSON), JSMN_ERROR_PART (incomplete).  Grows the token
 * array on JSMN_ERROR_NOMEM.  Also fails (INVAL) when the record is followed
 * by anything but white space, or is longer than INT_MAX.
 */
int jtok_parse(struct jtok *j, const char *js, size_t len);

/*
 * A fast path for the common record: an object whose members' values are
 * strings, numbers, true, false or null, written in exact JSON.  The caller
 * guarantees that every string in js[0..len) holds only bytes 0x20..0x7F and
 * no '\\' (jsonrec's `plain`).  Returns the token count, with exactly the
 * tokens jtok_parse() would produce (and the record would pass
 * jcheck_record_plain() with a string limit of max_string), or -1 when the
 * record is anything else, valid or not: the caller then takes the general
 * path (jtok_parse, jcheck).  About four times cheaper than that path.
 */
int jtok_parse_flat(struct jtok *j, const char *js, size_t len, size_t max_string);

/* Index just past token i and everything inside it. */
int jtok_skip(const struct jtok *j, int i);

/*
 * In object token obj, the index of the value whose key is exactly `key`
 * (compared byte for byte, escapes not decoded), or -1.
 */
int jtok_find(const struct jtok *j, int obj, const char *key);

/* Token text and length. */
#define JTOK_PTR(j, i) ((j)->js + (j)->t[(i)].start)
#define JTOK_LEN(j, i) ((size_t)((j)->t[(i)].end - (j)->t[(i)].start))

void jtok_free(struct jtok *j);

#endif
