/* jsonrec.c - frame JSON records one at a time (see jsonrec.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "json/jsonrec.h"
#include "util.h"

#define CHUNK (1u << 20)

enum { ST_START, ST_FIRST, ST_AFTER, ST_DONE };

void
jrec_open(struct jrec_reader *r, FILE *fp, size_t max_record)
{
	memset(r, 0, sizeof *r);
	r->fp = fp;
	r->max_record = max_record;
	r->state = ST_START;
}

void
jrec_close(struct jrec_reader *r)
{
	free(r->buf != NULL ? r->buf - r->head : NULL);
	r->buf = NULL;
	r->len = r->cap = r->pos = r->head = 0;
}

#define ONES UINT64_C(0x0101010101010101)
#define HIGH UINT64_C(0x8080808080808080)
#define LOW7 UINT64_C(0x7F7F7F7F7F7F7F7F)

/* High bit of each byte of w that equals c (exact: no false positives). */
static inline uint64_t
bytes_eq(uint64_t w, unsigned char c)
{
	uint64_t x = w ^ (ONES * c);

	return ~(((x & LOW7) + LOW7) | x) & HIGH;
}

/* Count the newlines in buf[from..to) into the line of buf[0] (*ln, *start). */
static void
count_lines(const struct jrec_reader *r, size_t from, size_t to, uint64_t *ln, uint64_t *start)
{
	const char *p = r->buf + from, *end = r->buf + to, *nl;

	while (p < end && (nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		++*ln;
		*start = r->base + (uint64_t)(nl - r->buf) + 1;
		p = nl + 1;
	}
}

/* Newlines before buf[at]: line_base and line_start advanced to buf[at]. */
static void
lines_to(const struct jrec_reader *r, size_t at, uint64_t *ln, uint64_t *start)
{
	*ln = r->line_base;
	*start = r->line_start;
	if (at >= r->nl_at) {
		/* the scanner already counted buf[0..nl_at) */
		if (r->nl_n != 0) {
			*ln += r->nl_n;
			*start = r->nl_start;
		}
		count_lines(r, r->nl_at, at, ln, start);
	} else
		count_lines(r, 0, at, ln, start);
}

/*
 * Like lines_to, but aware of the middle of an oversized record dropped at
 * buf[gap_at]: its bytes and newlines still count, so offsets and lines of
 * everything after it stay true.
 */
static void
lines_to_gap(const struct jrec_reader *r, size_t at, uint64_t *ln, uint64_t *start)
{
	struct jrec_reader shifted;

	if (r->gap == 0 || at <= r->gap_at) {
		lines_to(r, at, ln, start);
		return;
	}
	lines_to(r, r->gap_at, ln, start);
	*ln += r->gap_lines;
	if (r->gap_lines != 0)
		*start = r->gap_line_start;
	/* bytes after the gap sit `gap` bytes later in the input than in buf */
	shifted = *r;
	shifted.base += r->gap;
	count_lines(&shifted, r->gap_at, at, ln, start);
}

/* Drop buf[0..keep) (already consumed), counting its newlines first. */
static void
discard(struct jrec_reader *r, size_t keep)
{
	if (keep == 0)
		return;
	lines_to_gap(r, keep, &r->line_base, &r->line_start);
	if (r->gap != 0) {
		r->base += r->gap;
		r->gap = 0;
		r->gap_lines = 0;
	}
	r->nl_at = 0;
	r->nl_n = 0;
	/* moving the rest down for every record made framing quadratic in the
	 * buffer size: just step past it; fill() compacts when it needs room */
	r->buf += keep;
	r->head += keep;
	r->len -= keep;
	r->pos -= keep;
	r->base += keep;
}

/* Read more input; returns bytes read (0 at EOF), dies never: -1 on error. */
static long
fill(struct jrec_reader *r)
{
	size_t n;

	if (r->eof)
		return 0;
	if (r->cap - r->head - r->len < CHUNK && r->head > 0) {
		memmove(r->buf - r->head, r->buf, r->len);
		r->buf -= r->head;
		r->head = 0;
	}
	if (r->cap - r->head - r->len < CHUNK) {
		r->cap = r->len + 2 * CHUNK;
		r->buf = erealloc(r->buf, r->cap);
	}
	n = fread(r->buf + r->len, 1, CHUNK, r->fp);
	r->len += n;
	if (n == 0) {
		if (ferror(r->fp))
			return -1;
		r->eof = 1;
	}
	return (long)n;
}

/* Line and (byte) column of buf[at], 1-based. */
static void
where(struct jrec_reader *r, size_t at, uint64_t *line, uint64_t *col)
{
	uint64_t ln, start;

	lines_to_gap(r, at, &ln, &start);
	*line = ln + 1;
	*col = r->base + (r->gap != 0 && at > r->gap_at ? r->gap : 0) + at - start + 1;
}

static int
fail(struct jrec_reader *r, size_t at, const char *what)
{
	uint64_t line, col;

	where(r, at, &line, &col);
	snprintf(r->err, sizeof r->err, "line %llu, column %llu: %s",
	    (unsigned long long)line, (unsigned long long)col, what);
	r->state = ST_DONE;
	return -1;
}

static int
is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Skip white space; returns 1 with r->pos on a non-space byte, 0 at EOF, -1 on error. */
static int
skip_ws(struct jrec_reader *r)
{
	for (;;) {
		while (r->pos < r->len && is_ws(r->buf[r->pos]))
			r->pos++;
		if (r->pos < r->len)
			return 1;
		/* nothing but space so far: drop it to keep memory flat */
		discard(r, r->pos);
		long n = fill(r);
		if (n < 0)
			return -1;
		if (n == 0)
			return 0;
	}
}

/* Bytes that end a run of plain string bytes: '"', '\\', >= 0x80, < 0x20. */
static inline uint64_t
str_special(uint64_t w, int plain)
{
	uint64_t m = bytes_eq(w, '"') | bytes_eq(w, '\\');

	/* control characters include '\n', which the line count needs */
	if (plain)
		m |= (w | ~(((w & LOW7) + ONES * 0x60) | w)) & HIGH;
	else
		m |= bytes_eq(w, '\n');
	return m;
}

/* Bytes that matter outside strings (the rest is white space, numbers, ':' and ','). */
static const unsigned char structural[256] = {
	['"'] = 1, ['{'] = 1, ['['] = 1, ['}'] = 1, [']'] = 1, ['\n'] = 1,
};

#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define SWAR 1
#else
#define SWAR 0
#endif

/* Record what the scanner counted: nls newlines in buf[..upto), the last at last_nl. */
static void
note_lines(struct jrec_reader *r, int counting, size_t upto, uint64_t nls, size_t last_nl)
{
	if (!counting)
		return;
	r->nl_at = upto;
	if (nls != 0) {
		r->nl_n += nls;
		r->nl_start = r->base + last_nl + 1;
	}
}

/*
 * Scan one JSON value starting at r->pos.  Returns 1 with r->pos just past
 * it, 0 if input ended inside it, -1 on a read error.  Keeps at most
 * max_record bytes of it in memory: beyond that the middle is dropped.
 * Sets r->plain and r->maxdepth for the value as it goes, so later passes
 * can skip work: strings run eight bytes at a time until a quote, a
 * backslash or (while the value is still plain) a byte outside 0x20..0x7F.
 */
static int
scan_value(struct jrec_reader *r, size_t start, size_t *kept_end)
{
	int64_t depth = 0;
	int in_str = 0, esc = 0, scalar, plain = 1, maxdepth = 0;
	unsigned char c = (unsigned char)r->buf[r->pos];
	size_t i = r->pos, last_nl = 0;
	uint64_t nls = 0;
	/* count newlines as we go when all before r->pos are counted */
	int counting = r->nl_at == r->pos;

	scalar = c != '{' && c != '[' && c != '"';
	*kept_end = 0;
	if (scalar)
		counting = 0;
	for (;;) {
		const unsigned char *b = (const unsigned char *)r->buf;
		size_t n = r->len;

		if (scalar) {
			for (; i < n; i++) {
				c = b[i];
				if (is_ws((char)c) || c == ',' || c == ']' || c == '}' || c == '[' ||
				    c == '{' || c == '"') {
					r->pos = i;
					r->plain = 0;
					r->maxdepth = 0;
					return 1;
				}
			}
		}
		while (i < n) {
			if (in_str) {
				if (esc) {
					esc = 0;
					if (b[i] == '\n')
						nls++, last_nl = i;
					i++;
					continue;
				}
#if SWAR
				while (n - i >= 8) {
					uint64_t w, m;

					memcpy(&w, b + i, 8);
					if ((m = str_special(w, plain)) != 0) {
						i += (size_t)__builtin_ctzll(m) >> 3;
						break;
					}
					i += 8;
				}
#endif
				if (i == n)
					break;
				c = b[i];
				if (c != '"' && c != '\\') {
					/* one byte at a time (near the end of the buffer,
					 * or a byte that makes the value not plain) */
					if (c < 0x20 || c >= 0x80)
						plain = 0;
					if (c == '\n')
						nls++, last_nl = i;
					i++;
					continue;
				}
				if (c == '\\') {
					plain = 0;
					esc = 1;
					i++;
					continue;
				}
				/* the closing quote */
				in_str = 0;
				i++;
				if (depth == 0) {
					r->pos = i;
					r->plain = plain;
					r->maxdepth = maxdepth;
					goto counted;
				}
				continue;
			}
			while (i < n && !structural[b[i]])
				i++;
			if (i == n)
				break;
			switch (b[i++]) {
			case '\n':
				nls++;
				last_nl = i - 1;
				break;
			case '"':
				in_str = 1;
				break;
			case '{':
			case '[':
				if (++depth > maxdepth)
					maxdepth = (int)(depth < INT32_MAX ? depth : INT32_MAX);
				break;
			default:	/* '}' or ']' */
				if (--depth == 0) {
					r->pos = i;
					r->plain = plain;
					r->maxdepth = maxdepth;
					goto counted;
				}
				if (depth < 0) {
					r->pos = i - 1;
					r->plain = 0;
					r->maxdepth = maxdepth;
					goto counted;	/* caller sees the mismatch */
				}
				break;
			}
		}
		/* need more input; bound what we keep of an oversized record */
		if (i - start > r->max_record) {
			if (*kept_end == 0)
				*kept_end = start + r->max_record;
			/* drop bytes between kept_end and i, but keep our place and
			 * remember what was dropped so later offsets and lines stay true */
			size_t drop = i - *kept_end;
			const char *p = r->buf + *kept_end, *end = r->buf + i, *nl;

			r->gap_at = *kept_end;
			while (p < end && (nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
				r->gap_lines++;
				r->gap_line_start = r->base + r->gap + (uint64_t)(nl - r->buf) + 1;
				p = nl + 1;
			}
			r->gap += drop;

			counting = 0;	/* discard() counts what is kept, as it always did */
			memmove(r->buf + *kept_end, r->buf + i, r->len - i);
			r->len -= drop;
			i -= drop;
		}
		r->pos = i;
		long got = fill(r);
		if (got < 0)
			return -1;
		if (got == 0) {
			if (scalar) {
				r->pos = r->len;
				r->plain = 0;
				r->maxdepth = 0;
				return 1;
			}
			goto counted_eof;
		}
		i = r->pos;
	}
counted:
	note_lines(r, counting, r->pos, nls, last_nl);
	return 1;
counted_eof:
	note_lines(r, counting, r->len, nls, last_nl);
	return 0;
}

int
jrec_next(struct jrec_reader *r, const char **rec, size_t *len)
{
	int k;

	if (r->state == ST_DONE)
		return 0;
	/* the previous record is consumed: forget it */
	discard(r, r->pos);

	k = skip_ws(r);
	if (k < 0)
		goto readerr;
	if (r->state == ST_START) {
		if (k == 0) {
			r->state = ST_DONE;
			return 0;	/* empty input: no records */
		}
		if (r->len - r->pos >= 3 && memcmp(r->buf + r->pos, "\xEF\xBB\xBF", 3) == 0) {
			r->pos += 3;
			if ((k = skip_ws(r)) < 0)
				goto readerr;
			if (k == 0) {
				r->state = ST_DONE;
				return 0;
			}
		}
		if (r->buf[r->pos] == '[') {
			r->format = JREC_ARRAY;
			r->pos++;
			r->state = ST_FIRST;
			if ((k = skip_ws(r)) < 0)
				goto readerr;
			if (k == 0)
				return fail(r, r->pos, "the input ends inside the top-level array (missing ']')");
			if (r->buf[r->pos] == ']') {
				r->pos++;
				r->state = ST_AFTER;
				goto trailing;
			}
		} else {
			r->format = JREC_NDJSON;
			r->state = ST_FIRST;
		}
	} else if (r->format == JREC_ARRAY) {
		/* between elements: ',' or ']' */
		if (k == 0)
			return fail(r, r->pos, "the input ends inside the top-level array (missing ']')");
		if (r->buf[r->pos] == ']') {
			r->pos++;
			r->state = ST_AFTER;
			goto trailing;
		}
		if (r->buf[r->pos] != ',')
			return fail(r, r->pos, "expected ',' or ']' after a record");
		r->pos++;
		if ((k = skip_ws(r)) < 0)
			goto readerr;
		if (k == 0)
			return fail(r, r->pos, "the input ends inside the top-level array (missing ']')");
		if (r->buf[r->pos] == ']')
			return fail(r, r->pos, "a trailing ',' before ']'");
	} else if (k == 0) {
		r->state = ST_DONE;
		return 0;		/* NDJSON: clean end */
	}

	/* r->pos is on the first byte of a record */
	{
		size_t start = r->pos, kept_end;
		uint64_t line, col;
		char c = r->buf[start];

		if (c == ',' || c == ']' || c == '}' || c == ':')
			return fail(r, start, "expected a record (a JSON value)");
		discard(r, start);
		start = 0;
		where(r, 0, &line, &col);
		k = scan_value(r, start, &kept_end);
		if (k < 0)
			goto readerr;
		if (k == 0)
			return fail(r, r->len, "the input ends inside a record (truncated JSON)");
		if (kept_end == 0 && r->pos - start > r->max_record)
			kept_end = start + r->max_record;
		r->recno++;
		r->offset = r->base + start;
		r->line = line;
		r->truncated = kept_end != 0;
		*rec = r->buf + start;
		*len = (kept_end != 0 ? kept_end : r->pos) - start;
		return 1;
	}

trailing:
	/* after the closing ']' only white space may follow */
	if ((k = skip_ws(r)) < 0)
		goto readerr;
	if (k != 0)
		return fail(r, r->pos, "unexpected data after the closing ']'");
	r->state = ST_DONE;
	return 0;

readerr:
	snprintf(r->err, sizeof r->err, "read error: %s", strerror(errno));
	r->state = ST_DONE;
	return -1;
}
