/*
 * tsv.h - PostgreSQL COPY text format: fields separated by tabs, rows by
 * newlines, NULL as \N, and backslash, tab, newline and CR escaped.
 */
#ifndef OVERDUE_TSV_H
#define OVERDUE_TSV_H

#include <stddef.h>

#include "buf.h"

/* Append s[0..n) escaped for COPY text.  Bytes >= 0x80 pass through. */
void tsv_escape(struct buf *b, const char *s, size_t n);
void tsv_null(struct buf *b);

/*
 * Undo tsv_escape in place on one field; returns the new length, or -1 for a
 * malformed escape.  "\N" must be checked by the caller (tsv_is_null).
 */
long tsv_unescape(char *s, size_t n);
int tsv_is_null(const char *s, size_t n);

/*
 * Split the NUL-terminated s at every tab in place; f gets the first max
 * fields.  Returns the number of fields in s (more than max when it has
 * more), so a caller checks a row's shape with one comparison.
 */
int tsv_split(char *s, char **f, int max);

#endif
