/*
 * chart.c - standalone SVG charts of overdue-report's series (chart.h).
 *
 * One 900 x 420 document per chart: a heading (what, as of when, for which
 * loans), a plot with gridlines, labelled axes and a legend, in the
 * Okabe-Ito colours, which stay apart for colour-blind readers and in
 * print.  Shares are computed from their numerators and denominators and
 * printed from integers (share_format()); doubles are only pixels.  Every
 * bar and point carries data-value, the share exactly as the TSV prints it.
 * Every text, ours and the caller's, goes through xml_text().
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report/chart.h"
#include "date.h"
#include "position.h"
#include "report/report.h"
#include "util.h"

__extension__ typedef unsigned __int128 u128;

#define W 900
#define H 420
#define PL 84.0		/* the plot box */
#define PR 870.0
#define PT 88.0
#define PB 326.0
#define CHAR_W 6.8	/* a 12px sans-serif character, roughly */

/* Okabe & Ito, "Color Universal Design" (2002) */
#define C_BLACK "#000000"
#define C_ORANGE "#E69F00"
#define C_SKY "#56B4E9"
#define C_GREEN "#009E73"
#define C_YELLOW "#F0E442"
#define C_BLUE "#0072B2"
#define C_VERMILLION "#D55E00"
#define C_PURPLE "#CC79A7"
#define C_TEXT "#222222"
#define C_MUTED "#555555"
#define C_GRID "#DDDDDD"

struct ratio {
	int64_t num, den;	/* den 0: no value */
};

/* the x positions: months (m[i].month) or months on book 0..n-1 (m NULL) */
struct xaxis {
	size_t n;
	const struct mrow *m;
};

/* the y scale: 0..top in steps; shares in millionths, else counts */
struct yaxis {
	int64_t top, step;
	int share;
};

/* one line of a line chart, or the bars of a bar chart */
struct series {
	const char *name;	/* the legend's label */
	const char *color;
	const char *dash;	/* stroke-dasharray, or NULL */
	struct ratio *v;	/* one per x position */
};

static const char *const bucket_name[6] = {"0", "1-30", "31-60", "61-90", "91+", "closed"};

int
chart_parse(const char *name, enum chart *c)
{
	static const struct { const char *name; enum chart c; } t[] = {
		{"share", CHART_SHARE}, {"late", CHART_LATE}, {"buckets", CHART_BUCKETS},
		{"par", CHART_PAR}, {"vintage", CHART_VINTAGE}, {"roll", CHART_ROLL},
		{"cure", CHART_CURE},
	};

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (strcmp(name, t[i].name) == 0) {
			*c = t[i].c;
			return 0;
		}
	return -1;
}

/* ---- text ------------------------------------------------------------ */

static const char *
L(const struct chart_opts *o, const char *ru, const char *en)
{
	return o->en ? en : ru;
}

/* The length of the valid UTF-8 sequence at p that XML allows, or 0. */
static size_t
utf8_len(const unsigned char *p)
{
	size_t n;
	unsigned lo = 0x80, hi = 0xBF;

	if (*p < 0x80)
		return 1;
	if (*p >= 0xC2 && *p <= 0xDF)
		n = 2;
	else if (*p >= 0xE0 && *p <= 0xEF)
		n = 3;
	else if (*p >= 0xF0 && *p <= 0xF4)
		n = 4;
	else
		return 0;
	if (*p == 0xE0)
		lo = 0xA0;	/* overlong */
	else if (*p == 0xED)
		hi = 0x9F;	/* surrogates */
	else if (*p == 0xF0)
		lo = 0x90;
	else if (*p == 0xF4)
		hi = 0x8F;	/* beyond U+10FFFF */
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (p[i] < 0x80 || p[i] > 0xBF)
			return 0;
	if (n == 3 && p[0] == 0xEF && p[1] == 0xBF && p[2] >= 0xBE)
		return 0;	/* U+FFFE, U+FFFF are no XML characters */
	return n;
}

/*
 * s as XML character data or an attribute value: & < > " ' as references,
 * control characters and invalid UTF-8 as U+FFFD, so nothing from outside
 * can end an element or make the document ill-formed.
 */
static void
xml_text(struct buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		size_t n = utf8_len(p);

		if (n == 0 || (*p < 0x20 && *p != '\t' && *p != '\n')) {
			buf_puts(b, "\xEF\xBF\xBD");
			p++;
			continue;
		}
		switch (*p) {
		case '&': buf_puts(b, "&amp;"); break;
		case '<': buf_puts(b, "&lt;"); break;
		case '>': buf_puts(b, "&gt;"); break;
		case '"': buf_puts(b, "&quot;"); break;
		case '\'': buf_puts(b, "&#39;"); break;
		default: buf_put(b, p, n); break;
		}
		p += n;
	}
}

/* num/den with 6 decimals, as the TSV prints it */
static void
share6(struct ratio r, char out[32])
{
	share_format(r.num, r.den, 6, out, 32);
}

/* num/den as a percentage with one decimal, "12.3%", rounded half up once */
static void
pct1(struct ratio r, char out[32])
{
	char s[32];
	char *dot;
	long long tenths;

	share_format(r.num, r.den, 3, s, sizeof s);	/* "0.123": tenths of a per cent */
	dot = strchr(s, '.');
	tenths = strtoll(s, NULL, 10) * 1000 + (dot ? strtoll(dot + 1, NULL, 10) : 0);
	snprintf(out, 32, "%lld.%lld%%", tenths / 10, tenths % 10);
}

/* a count with thousands separators, "12 345" */
static void
count_text(int64_t v, char out[32])
{
	char s[32];

	snprintf(s, sizeof s, "%lld", (long long)v);
	report_thousands(s, out, 32);
}

/* millionths as a tick label: "12%", "2.5%", "0.25%" */
static void
tick_pct(int64_t ppm, char out[32])
{
	int64_t frac = ppm % 10000;
	int n = 4;

	if (frac == 0) {
		snprintf(out, 32, "%lld%%", (long long)(ppm / 10000));
		return;
	}
	while (frac % 10 == 0) {
		frac /= 10;
		n--;
	}
	snprintf(out, 32, "%lld.%0*lld%%", (long long)(ppm / 10000), n, (long long)frac);
}

/* "2024-03" of a month's first day */
static void
month_text(int32_t month, char out[16])
{
	int y, m, d;

	date_to_civil(month, &y, &m, &d);
	snprintf(out, 16, "%04d-%02d", y % 10000, m % 100);
}

/* ---- SVG pieces --------------------------------------------------------- */

/* an attribute holding a pixel coordinate, one decimal, whatever the locale */
static void
at(struct buf *b, const char *name, double v)
{
	long t = (long)(v * 10 + (v < 0 ? -0.5 : 0.5));

	buf_printf(b, " %s=\"%s%ld.%ld\"", name, t < 0 ? "-" : "", labs(t) / 10, labs(t) % 10);
}

/* a path step: " M12.3 45.6" */
static void
step(struct buf *b, char cmd, double x, double y)
{
	long tx = (long)(x * 10 + 0.5), ty = (long)(y * 10 + 0.5);

	buf_printf(b, "%c%ld.%ld %ld.%ld ", cmd, tx / 10, tx % 10, ty / 10, ty % 10);
}

/* <text x y attrs>s</text> */
static void
text(struct buf *b, double x, double y, const char *attrs, const char *s)
{
	buf_puts(b, "<text");
	at(b, "x", x);
	at(b, "y", y);
	buf_printf(b, "%s%s>", *attrs ? " " : "", attrs);
	xml_text(b, s);
	buf_puts(b, "</text>\n");
}

static void
hline(struct buf *b, double x0, double x1, double y, const char *color)
{
	buf_puts(b, "<line");
	at(b, "x1", x0);
	at(b, "y1", y);
	at(b, "x2", x1);
	at(b, "y2", y);
	buf_printf(b, " stroke=\"%s\" stroke-width=\"1\"/>\n", color);
}

/* the x, y, width and height attributes of a rectangle */
static void
box(struct buf *b, double x, double y, double w, double h)
{
	at(b, "x", x);
	at(b, "y", y);
	at(b, "width", w < 0 ? 0 : w);
	at(b, "height", h < 0 ? 0 : h);
}

/* a <title> child: the tooltip of a bar or point */
static void
tip(struct buf *b, const char *s)
{
	buf_puts(b, "<title>");
	xml_text(b, s);
	buf_puts(b, "</title>");
}

/*
 * The document's start: declaration, <svg>, <title>, <desc>, a white
 * background and the heading: the title, then the as-of date and the filter.
 */
static void
doc_begin(struct buf *b, const struct chart_opts *o, const char *title, const char *desc)
{
	struct buf sub = BUF_INIT;

	buf_printf(&sub, "%s %s \xC2\xB7 %s", L(o, "по состоянию на", "as of"),
	    o->as_of ? o->as_of : "?", o->filter && *o->filter ? o->filter :
	    L(o, "все кредиты", "all loans"));
	buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	buf_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\" "
	    "height=\"%d\" role=\"img\" aria-labelledby=\"chart-title chart-desc\" "
	    "font-family=\"sans-serif\" font-size=\"12\" fill=\"%s\">\n", W, H, W, H, C_TEXT);
	buf_puts(b, "<title id=\"chart-title\">");
	xml_text(b, title);
	buf_puts(b, " (");
	xml_text(b, buf_cstr(&sub));
	buf_puts(b, ")</title>\n<desc id=\"chart-desc\">");
	xml_text(b, desc);
	buf_printf(b, "</desc>\n<rect width=\"%d\" height=\"%d\" fill=\"#FFFFFF\"/>\n", W, H);
	text(b, 24, 30, "font-size=\"18\" font-weight=\"bold\"", title);
	text(b, 24, 51, "font-size=\"13\" fill=\"" C_MUTED "\"", buf_cstr(&sub));
	buf_free(&sub);
}

static void
doc_end(struct buf *b)
{
	buf_puts(b, "</svg>\n");
}

/* a chart without data: the heading and "no data" */
static void
no_data(struct buf *b, const struct chart_opts *o, const char *title)
{
	doc_begin(b, o, title, L(o, "Нет данных для этого графика.", "No data for this chart."));
	text(b, W / 2.0, H / 2.0, "font-size=\"20\" text-anchor=\"middle\" fill=\"" C_MUTED "\"",
	    L(o, "нет данных", "no data"));
	doc_end(b);
}

/* ---- scales and axes ---------------------------------------------------- */

/* num/den in millionths, rounded up (den > 0) */
static int64_t
ppm_up(struct ratio r)
{
	u128 v = (u128)r.num * 1000000u;

	return (int64_t)((v + (u128)r.den - 1) / (u128)r.den);
}

/* a scale 0..top with about five round steps (1, 2 or 5 times a power of ten) */
static void
nice(int64_t max, int share, struct yaxis *y)
{
	int64_t raw, mag = 1;

	if (max <= 0)
		max = share ? 10000 : 5;	/* nothing to show: 0..1%, 0..5 */
	raw = (max + 4) / 5;
	while (mag <= raw / 10)
		mag *= 10;
	y->step = raw <= mag ? mag : raw <= 2 * mag ? 2 * mag : raw <= 5 * mag ? 5 * mag : 10 * mag;
	y->top = (max + y->step - 1) / y->step * y->step;
	y->share = share;
}

/* the pixel height of value v (millionths or a count) on scale y */
static double
ypix(const struct yaxis *y, double v)
{
	return PB - (PB - PT) * v / (double)y->top;
}

static double
ypix_ratio(const struct yaxis *y, struct ratio r)
{
	return ypix(y, (double)r.num / (double)r.den * 1e6);
}

static void
y_axis(struct buf *b, const struct yaxis *y, const char *unit)
{
	char lab[32];

	for (int64_t v = 0; v <= y->top; v += y->step) {
		if (y->share)
			tick_pct(v, lab);
		else
			count_text(v, lab);
		hline(b, PL, PR, ypix(y, (double)v), v == 0 ? C_MUTED : C_GRID);
		text(b, PL - 8, ypix(y, (double)v) + 4, "text-anchor=\"end\" fill=\"" C_MUTED "\"", lab);
	}
	if (unit != NULL)
		text(b, 24, PT - 14, "fill=\"" C_MUTED "\"", unit);
}

static double
slot(const struct xaxis *x)
{
	return (PR - PL) / (double)x->n;
}

static double
xmid(const struct xaxis *x, size_t i)
{
	return PL + slot(x) * ((double)i + 0.5);
}

/* label every step-th position: months on calendar multiples (3: quarters, 12: Januaries) */
static size_t
x_step(const struct xaxis *x)
{
	static const size_t steps[] = {1, 2, 3, 6, 12, 24, 60, 120, 240, 600, 1200};
	double need = x->m != NULL ? 64 : 30;	/* "2024-03" or "120", with room */
	size_t i = 0;

	while (i + 1 < sizeof steps / sizeof steps[0] && slot(x) * (double)steps[i] < need)
		i++;
	return steps[i];
}

/* the label of position i when it has one at this step, else "" */
static void
x_label(const struct xaxis *x, size_t i, size_t st, char out[24])
{
	int y, m, d;

	*out = '\0';
	if (x->m == NULL) {
		if (i % st == 0)
			snprintf(out, 24, "%zu", i);
		return;
	}
	date_to_civil(x->m[i].month, &y, &m, &d);
	if (((size_t)y * 12 + (size_t)(m - 1)) % st != 0)
		return;
	if (st >= 12)
		snprintf(out, 24, "%04d", y % 10000);
	else
		month_text(x->m[i].month, out);
}

static void
x_axis(struct buf *b, const struct xaxis *x, const char *title)
{
	size_t st = x_step(x);
	char lab[24];

	for (size_t i = 0; i < x->n; i++) {
		x_label(x, i, st, lab);
		if (*lab == '\0')
			continue;
		buf_puts(b, "<line");
		at(b, "x1", xmid(x, i));
		at(b, "y1", PB);
		at(b, "x2", xmid(x, i));
		at(b, "y2", PB + 5);
		buf_puts(b, " stroke=\"" C_MUTED "\"/>\n");
		text(b, xmid(x, i), PB + 19, "text-anchor=\"middle\" fill=\"" C_MUTED "\"", lab);
	}
	if (title != NULL)
		text(b, (PL + PR) / 2, PB + 38, "text-anchor=\"middle\" fill=\"" C_MUTED "\"", title);
}

/* the data attribute naming position i: data-month="2024-03" or data-mob="3" */
static void
x_attr(struct buf *b, const struct xaxis *x, size_t i)
{
	char m[16];

	if (x->m == NULL) {
		buf_printf(b, " data-mob=\"%zu\"", i);
		return;
	}
	month_text(x->m[i].month, m);
	buf_printf(b, " data-month=\"%s\"", m);
}

static void
x_name(const struct xaxis *x, size_t i, const struct chart_opts *o, char out[48])
{
	if (x->m == NULL)
		snprintf(out, 48, "%s %zu", L(o, "месяц", "month"), i);
	else
		month_text(x->m[i].month, out);
}

/* ---- legend ------------------------------------------------------------- */

struct key {
	const char *label;
	const char *color;
	const char *dash;	/* a line's dash, NULL solid */
	int line;		/* a line (else a square) */
};

/* the legend, left to right from PL, wrapping at PR, below the x axis */
static void
legend(struct buf *b, const char *title, const struct key *k, size_t n)
{
	double x = PL, y = H - 30;

	if (title != NULL) {
		text(b, x, y + 4, "fill=\"" C_MUTED "\"", title);
		x += (double)report_width(title) * CHAR_W + 10;
	}
	for (size_t i = 0; i < n; i++) {
		double w = 22 + (double)report_width(k[i].label) * CHAR_W + 18;

		if (x + w > PR + 20 && x > PL) {
			x = PL;
			y += 18;
		}
		if (k[i].line) {
			buf_puts(b, "<line");
			at(b, "x1", x);
			at(b, "y1", y);
			at(b, "x2", x + 16);
			at(b, "y2", y);
			buf_printf(b, " stroke=\"%s\" stroke-width=\"3\"", k[i].color);
			if (k[i].dash)
				buf_printf(b, " stroke-dasharray=\"%s\"", k[i].dash);
			buf_puts(b, "/>\n");
		} else {
			buf_puts(b, "<rect");
			box(b, x + 2, y - 6, 12, 12);
			buf_printf(b, " fill=\"%s\"/>\n", k[i].color);
		}
		text(b, x + 22, y + 4, "", k[i].label);
		x += w;
	}
}

/* ---- plots -------------------------------------------------------------- */

/* the largest share of n values, in millionths rounded up (0 none) */
static int64_t
max_ppm(const struct ratio *v, size_t n)
{
	int64_t max = 0;

	for (size_t i = 0; i < n; i++)
		if (v[i].den > 0 && ppm_up(v[i]) > max)
			max = ppm_up(v[i]);
	return max;
}

/* the last position with a value, or n */
static size_t
last_value(const struct ratio *v, size_t n)
{
	for (size_t i = n; i-- > 0;)
		if (v[i].den > 0)
			return i;
	return n;
}

/* one bar per position with a value; its share written above it when there is room */
static void
bars(struct buf *b, const struct xaxis *x, const struct yaxis *y, const struct series *s,
    const struct chart_opts *o)
{
	double bw = slot(x) * 0.72 < 1 ? 1 : slot(x) * 0.72;

	for (size_t i = 0; i < x->n; i++) {
		char v6[32], p[32], name[48], a[32], d[32], t[160];
		double top;

		if (s->v[i].den <= 0)
			continue;
		share6(s->v[i], v6);
		pct1(s->v[i], p);
		x_name(x, i, o, name);
		count_text(s->v[i].num, a);
		count_text(s->v[i].den, d);
		top = ypix_ratio(y, s->v[i]);
		buf_puts(b, "<rect class=\"bar\"");
		x_attr(b, x, i);
		buf_printf(b, " data-value=\"%s\"", v6);
		box(b, xmid(x, i) - bw / 2, top, bw, PB - top);
		buf_printf(b, " fill=\"%s\">", s->color);
		snprintf(t, sizeof t, "%s: %s (%s %s %s)", name, p, a, L(o, "из", "of"), d);
		tip(b, t);
		buf_puts(b, "</rect>\n");
		if (slot(x) >= 40)
			text(b, xmid(x, i), top - 5, "font-size=\"11\" text-anchor=\"middle\"", p);
	}
}

/* a line through the positions with a value (broken where there is none) and a dot on each */
static void
line(struct buf *b, const struct xaxis *x, const struct yaxis *y, const struct series *s,
    const struct chart_opts *o)
{
	int pen = 0;
	double r = slot(x) >= 12 ? 3 : 1.6;

	buf_puts(b, "<path d=\"");
	for (size_t i = 0; i < x->n; i++) {
		if (s->v[i].den <= 0) {
			pen = 0;
			continue;
		}
		step(b, pen ? 'L' : 'M', xmid(x, i), ypix_ratio(y, s->v[i]));
		pen = 1;
	}
	buf_printf(b, "\" fill=\"none\" stroke=\"%s\" stroke-width=\"2.5\" stroke-linejoin=\"round\"",
	    s->color);
	if (s->dash)
		buf_printf(b, " stroke-dasharray=\"%s\"", s->dash);
	buf_puts(b, "/>\n");
	struct buf t = BUF_INIT;

	for (size_t i = 0; i < x->n; i++) {
		char v6[32], p[32], name[48];

		if (s->v[i].den <= 0)
			continue;
		share6(s->v[i], v6);
		pct1(s->v[i], p);
		x_name(x, i, o, name);
		buf_puts(b, "<circle class=\"point\" data-series=\"");
		xml_text(b, s->name);
		buf_putc(b, '"');
		x_attr(b, x, i);
		buf_printf(b, " data-value=\"%s\"", v6);
		at(b, "cx", xmid(x, i));
		at(b, "cy", ypix_ratio(y, s->v[i]));
		at(b, "r", r);
		buf_printf(b, " fill=\"%s\">", s->color);
		buf_reset(&t);
		buf_printf(&t, "%s, %s: %s", s->name, name, p);
		tip(b, buf_cstr(&t));
		buf_puts(b, "</circle>\n");
	}
	buf_free(&t);
}

/* "NAME (2024-03: 12.3%)" with the last value, for a legend or a description, onto out */
static void
latest(struct buf *out, const struct xaxis *x, const struct series *s, const struct chart_opts *o)
{
	size_t i = last_value(s->v, x->n);
	char name[48], p[32];

	buf_puts(out, s->name);
	if (i == x->n)
		return;
	x_name(x, i, o, name);
	pct1(s->v[i], p);
	buf_printf(out, " (%s: %s)", name, p);
}

/* ---- the monthly charts ------------------------------------------------- */

struct rate_def {
	const char *title_ru, *title_en;
	const char *what_ru, *what_en;	/* the legend: numerator / denominator */
	const char *color;
	struct ratio (*get)(const struct mrow *);
};

static struct ratio
get_share(const struct mrow *m)
{
	return (struct ratio){m->overdue, m->active};
}

static struct ratio
get_late(const struct mrow *m)
{
	return (struct ratio){m->flow_late, m->flow};
}

static struct ratio
get_cure(const struct mrow *m)
{
	return (struct ratio){m->cured, m->prev_overdue};
}

static struct ratio
get_par30(const struct mrow *m)
{
	return (struct ratio){m->par30_k, m->out_k};
}

static struct ratio
get_par90(const struct mrow *m)
{
	return (struct ratio){m->par90_k, m->out_k};
}

static const struct rate_def def_share = {
	"Доля просроченных кредитов по месяцам", "Overdue share of active loans by month",
	"просроченные ÷ активные кредиты", "overdue ÷ active loans", C_BLUE, get_share
};
static const struct rate_def def_late = {
	"Доля кредитов с нарушением графика платежей", "Loans with a late, short or missed payment",
	"с нарушенным платежом ÷ с платежом в месяце", "a payment late, short or missed ÷ loans with a payment due",
	C_ORANGE, get_late
};
static const struct rate_def def_cure = {
	"Доля излечения по месяцам", "Cure rate by month",
	"стали текущими или закрыты ÷ просроченные месяцем раньше",
	"current or closed now ÷ overdue a month before", C_GREEN, get_cure
};

static struct ratio *
monthly(const struct chart_data *d, struct ratio (*get)(const struct mrow *))
{
	struct ratio *v = ecalloc(d->nm, sizeof *v);

	for (size_t i = 0; i < d->nm; i++)
		v[i] = get(&d->m[i]);
	return v;
}

/* the description: what the chart shows, over which months, and the last values */
static void
describe(struct buf *desc, const struct xaxis *x, const struct series *s, size_t ns,
    const char *what, const struct chart_opts *o)
{
	char first[16], last[16];

	month_text(x->m[0].month, first);
	month_text(x->m[x->n - 1].month, last);
	buf_printf(desc, "%s, %s %s %s %s.", what, L(o, "с", "from"), first, L(o, "по", "to"), last);
	for (size_t k = 0; k < ns; k++) {
		buf_putc(desc, ' ');
		latest(desc, x, &s[k], o);
		buf_putc(desc, '.');
	}
}

static void
rate_chart(struct buf *b, const struct chart_data *d, const struct chart_opts *o,
    const struct rate_def *def)
{
	const char *title = L(o, def->title_ru, def->title_en);
	struct xaxis x = {d->nm, d->m};
	struct yaxis y;
	struct series s = {L(o, def->what_ru, def->what_en), def->color, NULL, NULL};
	struct buf desc = BUF_INIT, lab = BUF_INIT;
	struct key k;

	if (d->nm == 0) {
		no_data(b, o, title);
		return;
	}
	s.v = monthly(d, def->get);
	nice(max_ppm(s.v, x.n), 1, &y);
	describe(&desc, &x, &s, 1, title, o);
	doc_begin(b, o, title, buf_cstr(&desc));
	y_axis(b, &y, NULL);
	bars(b, &x, &y, &s, o);
	x_axis(b, &x, NULL);
	latest(&lab, &x, &s, o);
	k = (struct key){buf_cstr(&lab), s.color, NULL, 0};
	legend(b, NULL, &k, 1);
	doc_end(b);
	free(s.v);
	buf_free(&desc);
	buf_free(&lab);
}

static void
par_chart(struct buf *b, const struct chart_data *d, const struct chart_opts *o)
{
	const char *title = L(o, "Портфель под риском: PAR30 и PAR90", "Portfolio at risk: PAR30 and PAR90");
	struct xaxis x = {d->nm, d->m};
	struct yaxis y;
	struct series s[2] = {
		{L(o, "PAR30: остаток с просрочкой > 30 дней", "PAR30: outstanding more than 30 days past due"),
		    C_ORANGE, NULL, NULL},
		{L(o, "PAR90: > 90 дней", "PAR90: > 90 days"), C_VERMILLION, "7 4", NULL}
	};
	struct buf desc = BUF_INIT, lab[2] = {BUF_INIT, BUF_INIT};
	struct key k[2];

	if (d->nm == 0) {
		no_data(b, o, title);
		return;
	}
	s[0].v = monthly(d, get_par30);
	s[1].v = monthly(d, get_par90);
	nice(max_ppm(s[0].v, x.n) > max_ppm(s[1].v, x.n) ? max_ppm(s[0].v, x.n) : max_ppm(s[1].v, x.n),
	    1, &y);
	describe(&desc, &x, s, 2, L(o, "Доля остатка активных кредитов с просрочкой более 30 и 90 дней "
	    "по месяцам", "Share of the outstanding of active loans more than 30 and 90 days past due "
	    "by month"), o);
	doc_begin(b, o, title, buf_cstr(&desc));
	y_axis(b, &y, L(o, "доля остатка", "of outstanding"));
	for (int i = 0; i < 2; i++) {
		line(b, &x, &y, &s[i], o);
		latest(&lab[i], &x, &s[i], o);
	}
	for (int i = 0; i < 2; i++)	/* the labels are complete: buf_cstr() stays put */
		k[i] = (struct key){buf_cstr(&lab[i]), s[i].color, s[i].dash, 1};
	x_axis(b, &x, NULL);
	legend(b, NULL, k, 2);
	doc_end(b);
	for (int i = 0; i < 2; i++) {
		free(s[i].v);
		buf_free(&lab[i]);
	}
	buf_free(&desc);
}

/* overdue loans by DPD bucket, one stacked bar per month */
static void
stack(struct buf *b, const struct xaxis *x, const struct yaxis *y, const struct mrow *m,
    const char *const *color, const struct chart_opts *o)
{
	double bw = slot(x) * 0.72 < 1 ? 1 : slot(x) * 0.72;

	for (size_t i = 0; i < x->n; i++) {
		int64_t base = 0;
		char name[48];

		x_name(x, i, o, name);
		for (int k = 0; k < 4; k++) {
			char c[32], t[128];
			double y0 = ypix(y, (double)base), y1 = ypix(y, (double)(base + m[i].dpd[k]));

			if (m[i].dpd[k] <= 0)
				continue;
			base += m[i].dpd[k];
			count_text(m[i].dpd[k], c);
			buf_puts(b, "<rect class=\"bar\"");
			x_attr(b, x, i);
			buf_printf(b, " data-bucket=\"%s\" data-value=\"%lld\"", bucket_name[k + 1],
			    (long long)m[i].dpd[k]);
			box(b, xmid(x, i) - bw / 2, y1, bw, y0 - y1);
			buf_printf(b, " fill=\"%s\">", color[k]);
			snprintf(t, sizeof t, "%s, %s %s: %s", name, bucket_name[k + 1],
			    L(o, "дн.", "days"), c);
			tip(b, t);
			buf_puts(b, "</rect>\n");
		}
	}
}

static void
buckets_chart(struct buf *b, const struct chart_data *d, const struct chart_opts *o)
{
	static const char *const color[4] = {C_SKY, C_BLUE, C_ORANGE, C_VERMILLION};
	static const char *const ru[4] = {"1–30 дней", "31–60 дней", "61–90 дней", "91 и более"};
	static const char *const en[4] = {"1–30 days", "31–60 days", "61–90 days", "91+ days"};
	const char *title = L(o, "Просроченные кредиты по сроку просрочки",
	    "Overdue loans by days past due");
	struct xaxis x = {d->nm, d->m};
	struct yaxis y;
	struct buf desc = BUF_INIT;
	struct key k[4];
	int64_t max = 0;
	char first[16], last[16], c[32];

	if (d->nm == 0) {
		no_data(b, o, title);
		return;
	}
	for (size_t i = 0; i < d->nm; i++) {
		int64_t sum = d->m[i].dpd[0] + d->m[i].dpd[1] + d->m[i].dpd[2] + d->m[i].dpd[3];

		max = sum > max ? sum : max;
	}
	nice(max, 0, &y);
	month_text(d->m[0].month, first);
	month_text(d->m[d->nm - 1].month, last);
	buf_printf(&desc, "%s, %s %s %s %s. %s:", title, L(o, "с", "from"), first, L(o, "по", "to"),
	    last, last);
	for (int i = 0; i < 4; i++) {
		count_text(d->m[d->nm - 1].dpd[i], c);
		buf_printf(&desc, "%s %s %s", i ? "," : "", L(o, ru[i], en[i]), c);
		k[i] = (struct key){L(o, ru[i], en[i]), color[i], NULL, 0};
	}
	buf_putc(&desc, '.');
	doc_begin(b, o, title, buf_cstr(&desc));
	y_axis(b, &y, L(o, "кредитов", "loans"));
	stack(b, &x, &y, d->m, color, o);
	x_axis(b, &x, NULL);
	legend(b, L(o, "просрочка:", "past due:"), k, 4);
	doc_end(b);
	buf_free(&desc);
}

/* ---- vintages ----------------------------------------------------------- */

/*
 * One series per start year: at m, Σ ever30 ÷ Σ loans over the year's
 * vintage months that have a row for m.  Returns the number of years; *v
 * holds years x (maxmob + 1) ratios, years[] the years.
 */
static size_t
vintage_years(const struct chart_data *d, size_t nx, struct ratio **v, int **years)
{
	size_t ny = 0;
	int y, m, day, prev = -1;

	*years = ecalloc(d->nv + 1, sizeof **years);
	for (size_t i = 0; i < d->nv; i++) {
		date_to_civil(d->v[i].vintage, &y, &m, &day);
		if (y != prev)
			(*years)[ny++] = prev = y;
	}
	*v = ecalloc(ny * nx + 1, sizeof **v);
	for (size_t i = 0, k = 0; i < d->nv; i++) {
		struct ratio *r;

		date_to_civil(d->v[i].vintage, &y, &m, &day);
		while ((*years)[k] != y)
			k++;
		if (d->v[i].mob < 0 || (size_t)d->v[i].mob >= nx)
			continue;
		r = &(*v)[k * nx + (size_t)d->v[i].mob];
		r->num += d->v[i].ever30;
		r->den += d->v[i].loans;
	}
	return ny;
}

static void
vintage_chart(struct buf *b, const struct chart_data *d, const struct chart_opts *o)
{
	static const char *const color[] = {C_BLUE, C_VERMILLION, C_GREEN, C_ORANGE, C_PURPLE,
	    C_SKY, C_BLACK, C_YELLOW};
	static const char *const dash[] = {NULL, "7 4", "2 3"};
	const char *title = L(o, "Винтажи: доля кредитов с просрочкой более 30 дней",
	    "Vintages: share of loans ever more than 30 days past due");
	struct xaxis x = {0, NULL};
	struct yaxis y;
	struct buf desc = BUF_INIT;
	struct ratio *v;
	struct series *s;
	struct key *k;
	int *years;
	char (*yname)[12];
	size_t ny;
	int64_t max = 0;

	if (d->nv == 0) {
		no_data(b, o, title);
		return;
	}
	for (size_t i = 0; i < d->nv; i++)
		x.n = d->v[i].mob >= 0 && (size_t)d->v[i].mob + 1 > x.n ? (size_t)d->v[i].mob + 1 : x.n;
	ny = vintage_years(d, x.n, &v, &years);
	s = ecalloc(ny, sizeof *s);
	k = ecalloc(ny, sizeof *k);
	yname = ecalloc(ny, sizeof *yname);
	buf_printf(&desc, "%s. %s", L(o, "Доля кредитов, хоть раз просроченных более чем на 30 дней, "
	    "по месяцам с выдачи; линия — год выдачи", "Share of loans ever more than 30 days past "
	    "due by months on book; one line per start year"), L(o, "Последние значения:",
	    "Last values:"));
	for (size_t i = 0; i < ny; i++) {
		snprintf(yname[i], sizeof yname[i], "%d", years[i]);
		s[i].name = yname[i];
		s[i].color = color[i % 8];
		s[i].dash = dash[(i / 8) % 3];
		s[i].v = v + i * x.n;
		max = max_ppm(s[i].v, x.n) > max ? max_ppm(s[i].v, x.n) : max;
		k[i] = (struct key){s[i].name, s[i].color, s[i].dash, 1};
		buf_putc(&desc, ' ');
		latest(&desc, &x, &s[i], o);
		buf_putc(&desc, i + 1 < ny ? ';' : '.');
	}
	nice(max, 1, &y);
	doc_begin(b, o, title, buf_cstr(&desc));
	y_axis(b, &y, NULL);
	for (size_t i = 0; i < ny; i++)
		line(b, &x, &y, &s[i], o);
	x_axis(b, &x, L(o, "месяцев с выдачи", "months on book"));
	legend(b, L(o, "год выдачи:", "start year:"), k, ny);
	doc_end(b);
	free(v);
	free(years);
	free(s);
	free(k);
	free(yname);
	buf_free(&desc);
}

/* ---- the roll matrix ---------------------------------------------------- */

#define RX0 24.0	/* the from-bucket column */
#define RX1 150.0	/* the first to-column */
#define RCW 88.0	/* a to-column */
#define RY0 118.0	/* the first row */
#define RRH 42.0	/* a row */

/* the five rows of the latest month (rows absent in the data are zero) */
static int32_t
roll_latest(const struct chart_data *d, struct roll_row rows[5])
{
	int32_t month = d->r[0].month;

	for (size_t i = 0; i < d->nr; i++)
		month = d->r[i].month > month ? d->r[i].month : month;
	memset(rows, 0, 5 * sizeof *rows);
	for (size_t i = 0; i < d->nr; i++)
		if (d->r[i].month == month && d->r[i].from >= 0 && d->r[i].from < 5)
			rows[d->r[i].from] = d->r[i];
	return month;
}

/* loans rolled from bucket `from` to a worse bucket (closed is not worse) */
static int64_t
rolled(const struct roll_row *r, int from)
{
	int64_t n = 0;

	for (int j = from + 1; j < 5; j++)
		n += r->to[j];
	return n;
}

/* a cell of class cls in row `from` at x: a count, its share of the row below it, shaded by that share */
static void
roll_cell(struct buf *b, const char *cls, int from, double x, double w, int64_t count, int64_t of,
    const char *fill, const struct chart_opts *o)
{
	double y = RY0 + RRH * from;
	char c[32], p[32], v6[32] = "";
	long shade = of > 0 ? (long)(count * 1000 / of) : 0;	/* permille */
	const char *ink = shade > 550 ? "#FFFFFF" : C_TEXT;

	count_text(count, c);
	if (of > 0) {
		pct1((struct ratio){count, of}, p);
		share6((struct ratio){count, of}, v6);
	} else {
		snprintf(p, sizeof p, "—");
	}
	buf_printf(b, "<rect class=\"%s\" data-from=\"%s\"", cls, bucket_name[from]);
	box(b, x + 1, y + 1, w - 2, RRH - 2);
	buf_printf(b, " data-count=\"%lld\" data-value=\"%s\" fill=\"%s\" "
	    "fill-opacity=\"%ld.%03ld\" stroke=\"" C_GRID "\">", (long long)count, v6, fill,
	    (shade * 85 / 100 + 60) / 1000, (shade * 85 / 100 + 60) % 1000);
	tip(b, of > 0 ? p : L(o, "нет кредитов", "no loans"));
	buf_puts(b, "</rect>\n");
	buf_printf(b, "<g fill=\"%s\" text-anchor=\"middle\">\n", ink);
	text(b, x + w / 2, y + 18, "font-size=\"13\" font-weight=\"bold\"", c);
	text(b, x + w / 2, y + 33, "font-size=\"11\"", p);
	buf_puts(b, "</g>\n");
}

static void
roll_head(struct buf *b, int32_t month, const struct chart_opts *o)
{
	static const char *const to_ru[6] = {"0", "1–30", "31–60", "61–90", "91+", "закрыт"};
	static const char *const to_en[6] = {"0", "1–30", "31–60", "61–90", "91+", "closed"};
	char m[16], prev[16], t[96];

	month_text(month, m);
	month_text(date_add_months(month, -1), prev);
	snprintf(t, sizeof t, "%s %s (%s)", L(o, "состояние в", "state in"), m,
	    L(o, "дней просрочки", "days past due"));
	text(b, RX1 + 3 * RCW, RY0 - 30, "text-anchor=\"middle\" fill=\"" C_MUTED "\"", t);
	snprintf(t, sizeof t, "%s %s", L(o, "корзина в", "bucket in"), prev);
	text(b, RX0, RY0 - 10, "font-weight=\"bold\"", t);
	for (int j = 0; j < 6; j++)
		text(b, RX1 + RCW * (j + 0.5), RY0 - 10, "text-anchor=\"middle\" font-weight=\"bold\"",
		    L(o, to_ru[j], to_en[j]));
	text(b, RX1 + 6 * RCW + RCW / 2 + 8, RY0 - 10, "text-anchor=\"middle\" font-weight=\"bold\"",
	    L(o, "в худшую", "roll rate"));
	text(b, PR, RY0 - 10, "text-anchor=\"end\" font-weight=\"bold\"", L(o, "кредитов", "loans"));
}

static void
roll_chart(struct buf *b, const struct chart_data *d, const struct chart_opts *o)
{
	static const char *const from_ru[5] = {"0 (текущие)", "1–30", "31–60", "61–90", "91+"};
	static const char *const from_en[5] = {"0 (current)", "1–30", "31–60", "61–90", "91+"};
	const char *title = L(o, "Матрица переходов между корзинами просрочки",
	    "Roll rates between days-past-due buckets");
	struct roll_row rows[5];
	struct buf desc = BUF_INIT;
	int32_t month;
	char m[16], c[32], p[32];

	if (d->nr == 0) {
		no_data(b, o, title);
		return;
	}
	month = roll_latest(d, rows);
	month_text(month, m);
	buf_printf(&desc, "%s %s. %s:", L(o, "Кредиты по корзине просрочки на конец прошлого месяца и их "
	    "состояние в", "Loans by days-past-due bucket at the end of the month before and their "
	    "state in"), m, L(o, "Доля перешедших в худшую корзину", "Roll rate to a worse bucket"));
	for (int f = 0; f < 5; f++) {
		if (rows[f].loans > 0)
			pct1((struct ratio){rolled(&rows[f], f), rows[f].loans}, p);
		else
			snprintf(p, sizeof p, "—");
		buf_printf(&desc, "%s %s %s", f ? "," : "", L(o, from_ru[f], from_en[f]), p);
	}
	buf_putc(&desc, '.');
	doc_begin(b, o, title, buf_cstr(&desc));
	roll_head(b, month, o);
	for (int f = 0; f < 5; f++) {
		double y = RY0 + RRH * f;

		text(b, RX0, y + 26, "font-weight=\"bold\"", L(o, from_ru[f], from_en[f]));
		for (int j = 0; j < 6; j++)
			roll_cell(b, "cell", f, RX1 + RCW * j, RCW, rows[f].to[j], rows[f].loans,
			    j == f ? C_BLUE : j < f || j == 5 ? C_GREEN : C_VERMILLION, o);
		roll_cell(b, "rate", f, RX1 + RCW * 6 + 8, RCW + 8, rolled(&rows[f], f), rows[f].loans,
		    C_VERMILLION, o);
		count_text(rows[f].loans, c);
		text(b, PR, y + 26, "text-anchor=\"end\"", c);
	}
	text(b, RX0, RY0 + RRH * 5 + 28, "fill=\"" C_MUTED "\"", L(o,
	    "В ячейке: кредитов и доля строки; чем темнее, тем больше доля. Синий — остались в корзине, "
	    "зелёный — лучше или закрыты,", "Each cell: loans and the share of its row; darker is a "
	    "larger share. Blue: stayed in the bucket, green: better or closed,"));
	text(b, RX0, RY0 + RRH * 5 + 46, "fill=\"" C_MUTED "\"", L(o,
	    "красный — хуже. «В худшую» — доля перешедших в более позднюю корзину.",
	    "red: worse. The roll rate is the share that moved to a worse bucket."));
	doc_end(b);
	buf_free(&desc);
}

void
chart_svg(struct buf *b, enum chart c, const struct chart_data *d, const struct chart_opts *o)
{
	switch (c) {
	case CHART_SHARE: rate_chart(b, d, o, &def_share); break;
	case CHART_LATE: rate_chart(b, d, o, &def_late); break;
	case CHART_CURE: rate_chart(b, d, o, &def_cure); break;
	case CHART_BUCKETS: buckets_chart(b, d, o); break;
	case CHART_PAR: par_chart(b, d, o); break;
	case CHART_VINTAGE: vintage_chart(b, d, o); break;
	case CHART_ROLL: roll_chart(b, d, o); break;
	}
}
