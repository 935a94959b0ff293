/* t_chart.c - the SVG charts: well-formed, escaped, no data, the right numbers in the right places. */
#include <stdlib.h>

#include "report/chart.h"
#include "date.h"
#include "tap.h"

#define MONTH(y, m) date_from_civil((y), (m), 1)

/* ---- a tiny XML well-formedness check --------------------------------- */

/* "&name;" or "&#digits;" at s: its length, or 0 */
static size_t
entity(const char *s)
{
	static const char *const names[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&#39;"};
	size_t n;

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strncmp(s, names[i], strlen(names[i])) == 0)
			return strlen(names[i]);
	if (s[1] != '#')
		return 0;
	for (n = 2; s[n] >= '0' && s[n] <= '9'; n++)
		;
	return n > 2 && s[n] == ';' ? n + 1 : 0;
}

/* character data up to the next '<': every '&' an entity, no '>' (we escape it) */
static const char *
chars(const char *p, const char *stop, const char **err)
{
	for (; *p && !strchr(stop, *p); p++) {
		size_t n;

		if (*p == '&' && (n = entity(p)) == 0) {
			*err = "a bare &";
			return NULL;
		}
		if (*p == '&')
			p += n - 1;
		else if (*p == '>' || *p == '<') {
			*err = "a bare < or >";
			return NULL;
		}
	}
	return p;
}

static const char *
name_end(const char *p)
{
	while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
	    *p == '-' || *p == ':' || *p == '_')
		p++;
	return p;
}

/* attributes up to '>' or "/>": name="value" with a space before each */
static const char *
attrs(const char *p, const char **err)
{
	while (*p == ' ' || *p == '\n') {
		const char *e;

		p++;
		if (*p == '/' || *p == '>')
			break;
		e = name_end(p);
		if (e == p || e[0] != '=' || e[1] != '"') {
			*err = "an attribute is not name=\"value\"";
			return NULL;
		}
		if ((p = chars(e + 2, "\"<", err)) == NULL)
			return NULL;
		if (*p != '"') {
			*err = "an attribute value is not closed";
			return NULL;
		}
		p++;
	}
	return p;
}

/*
 * 0 when s is an XML declaration and one well-formed <svg> element (every
 * tag closed in order, attributes quoted, entities known); else -1 and
 * *err.  *nelem counts the elements.
 */
static int
well_formed(const char *s, const char **err, int *nelem)
{
	const char *stack[64], *p;
	size_t len[64];
	int depth = 0, seen_root = 0;

	*nelem = 0;
	*err = "no XML declaration";
	if (strncmp(s, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", 39) != 0)
		return -1;
	for (p = s + 39; *p;) {
		const char *e;

		if (*p != '<') {
			if (depth == 0 && !strchr(" \n", *p)) {
				*err = "text outside the root";
				return -1;
			}
			if ((p = chars(p, "<", err)) == NULL)
				return -1;
			continue;
		}
		if (p[1] == '/') {
			e = name_end(p + 2);
			if (depth == 0 || (size_t)(e - p - 2) != len[depth - 1] ||
			    strncmp(p + 2, stack[depth - 1], len[depth - 1]) != 0 || *e != '>') {
				*err = "a closing tag does not match";
				return -1;
			}
			depth--;
			p = e + 1;
			continue;
		}
		e = name_end(p + 1);
		if (e == p + 1 || (depth == 0 && (seen_root || strncmp(p, "<svg ", 5) != 0))) {
			*err = depth == 0 ? "not one <svg> root" : "a bad tag name";
			return -1;
		}
		if (depth == 64) {
			*err = "too deep";
			return -1;
		}
		seen_root = 1;
		(*nelem)++;
		stack[depth] = p + 1;
		len[depth] = (size_t)(e - p - 1);
		if ((p = attrs(e, err)) == NULL)
			return -1;
		if (p[0] == '/' && p[1] == '>') {
			p += 2;
			continue;
		}
		if (*p != '>') {
			*err = "a start tag is not closed";
			return -1;
		}
		depth++;
		p++;
	}
	if (depth != 0 || !seen_root) {
		*err = "elements left open";
		return -1;
	}
	return 0;
}

/* ---- helpers ------------------------------------------------------------ */

static const struct chart_opts ru = {"2024-03-15", "loan_amount 50 000.00 – 99 999.99", 0};
static const struct chart_opts en = {"2024-03-15", NULL, 1};

static char *
svg(enum chart c, const struct chart_data *d, const struct chart_opts *o)
{
	struct buf b = BUF_INIT;

	chart_svg(&b, c, d, o);
	buf_cstr(&b);
	return b.p;
}

static int
count(const char *s, const char *what)
{
	int n = 0;

	for (; (s = strstr(s, what)) != NULL; s++)
		n++;
	return n;
}

/* the value of attribute `name` in the element at the k-th (from 0) occurrence of `tag` */
static double
attr_num(const char *s, const char *tag, int k, const char *name, char *text, size_t size)
{
	char key[64];
	const char *p = s, *end, *a;

	for (int i = 0; i <= k && p != NULL; i++)
		if ((p = strstr(p, tag)) != NULL && i < k)
			p++;
	if (p == NULL)
		return -1;
	end = strchr(p, '>');
	snprintf(key, sizeof key, " %s=\"", name);
	a = strstr(p, key);
	if (a == NULL || a > end)
		return -1;
	a += strlen(key);
	if (text != NULL)
		snprintf(text, size, "%.*s", (int)(strchr(a, '"') - a), a);
	return atof(a);
}

static void
check_xml(const char *s, const char *what)
{
	const char *err = "";
	int n = 0;
	int r = well_formed(s, &err, &n);

	ok(r == 0 && n > 3, "%s: well-formed (%s, %d elements)", what, r == 0 ? "ok" : err, n);
}

/* ---- fixtures ----------------------------------------------------------- */

static struct mrow months[40];
static struct roll_row rolls[10];
static struct vint_row vints[8];

static struct chart_data
data(size_t nm)
{
	struct chart_data d = {months, nm, rolls, 10, vints, 8};

	memset(months, 0, sizeof months);
	for (size_t i = 0; i < nm; i++) {
		struct mrow *m = &months[i];

		m->month = date_add_months(MONTH(2021, 1), (int)i);
		m->active = 10;
		m->overdue = (int64_t)(i % 3 == 0 ? 1 : i % 3 == 1 ? 3 : 2);	/* 10 %, 30 %, 20 % */
		m->out_k = 100000000;
		m->par30_k = 5000000;
		m->par90_k = 1000000;
		m->dpd[0] = 1;
		m->dpd[3] = m->overdue - 1;
		m->flow = 8;
		m->flow_late = 2;
		m->prev_overdue = i ? 4 : 0;
		m->cured = i ? 1 : 0;
	}
	return d;
}

static void
roll_fixture(void)
{
	static const int64_t old[5][6] = {{999, 0, 0, 0, 0, 0}};
	static const int64_t last[5][6] = {
		{180, 15, 0, 0, 0, 5},		/* from 0: 15 of 200 worse */
		{10, 40, 30, 5, 5, 10},		/* from 1-30: 40 of 100 worse */
		{1, 2, 3, 4, 0, 0},		/* from 31-60: 4 of 10 */
		{0, 0, 0, 0, 0, 0},		/* from 61-90: no loans */
		{0, 0, 0, 0, 8, 2},		/* from 91+: nothing is worse */
	};

	for (int f = 0; f < 5; f++) {
		rolls[f] = (struct roll_row){MONTH(2024, 2), f, 0, {0}};
		rolls[5 + f] = (struct roll_row){MONTH(2024, 3), f, 0, {0}};
		for (int j = 0; j < 6; j++) {
			rolls[f].to[j] = old[f][j];
			rolls[f].loans += old[f][j];
			rolls[5 + f].to[j] = last[f][j];
			rolls[5 + f].loans += last[f][j];
		}
	}
}

/*
 * 2023 has two vintages: at m 0 (10 + 30 loans, 1 + 2 ever30) = 0.075,
 * at m 1 (2 + 6 of 40) = 0.2, at m 2 only 2023-11's (5 of 10) = 0.5;
 * 2024: 2024-01 (1 of 20) and 2024-02 (no loans) at m 0 = 0.05.
 */
static void
vintage_fixture(void)
{
	static const struct vint_row v[8] = {
		{0, 0, 10, 1}, {0, 1, 10, 2}, {0, 2, 10, 5},	/* 2023-11 */
		{0, 0, 30, 2}, {0, 1, 30, 6},			/* 2023-12 */
		{0, 0, 20, 1},					/* 2024-01 */
		{0, 0, 0, 0},					/* 2024-02 */
		{0, 3, 0, 0},					/* 2024-02, no loans at m 3 */
	};

	memcpy(vints, v, sizeof v);
	for (int i = 0; i < 3; i++)
		vints[i].vintage = MONTH(2023, 11);
	vints[3].vintage = vints[4].vintage = MONTH(2023, 12);
	vints[5].vintage = MONTH(2024, 1);
	vints[6].vintage = vints[7].vintage = MONTH(2024, 2);
}

/* ---- tests -------------------------------------------------------------- */

/* the checker itself catches what it is there for */
static void
test_checker(void)
{
	static const char *const bad[] = {
		"<svg a=\"1\"><g></svg>", "<svg a=\"1\"><g></h></svg>", "<svg a=\"1\">a & b</svg>",
		"<svg a=\"1><g/></svg>", "<svg a=1></svg>", "<svg a=\"1\"></svg><svg a=\"1\"></svg>",
		"<svg a=\"1\"><text>a < b</text></svg>", "<svg a=\"1\"><g>", "<svg a=\"<\"/>",
	};
	const char *decl = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", *err = "";
	char doc[256];
	int n;

	int r;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(doc, sizeof doc, "%s%s", decl, bad[i]);
		r = well_formed(doc, &err, &n);
		ok(r != 0, "the checker rejects %s (%s)", bad[i], err);
	}
	snprintf(doc, sizeof doc, "%s%s", decl, "<svg a=\"&amp;\"><g b=\"2\"><text>x &lt; y</text></g><r/></svg>\n");
	r = well_formed(doc, &err, &n);
	ok(r == 0 && n == 4, "the checker takes a good one (%d elements)", n);
}

static void
test_parse(void)
{
	static const char *const names[] = {"share", "late", "buckets", "par", "vintage", "roll", "cure"};
	static const enum chart want[] = {CHART_SHARE, CHART_LATE, CHART_BUCKETS, CHART_PAR,
	    CHART_VINTAGE, CHART_ROLL, CHART_CURE};
	enum chart c = CHART_CURE;

	for (int i = 0; i < 7; i++)
		ok(chart_parse(names[i], &c) == 0 && c == want[i], "chart_parse(\"%s\")", names[i]);
	is_int(chart_parse("Share", &c), -1, "chart_parse: names are lower case");
	is_int(chart_parse("", &c), -1, "chart_parse(\"\") fails");
	is_int(chart_parse("pie", &c), -1, "chart_parse(\"pie\") fails");
}

static void
test_every_chart(void)
{
	static const char *const names[] = {"share", "late", "buckets", "par", "vintage", "roll", "cure"};
	struct chart_data d = data(28);

	for (int i = 0; i < 7; i++) {
		enum chart c;
		char *s, what[64];

		chart_parse(names[i], &c);
		s = svg(c, &d, &ru);
		snprintf(what, sizeof what, "%s (ru)", names[i]);
		check_xml(s, what);
		ok(strstr(s, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 900 420\" width=\"900\" "
		    "height=\"420\" role=\"img\"") != NULL && strstr(s, "<title id=\"chart-title\">") != NULL &&
		    strstr(s, "<desc id=\"chart-desc\">") != NULL, "%s: svg with viewBox, size, role, title, desc", what);
		ok(strstr(s, "по состоянию на 2024-03-15") != NULL &&
		    strstr(s, "loan_amount 50 000.00 – 99 999.99") != NULL, "%s: the as-of date and the filter", what);
		ok(count(s, "font-family") == 1 && strstr(s, "font-family=\"sans-serif\"") != NULL &&
		    strstr(s, "href") == NULL && strstr(s, "url(") == NULL, "%s: sans-serif, nothing external", what);
		free(s);
		s = svg(c, &d, &en);
		snprintf(what, sizeof what, "%s (en)", names[i]);
		check_xml(s, what);
		ok(strstr(s, "as of 2024-03-15 · all loans") != NULL && strstr(s, "по ") == NULL,
		    "%s: English labels, no filter = all loans", what);
		free(s);
	}
}

static void
test_escaping(void)
{
	struct chart_data d = data(3);
	struct chart_opts o = {"2024-03-15\"><x", "</text><script>alert('x')</script>&amp; \x01 \xff\xfe end", 0};
	char *s = svg(CHART_SHARE, &d, &o);

	check_xml(s, "hostile filter and date");
	ok(strstr(s, "<script") == NULL && strstr(s, "<x") == NULL, "no element from the filter or the date");
	ok(strstr(s, "&lt;/text&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;amp;") != NULL,
	    "< > ' & escaped");
	ok(strstr(s, "2024-03-15&quot;&gt;&lt;x") != NULL, "quotes escaped");
	ok(strstr(s, "\x01") == NULL && strstr(s, "\xff") == NULL && count(s, "\xEF\xBF\xBD") >= 3,
	    "control characters and invalid UTF-8 become U+FFFD");
	free(s);
}

static void
test_no_data(void)
{
	static const enum chart all[] = {CHART_SHARE, CHART_LATE, CHART_BUCKETS, CHART_PAR,
	    CHART_VINTAGE, CHART_ROLL, CHART_CURE};
	struct chart_data d = {NULL, 0, NULL, 0, NULL, 0};

	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
		char *s = svg(all[i], &d, &ru), *t = svg(all[i], &d, &en);

		check_xml(s, "no data");
		ok(strstr(s, ">нет данных</text>") != NULL && strstr(t, ">no data</text>") != NULL &&
		    strstr(s, "class=\"bar\"") == NULL && strstr(s, "class=\"point\"") == NULL,
		    "chart %d without data says so and draws nothing", (int)all[i]);
		free(s);
		free(t);
	}
}

/* 10 %, 30 %, 20 %: bars in that order of height, the exact shares on them */
static void
test_bars(void)
{
	struct chart_data d = data(3);
	char v[3][32];
	double h[3];
	char *s = svg(CHART_SHARE, &d, &ru);

	for (int i = 0; i < 3; i++)
		h[i] = attr_num(s, "<rect class=\"bar\"", i, "height", NULL, 0),
		attr_num(s, "<rect class=\"bar\"", i, "data-value", v[i], sizeof v[i]);
	is_int(count(s, "<rect class=\"bar\""), 3, "three bars");
	ok(strcmp(v[0], "0.100000") == 0 && strcmp(v[1], "0.300000") == 0 && strcmp(v[2], "0.200000") == 0,
	    "data-value: the TSV's shares (%s %s %s)", v[0], v[1], v[2]);
	ok(h[1] > h[2] && h[2] > h[0] && h[0] > 0, "heights in the shares' order (%.1f %.1f %.1f)",
	    h[0], h[1], h[2]);
	ok(h[1] / h[0] > 2.9 && h[1] / h[0] < 3.1, "30 %% is three times 10 %% high");
	ok(strstr(s, "data-month=\"2021-02\" data-value=\"0.300000\"") != NULL, "the bar names its month");
	ok(strstr(s, ">30.0%</text>") != NULL && strstr(s, ">10.0%</text>") != NULL, "labels in %%");
	ok(strstr(s, "<title>2021-02: 30.0% (3 из 10)</title>") != NULL, "a tooltip with the counts");
	free(s);
	months[1].active = 0;		/* a zero denominator: no bar, not 0 */
	months[1].overdue = 0;
	s = svg(CHART_SHARE, &d, &ru);
	is_int(count(s, "<rect class=\"bar\""), 2, "a month without active loans has no bar");
	ok(strstr(s, "data-month=\"2021-02\"") == NULL, "... and no zero bar either");
	check_xml(s, "share with an empty month");
	free(s);
}

static void
test_thinning(void)
{
	struct chart_data d = data(40);
	char *s = svg(CHART_SHARE, &d, &ru);
	int ticks = count(s, "y2=\"331.0\"");	/* PB + 5: a tick under a labelled month */

	ok(ticks >= 5 && ticks <= 14, "40 months: %d labelled ticks", ticks);
	ok(strstr(s, ">2021-01</text>") != NULL && strstr(s, ">2021-02</text>") == NULL,
	    "months thinned on calendar steps (2021-01, not 2021-02)");
	is_int(count(s, "<rect class=\"bar\""), 40, "still a bar for every month");
	free(s);
}

static void
test_vintage(void)
{
	struct chart_data d = data(5);
	char *s;

	vintage_fixture();
	s = svg(CHART_VINTAGE, &d, &ru);
	check_xml(s, "vintage");
	ok(strstr(s, "data-series=\"2023\" data-mob=\"0\" data-value=\"0.075000\"") != NULL,
	    "2023 at 0: (1 + 2) / (10 + 30)");
	ok(strstr(s, "data-series=\"2023\" data-mob=\"1\" data-value=\"0.200000\"") != NULL,
	    "2023 at 1: (2 + 6) / (10 + 30)");
	ok(strstr(s, "data-series=\"2023\" data-mob=\"2\" data-value=\"0.500000\"") != NULL,
	    "2023 at 2: only the vintage with a row there, 5 / 10");
	ok(strstr(s, "data-series=\"2024\" data-mob=\"0\" data-value=\"0.050000\"") != NULL,
	    "2024 at 0: 1 / (20 + 0)");
	ok(strstr(s, "data-series=\"2024\" data-mob=\"3\"") == NULL, "2024 at 3: no loans, no point");
	is_int(count(s, "class=\"point\""), 4, "four points in all");
	ok(strstr(s, ">месяцев с выдачи</text>") != NULL && strstr(s, ">2023</text>") != NULL,
	    "the axis and the legend's years");
	free(s);
}

static void
test_roll(void)
{
	struct chart_data d = data(5);
	char v[5][32];
	char *s;

	roll_fixture();
	s = svg(CHART_ROLL, &d, &en);
	check_xml(s, "roll");
	for (int f = 0; f < 5; f++)
		attr_num(s, "<rect class=\"rate\"", f, "data-value", v[f], sizeof v[f]);
	is_str(v[0], "0.075000", "roll rate from 0: 15 / 200");
	is_str(v[1], "0.400000", "from 1-30: 31-60, 61-90, 91+ are worse, closed and 0 not: 40 / 100");
	is_str(v[2], "0.400000", "from 31-60: 4 / 10");
	is_str(v[3], "", "from 61-90: no loans, no share");
	is_str(v[4], "0.000000", "from 91+: nothing is worse");
	ok(strstr(s, ">999</text>") == NULL && strstr(s, "state in 2024-03") != NULL &&
	    strstr(s, "bucket in 2024-02") != NULL, "the latest month's matrix only");
	is_int(count(s, "<rect class=\"cell\""), 30, "5 x 6 cells");
	is_int(count(s, "data-from=\"1-30\""), 7, "each cell of a row names its from-bucket");
	ok(strstr(s, "<rect class=\"cell\" data-from=\"1-30\"") != NULL && strstr(s, ">40.0%</text>") != NULL &&
	    strstr(s, ">30.0%</text>") != NULL, "counts with their row shares");
	free(s);
}

static void
test_other_series(void)
{
	struct chart_data d = data(3);
	char *s = svg(CHART_PAR, &d, &ru);

	ok(count(s, "data-value=\"0.050000\"") == 3 && count(s, "data-value=\"0.010000\"") == 3,
	    "par: par30 and par90 from the kopecks (5 %%, 1 %%)");
	free(s);
	s = svg(CHART_CURE, &d, &ru);
	ok(count(s, "<rect class=\"bar\"") == 2 && count(s, "data-value=\"0.250000\"") == 2,
	    "cure: no bar for the first month, then 1 / 4");
	free(s);
	s = svg(CHART_LATE, &d, &ru);
	is_int(count(s, "data-value=\"0.250000\""), 3, "late: 2 / 8");
	free(s);
	s = svg(CHART_BUCKETS, &d, &ru);
	ok(strstr(s, "data-month=\"2021-02\" data-bucket=\"91+\" data-value=\"2\"") != NULL &&
	    strstr(s, "data-month=\"2021-01\" data-bucket=\"91+\"") == NULL,
	    "buckets: a segment per non-empty bucket, the count in data-value");
	free(s);
}

int
main(void)
{
	test_checker();
	test_parse();
	test_every_chart();
	test_escaping();
	test_no_data();
	test_bars();
	test_thinning();
	test_vintage();
	test_roll();
	test_other_series();
	return done_testing();
}
