/* report.c - amount filters and the output formats of overdue-report. */
#include <stdlib.h>
#include <string.h>

#include "money.h"
#include "report/report.h"
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

static void
flush(struct table *t)
{
	buf_flush(&t->b, t->out);
}

void
table_begin(struct table *t)
{
	if (t->bar >= t->ncol)
		die(EX_SOFTWARE, "internal error: bar column %d of %d", t->bar, t->ncol);
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

/* ---- the table format, for people ------------------------------------ */

#define CELL_SZ 48	/* room for a formatted share or money value */
#define GAP 2		/* spaces between columns (1 as the last resort) */
#define BAR_MAX 30
#define BAR_MIN 10

void
report_thousands(const char *num, char *out, size_t size)
{
	const char *s = num + (*num == '-'), *d = s, *f;
	size_t nd, len = 0;

	while (*d >= '0' && *d <= '9')
		d++;
	nd = (size_t)(d - s);
	for (f = *d == '.' ? d + 1 : d; *f >= '0' && *f <= '9'; f++)
		;
	if (nd == 0 || *f != '\0' || strlen(num) + nd / 3 >= size) {
		snprintf(out, size, "%s", num);
		return;
	}
	if (s != num)
		out[len++] = '-';
	for (size_t i = 0; i < nd; i++) {
		if (i > 0 && (nd - i) % 3 == 0)
			out[len++] = ' ';
		out[len++] = s[i];
	}
	snprintf(out + len, size - len, "%s", d);
}

size_t
report_width(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		w += ((unsigned char)*s & 0xC0) != 0x80;
	return w;
}

/* A share's text ("0.123456", "1.000000") in millionths; -1 when it is none. */
static int64_t
share_micro(const char *s)
{
	int64_t v = 0, scale = 1000000;
	const char *p = s;

	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++)
		if ((v = v * 10 + (*p - '0')) > 1000)
			return -1;
	v *= scale;
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9' && scale > 1; p++)
			v += (*p - '0') * (scale /= 10);
	return *p == '\0' ? v : -1;
}

/* kopecks as "345.6k", "1.2M": one decimal of the largest unit, half up */
static void
money_compact(int64_t k, char *out)
{
	static const char unit[] = "kMBT";
	int64_t a = k < 0 ? -k : k, div = 100000, tenths;	/* 1 000 roubles */

	if (a < div) {
		money_format(k, out);
		return;
	}
	for (int u = 0;; u++, div *= 1000) {
		tenths = (a * 10 + div / 2) / div;	/* a <= MONEY_MAX: no overflow */
		if (tenths < 10000 || unit[u + 1] == '\0') {
			snprintf(out, CELL_SZ, "%s%lld.%lld%c", k < 0 ? "-" : "",
			    (long long)(tenths / 10), (long long)(tenths % 10), unit[u]);
			return;
		}
	}
}

/* What the table shows for value s of a column of type ty. */
static const char *
cell(enum coltype ty, const char *s, int compact, char out[CELL_SZ])
{
	int64_t v;

	if (*s == '\0')
		return s;
	switch (ty) {
	case COL_SHARE:
		if ((v = share_micro(s)) < 0)
			return s;
		v = (v + 500) / 1000;	/* tenths of a per cent, half up */
		snprintf(out, CELL_SZ, "%lld.%lld%%", (long long)(v / 10), (long long)(v % 10));
		return out;
	case COL_MONEY:
		if (report_amount(s, &v) != 0)
			return s;
		if (compact)
			money_compact(v, out);
		else
			report_thousands(s, out, CELL_SZ);
		return out;
	case COL_TEXT:
	case COL_NUM:
		break;
	}
	return s;
}

static const char *
value(const struct table *t, size_t r, int i)
{
	return t->cells[r * (size_t)t->ncol + (size_t)i];
}

static const char *
head(const struct table *t, int i)
{
	return t->heads != NULL ? t->heads[i] : t->names[i];
}

/* How the table format lays the table out. */
struct layout {
	size_t *wf, *wc;	/* column widths, money in full and compact form */
	char *keep;		/* the columns shown */
	int compact;		/* money in compact form */
	int barw;		/* bar cells */
	int64_t scale;		/* the share a full bar stands for, in millionths */
	int gap;		/* spaces between columns */
};

static void
measure(const struct table *t, struct layout *L)
{
	char tmp[CELL_SZ];

	for (int i = 0; i < t->ncol; i++) {
		L->wf[i] = L->wc[i] = report_width(head(t, i));
		for (size_t r = 0; r < t->nrows; r++) {
			size_t f = report_width(cell(t->types[i], value(t, r, i), 0, tmp));
			size_t c = report_width(cell(t->types[i], value(t, r, i), 1, tmp));

			L->wf[i] = f > L->wf[i] ? f : L->wf[i];
			L->wc[i] = c > L->wc[i] ? c : L->wc[i];
		}
	}
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/*
 * The bar's full scale: the smallest of 1, 2, 5, 10, 20, 50 and 100 % at
 * or above 95 % of the shares (all of them up to 19 rows), so that one odd
 * month (a first month with one loan, overdue: 100 %) does not flatten
 * every other bar; a bar beyond the scale ends in '>'.
 */
static int64_t
bar_scale(const struct table *t)
{
	static const int64_t nice[] = {10000, 20000, 50000, 100000, 200000, 500000};
	int64_t *v = ecalloc(t->nrows + 1, sizeof *v), p95;
	size_t n = 0;

	for (size_t r = 0; r < t->nrows; r++)
		if ((v[n] = share_micro(value(t, r, t->bar))) >= 0)
			n++;
	qsort(v, n, sizeof *v, cmp_i64);
	p95 = n > 0 ? v[(n * 95 + 99) / 100 - 1] : 0;
	free(v);
	for (size_t i = 0; i < sizeof nice / sizeof nice[0]; i++)
		if (p95 <= nice[i])
			return nice[i];
	return 1000000;
}

/* The bar fits when the shown columns leave it BAR_MIN cells; it takes up to BAR_MAX. */
static int
fits(const struct table *t, struct layout *L, int compact)
{
	const size_t *w = compact ? L->wc : L->wf;
	size_t used = 0, room = (size_t)t->width;

	for (int i = 0; i < t->ncol; i++)
		if (L->keep[i])
			used += (used ? (size_t)L->gap : 0) + w[i];
	if (t->bar >= 0)
		used += (size_t)L->gap;
	if (used + (t->bar >= 0 ? BAR_MIN : 0) > room)
		return 0;
	L->compact = compact;
	L->barw = room - used < BAR_MAX ? (int)(room - used) : BAR_MAX;
	return 1;
}

static int
droppable(const struct table *t, const struct layout *L, int i)
{
	return i > 0 && i < t->ncol && i != t->bar && L->keep[i];
}

static void
fit(const struct table *t, struct layout *L)
{
	const int *d = t->drop;

	memset(L->keep, 1, (size_t)t->ncol);
	L->compact = 0;
	L->barw = BAR_MAX;
	L->gap = GAP;
	if (t->width <= 0)
		return;
	for (;;) {
		if (fits(t, L, 0) || fits(t, L, 1))
			return;
		while (d != NULL && *d >= 0 && !droppable(t, L, *d))
			d++;
		if (d == NULL || *d < 0)
			break;
		L->keep[*d++] = 0;
	}
	L->gap = 1;		/* nothing left to leave out: one space between columns */
	if (fits(t, L, 0) || fits(t, L, 1))
		return;
	L->compact = 1;		/* no fit: the narrowest there is */
	L->barw = BAR_MIN;
}

static void
pad(struct buf *b, size_t n)
{
	while (n-- > 0)
		buf_putc(b, ' ');
}

/* a bar of L->barw cells for share s (text "0.123456", or "" for none) */
static void
bar(struct table *t, const struct layout *L, const char *s)
{
	static const char *eighth[] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
	int64_t micro = share_micro(s), units, w = L->barw;

	if (micro < 0)
		return;
	if (micro > L->scale) {		/* beyond the scale: a full bar ending in '>' */
		for (int64_t i = 1; i < w; i++)
			buf_puts(&t->b, t->utf8 ? "█" : "#");
		buf_putc(&t->b, '>');
		return;
	}
	units = (micro * w * (t->utf8 ? 8 : 1) + L->scale / 2) / L->scale;
	for (int64_t i = 0; i < (t->utf8 ? units / 8 : units); i++)
		buf_puts(&t->b, t->utf8 ? "█" : "#");
	if (t->utf8)
		buf_puts(&t->b, eighth[units % 8]);
}

/* the bar's heading: its scale, "0%" at the left and the full bar's share at the right */
static void
bar_head(struct table *t, const struct layout *L)
{
	char right[16];
	size_t n = (size_t)snprintf(right, sizeof right, "%lld%%", (long long)(L->scale / 10000));

	if ((size_t)L->barw < n + 3)
		return;
	buf_puts(&t->b, "0%");
	pad(&t->b, (size_t)L->barw - n - 2);
	buf_puts(&t->b, right);
}

/* One line: the shown columns of row r (r < 0: the headings), then the bar. */
static void
line(struct table *t, const struct layout *L, long r)
{
	const size_t *w = L->compact ? L->wc : L->wf;
	size_t start = t->b.len;
	int first = 1;
	char tmp[CELL_SZ];

	for (int i = 0; i < t->ncol; i++) {
		const char *s;
		size_t x;

		if (!L->keep[i])
			continue;
		s = r < 0 ? head(t, i) : cell(t->types[i], value(t, (size_t)r, i), L->compact, tmp);
		x = report_width(s);
		pad(&t->b, first ? 0 : (size_t)L->gap);
		first = 0;
		if (t->types[i] != COL_TEXT)
			pad(&t->b, w[i] - x);
		buf_puts(&t->b, s);
		if (t->types[i] == COL_TEXT)
			pad(&t->b, w[i] - x);
	}
	if (t->bar >= 0) {
		pad(&t->b, (size_t)L->gap);
		if (r < 0)
			bar_head(t, L);
		else
			bar(t, L, value(t, (size_t)r, t->bar));
	}
	while (t->b.len > start && t->b.p[t->b.len - 1] == ' ')
		t->b.len--;	/* no trailing blanks */
	buf_putc(&t->b, '\n');
}

/* text as lines of at most `cols` columns (0: one line), broken at spaces */
static void
wrap(struct buf *b, const char *text, int cols)
{
	size_t col = 0;

	while (*text) {
		size_t n = strcspn(text, " "), x;
		char *word = estrdup(text);

		word[n] = '\0';
		x = report_width(word);
		if (col > 0 && cols > 0 && col + 1 + x > (size_t)cols) {
			buf_putc(b, '\n');
			col = 0;
		} else if (col > 0) {
			buf_putc(b, ' ');
			col++;
		}
		buf_puts(b, word);
		col += x;
		free(word);
		text += n;
		text += strspn(text, " ");
	}
	buf_putc(b, '\n');
}

/* the line after a table that left columns out */
static void
left_out(struct table *t, const struct layout *L)
{
	struct buf n = BUF_INIT;
	const char *sep = "";

	buf_printf(&n, "Left out to fit %d columns:", t->width);
	for (int i = 0; i < t->ncol; i++)
		if (!L->keep[i]) {
			buf_printf(&n, "%s %s", sep, t->names[i]);
			sep = ",";
		}
	if (*sep == '\0') {
		buf_free(&n);
		return;
	}
	buf_puts(&n, " (--format tsv has every column).");
	wrap(&t->b, buf_cstr(&n), t->width);
	buf_free(&n);
}

static void
table_print(struct table *t)
{
	struct layout L;

	L.wf = ecalloc((size_t)t->ncol, sizeof *L.wf);
	L.wc = ecalloc((size_t)t->ncol, sizeof *L.wc);
	L.keep = ecalloc((size_t)t->ncol, 1);
	measure(t, &L);
	fit(t, &L);
	L.scale = t->bar >= 0 ? bar_scale(t) : 1000000;
	for (long r = -1; r < (long)t->nrows; r++) {
		line(t, &L, r);
		if (t->b.len >= 65536)
			flush(t);
	}
	left_out(t, &L);
	for (size_t k = 0; k < t->nrows * (size_t)t->ncol; k++)
		free(t->cells[k]);
	free(t->cells);
	free(L.wf);
	free(L.wc);
	free(L.keep);
}

void
table_end(struct table *t)
{
	if (t->fmt == FMT_JSON)
		buf_puts(&t->b, t->nout ? "\n]\n" : "]\n");
	if (t->fmt == FMT_TABLE)
		table_print(t);
	flush(t);
	buf_free(&t->b);
}
