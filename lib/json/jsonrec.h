/*
 * jsonrec.h - frame JSON records one at a time, with bounded memory.
 *
 * jsmn cannot stream, so this small scanner finds where each record starts
 * and ends (tracking strings, escapes and nesting depth) and hands back just
 * that record's bytes.  Input is either one JSON array of records (as the
 * seed writes, any indentation) or NDJSON / concatenated JSON values.  A UTF-8
 * BOM is skipped.  Memory is bounded by the largest record; a record larger
 * than max_record is still scanned to its end (so the stream stays in step)
 * but only its first max_record bytes are kept and `truncated` is set.
 *
 * Structure errors (a missing comma, an unterminated string or array, junk
 * after the closing bracket) make jrec_next() return -1 with a message that
 * names line:column (the column counts bytes); nothing after that point can be trusted.
 */
#ifndef OVERDUE_JSONREC_H
#define OVERDUE_JSONREC_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum jrec_format { JREC_UNKNOWN, JREC_ARRAY, JREC_NDJSON };

struct jrec_reader {
	FILE *fp;
	size_t max_record;
	char *buf;		/* buf[0..len) holds unconsumed input */
	size_t len, cap;	/* cap counts from the allocation's start */
	size_t head;		/* consumed bytes before buf (compacted lazily) */
	size_t pos;		/* scan position in buf */
	uint64_t base;		/* byte offset of buf[0] in the input */
	uint64_t line_base;	/* newlines before buf[0] */
	uint64_t line_start;	/* byte offset where the line of buf[0] starts */
	size_t nl_at;		/* newlines in buf[0..nl_at) were counted by the scanner: */
	uint64_t nl_n;		/* nl_n of them, the last ending at offset nl_start */
	uint64_t nl_start;
	uint64_t gap;		/* bytes of an oversized record dropped at buf[gap_at] */
	size_t gap_at;
	uint64_t gap_lines;	/* newlines among them, the last ending at gap_line_start */
	uint64_t gap_line_start;
	enum jrec_format format;
	int state;		/* internal: where we are between records */
	int eof;
	/* about the last record returned */
	long long recno;	/* 1-based */
	uint64_t offset;	/* byte offset of its first byte */
	uint64_t line;		/* 1-based line of its first byte */
	int truncated;
	int plain;		/* its strings hold only bytes 0x20..0x7F, no '\\' */
	int maxdepth;		/* deepest nesting of arrays/objects in it */
	char err[160];		/* set when jrec_next returns -1 */
};

/* Start reading fp; max_record bounds the memory one record may take. */
void jrec_open(struct jrec_reader *r, FILE *fp, size_t max_record);

/*
 * 1: (*rec, *len) is the next record (valid until the next call; not
 * NUL-terminated).  0: clean end of input.  -1: structure error (r->err) or a
 * read error (errno set, r->err says so).
 */
int jrec_next(struct jrec_reader *r, const char **rec, size_t *len);

void jrec_close(struct jrec_reader *r);	/* frees memory; does not fclose */

#endif
