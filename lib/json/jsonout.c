/* jsonout.c - JSON values and records written into a buffer, no printf. */
#include <string.h>

#include "date.h"
#include "json/jsonout.h"

/* Room for n more bytes (and buf_cstr's NUL), then the caller writes at b->p + b->len. */
static inline char *
room(struct buf *b, size_t n)
{
	if (b->cap - b->len < n + 1)
		buf_reserve(b, n);
	return b->p + b->len;
}

static inline void
put(struct buf *b, const void *s, size_t n)
{
	memcpy(room(b, n), s, n);
	b->len += n;
}

/* Does any byte of s need a JSON escape? */
static inline int
needs_escape(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == '"' || c == '\\')
			return 1;
	}
	return 0;
}

void
json_str(struct buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, run = 0;
	char *p;

	if (!needs_escape(s, n)) {		/* the usual case: one copy */
		p = room(b, n + 2);
		p[0] = '"';
		memcpy(p + 1, s, n);
		p[n + 1] = '"';
		b->len += n + 2;
		return;
	}
	buf_putc(b, '"');
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc;

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		buf_put(b, s + run, i - run);
		run = i + 1;
		switch (c) {
		case '"': esc = '"'; break;
		case '\\': esc = '\\'; break;
		case '\b': esc = 'b'; break;
		case '\f': esc = 'f'; break;
		case '\n': esc = 'n'; break;
		case '\r': esc = 'r'; break;
		case '\t': esc = 't'; break;
		default: esc = 0; break;
		}
		if (esc) {
			buf_putc(b, '\\');
			buf_putc(b, esc);
		} else {
			char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
			buf_put(b, u, sizeof u);
		}
	}
	buf_put(b, s + run, n - run);
	buf_putc(b, '"');
}

void
json_cstr(struct buf *b, const char *s)
{
	json_str(b, s, strlen(s));
}

/* Decimal digits of v (v >= 0) at the end of tmp; returns the start. */
static char *
utoa_end(uint64_t v, char *end)
{
	do {
		*--end = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	return end;
}

void
json_int(struct buf *b, int64_t v)
{
	char tmp[24], *p;
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

	p = utoa_end(u, tmp + sizeof tmp);
	if (v < 0)
		*--p = '-';
	put(b, p, (size_t)(tmp + sizeof tmp - p));
}

void
json_money(struct buf *b, int64_t kop)
{
	char tmp[32], *end = tmp + sizeof tmp, *p = end;
	uint64_t u = kop < 0 ? (uint64_t)0 - (uint64_t)kop : (uint64_t)kop;
	unsigned frac = (unsigned)(u % 100);

	if (frac != 0) {
		*--p = (char)('0' + frac % 10);
		*--p = (char)('0' + frac / 10);
		*--p = '.';
	}
	p = utoa_end(u / 100, p);
	if (kop < 0)
		*--p = '-';
	put(b, p, (size_t)(end - p));
}

void
json_date(struct buf *b, int32_t days)
{
	char *p = room(b, 12);

	p[0] = '"';
	date_format(days, p + 1);	/* its NUL lands on p[11], overwritten */
	p[11] = '"';
	b->len += 12;
}

void
json_null(struct buf *b)
{
	buf_put(b, "null", 4);
}

void
json_rec_begin(struct json_rec *r, struct buf *b, enum json_style style,
    const char *entity)
{
	r->b = b;
	r->style = style;
	r->nfields = 0;
	if (style == JSON_NDJSON) {
		buf_put(b, "{\"_entity\":", 11);
		json_cstr(b, entity);
		r->nfields = 1;
	} else {
		buf_put(b, "  {", 3);
	}
}

void
json_rec_key(struct json_rec *r, const char *key)
{
	size_t n = strlen(key), k = 0;
	char *p = room(r->b, n + 9);

	if (r->style == JSON_NDJSON) {
		if (r->nfields > 0)
			p[k++] = ',';
	} else {
		if (r->nfields > 0)
			p[k++] = ',';
		memcpy(p + k, "\n    ", 5);
		k += 5;
	}
	r->nfields++;
	/* keys are the program's own identifiers: nothing to escape */
	p[k++] = '"';
	memcpy(p + k, key, n);
	k += n;
	p[k++] = '"';
	p[k++] = ':';
	r->b->len += k;
}

void
json_rec_end(struct json_rec *r)
{
	if (r->style == JSON_NDJSON)
		buf_put(r->b, "}\n", 2);
	else
		buf_put(r->b, "\n  }", 4);
}

void
json_array_next(struct buf *b, int64_t index)
{
	if (index == 0)
		buf_put(b, "[\n", 2);
	else
		buf_put(b, ",\n", 2);
}

void
json_array_end(struct buf *b, int64_t count)
{
	if (count == 0)
		buf_put(b, "[]", 2);
	else
		buf_put(b, "\n]", 2);
}
