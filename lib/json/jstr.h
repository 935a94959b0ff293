/*
 * jstr.h - JSON strings and primitives, checked and decoded exactly.
 *
 * jsmn hands back the raw bytes between a string's quotes and the raw text
 * of a primitive; it checks neither.  These functions do: strings are
 * decoded (\" \\ \/ \b \f \n \r \t and \uXXXX, surrogate pairs joined) to
 * UTF-8 and rejected when they hold invalid UTF-8, a raw control character
 * (below U+0020), a lone surrogate or U+0000 (which PostgreSQL text cannot
 * hold).  Primitives must be a JSON number, true, false or null exactly.
 */
#ifndef OVERDUE_JSTR_H
#define OVERDUE_JSTR_H

#include <stddef.h>

#include "buf.h"

/*
 * Check s[0..n) (the bytes between the quotes) and, when out is not NULL,
 * append its decoded UTF-8 to out.  Returns the decoded length, or -1 with
 * *why set to a static message.
 */
long jstr_decode(const char *s, size_t n, struct buf *out, const char **why);

/* Kinds of primitive. */
enum jprim { JP_INVALID, JP_NUMBER, JP_TRUE, JP_FALSE, JP_NULL };

/* Classify primitive text: a JSON number (RFC 8259 grammar), true, false, null. */
enum jprim jprim_kind(const char *s, size_t n);

/* 1 if s[0..n) is exactly a JSON number. */
int jnum_valid(const char *s, size_t n);

/*
 * Bytes of s[0..n) that are valid UTF-8 without NUL, copied to out; each
 * byte that is not is replaced by U+FFFD.  For quoting raw input in reports.
 */
void jstr_sanitize(struct buf *out, const char *s, size_t n);

#endif
