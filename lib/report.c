/* report.c - amount filters and the output formats of overdue-report. */
#include <stdlib.h>
#include <string.h>

#include "money.h"
#include "report.h"
#include "tsv.h"
#include "util.h"

int
report_amount(const char *s, int64_t *out)
{
	size_t n = strlen(s);

	if (n == 0 || n > 40)
		return -1;
	return money_parse(s, n, out) == MONEY_OK ? 0 : -1;
}

int
report_bucket(const char *name, struct amount_filter *f)
{
	static const struct { const char *name; int64_t lo, hi; } b[] = {
		{"lt50k", -MONEY_MAX, 5000000 - 1},
		{"50k-100k", 5000000, 10000000 - 1},
		{"100k-500k", 10000000, 50000000 - 1},
		{"ge500k", 50000000, MONEY_MAX},
	};

	for (size_t i = 0; i < sizeof b / sizeof b[0]; i++)
		if (strcmp(name, b[i].name) == 0) {
			f->lo = b[i].lo;
			f->hi = b[i].hi;
			return 0;
		}
	return -1;
}

static int64_t
floordiv(int64_t a, int64_t b)
{
	int64_t q = a / b;

	return (a % b != 0 && a < 0) ? q - 1 : q;
}

void
report_bins(const struct amount_filter *f, int64_t *blo, int64_t *bhi, int64_t e[4])
{
	*blo = -floordiv(-f->lo, BIN_K);	/* first bin starting at or after lo */
	*bhi = floordiv(f->hi + 1, BIN_K) - 1;	/* last bin ending at or before hi */
	if (*blo > *bhi) {			/* no whole bin: every loan one by one */
		e[0] = f->lo;
		e[1] = f->hi;
		e[2] = 1;
		e[3] = 0;
		return;
	}
	e[0] = f->lo;
	e[1] = *blo * BIN_K - 1;
	e[2] = (*bhi + 1) * BIN_K;
	e[3] = f->hi;
}

/* ---- output ---------------------------------------------------------- */

static void
csv_field(struct buf *b, const char *s)
{
	if (strpbrk(s, ",\"\r\n") == NULL) {
		buf_puts(b, s);
		return;
	}
	buf_putc(b, '"');
	for (; *s; s++) {
		if (*s == '"')
			buf_putc(b, '"');
		buf_putc(b, *s);
	}
	buf_putc(b, '"');
}

static void
json_string(struct buf *b, const char *s)
{
	buf_putc(b, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			buf_putc(b, '\\');
			buf_putc(b, (char)c);
		} else if (c < 0x20) {
			buf_printf(b, "\\u%04x", c);
		} else {
			buf_putc(b, (char)c);
		}
	}
	buf_putc(b, '"');
}

/* display width of UTF-8 text: code points, which is right for our data */
static size_t
width(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		w += ((unsigned char)*s & 0xC0) != 0x80;
	return w;
}

static void
flush(struct table *t)
{
	buf_flush(&t->b, t->out);
}

void
table_begin(struct table *t)
{
	t->nrows = t->cap = 0;
	t->cells = NULL;
	t->nout = 0;
	t->b = (struct buf)BUF_INIT;
	switch (t->fmt) {
	case FMT_TSV:
	case FMT_CSV:
		for (int i = 0; i < t->ncol; i++) {
			if (i)
				buf_putc(&t->b, t->fmt == FMT_TSV ? '\t' : ',');
			buf_puts(&t->b, t->names[i]);
		}
		buf_putc(&t->b, '\n');
		break;
	case FMT_JSON:
		buf_putc(&t->b, '[');
		break;
	case FMT_TABLE:
		break;
	}
}

void
table_row(struct table *t, const char *const *v)
{
	switch (t->fmt) {
	case FMT_TSV:
		for (int i = 0; i < t->ncol; i++) {
			if (i)
				buf_putc(&t->b, '\t');
			tsv_escape(&t->b, v[i], strlen(v[i]));
		}
		buf_putc(&t->b, '\n');
		break;
	case FMT_CSV:
		for (int i = 0; i < t->ncol; i++) {
			if (i)
				buf_putc(&t->b, ',');
			csv_field(&t->b, v[i]);
		}
		buf_putc(&t->b, '\n');
		break;
	case FMT_JSON:
		buf_puts(&t->b, t->nout ? ",\n  {" : "\n  {");
		for (int i = 0; i < t->ncol; i++) {
			if (i)
				buf_putc(&t->b, ',');
			json_string(&t->b, t->names[i]);
			buf_putc(&t->b, ':');
			if (t->types[i] == COL_TEXT)
				json_string(&t->b, v[i]);
			else if (*v[i] == '\0')
				buf_puts(&t->b, "null");
			else
				buf_puts(&t->b, v[i]);
		}
		buf_putc(&t->b, '}');
		break;
	case FMT_TABLE:
		if (t->nrows == t->cap) {
			t->cap = t->cap ? 2 * t->cap : 64;
			t->cells = ereallocarray(t->cells, t->cap, (size_t)t->ncol * sizeof *t->cells);
		}
		for (int i = 0; i < t->ncol; i++)
			t->cells[t->nrows * (size_t)t->ncol + (size_t)i] = estrdup(v[i]);
		t->nrows++;
		break;
	}
	t->nout++;
	if (t->b.len >= 65536)
		flush(t);
}

/* a bar of `w` cells for share s (text "0.123456", or "" for none) */
static void
bar(struct table *t, const char *s, int w)
{
	static const char *eighth[] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
	long micro = 0, units;

	if (*s == '\0')
		return;
	/* "0.123456" or "1.000000": whole part and 6 decimals */
	micro = strtol(s, NULL, 10) * 1000000 + (strchr(s, '.') ? strtol(strchr(s, '.') + 1, NULL, 10) : 0);
	if (t->utf8) {
		units = (micro * w * 8 + 500000) / 1000000;
		for (long i = 0; i < units / 8; i++)
			buf_puts(&t->b, "█");
		buf_puts(&t->b, eighth[units % 8]);
	} else {
		units = (micro * w + 500000) / 1000000;
		for (long i = 0; i < units; i++)
			buf_putc(&t->b, '#');
	}
}

static void
pad(struct buf *b, size_t n)
{
	while (n-- > 0)
		buf_putc(b, ' ');
}

void
table_end(struct table *t)
{
	if (t->fmt == FMT_JSON)
		buf_puts(&t->b, t->nout ? "\n]\n" : "]\n");
	if (t->fmt == FMT_TABLE) {
		size_t *w = ecalloc((size_t)t->ncol, sizeof *w);

		for (int i = 0; i < t->ncol; i++) {
			w[i] = width(t->names[i]);
			for (size_t r = 0; r < t->nrows; r++) {
				size_t x = width(t->cells[r * (size_t)t->ncol + (size_t)i]);

				if (x > w[i])
					w[i] = x;
			}
		}
		for (long r = -1; r < (long)t->nrows; r++) {
			for (int i = 0; i < t->ncol; i++) {
				const char *s = r < 0 ? t->names[i] : t->cells[(size_t)r * (size_t)t->ncol + (size_t)i];
				size_t x = width(s);

				if (i)
					buf_puts(&t->b, "  ");
				if (t->types[i] == COL_TEXT) {
					buf_puts(&t->b, s);
					if (i + 1 < t->ncol || t->bar >= 0)
						pad(&t->b, w[i] - x);
				} else {
					pad(&t->b, w[i] - x);
					buf_puts(&t->b, s);
				}
			}
			if (t->bar >= 0 && r >= 0) {
				buf_puts(&t->b, "  ");
				bar(t, t->cells[(size_t)r * (size_t)t->ncol + (size_t)t->bar], 30);
			}
			buf_putc(&t->b, '\n');
			if (t->b.len >= 65536)
				flush(t);
		}
		for (size_t k = 0; k < t->nrows * (size_t)t->ncol; k++)
			free(t->cells[k]);
		free(t->cells);
		free(w);
	}
	flush(t);
	buf_free(&t->b);
}
