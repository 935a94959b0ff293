/* t_report.c - the table writer: TSV/CSV/JSON as they were, and the table made for people. */
#include <stdlib.h>

#include "report/report.h"
#include "tap.h"
#include "report/termwidth.h"

/* the monthly columns of overdue-report, as it sets them up */
static const char *const names[] = {
	"month", "active_loans", "overdue_loans", "overdue_share", "outstanding",
	"overdue_outstanding", "par_share", "arrears", "dpd_1_30", "dpd_31_60",
	"dpd_61_90", "dpd_91_plus", "late_share", "par30_share", "par90_share",
	"cure_rate", "issued_amount"
};
static const char *const heads[] = {
	"month", "active", "overdue", "share", "outstanding", "overdue_out", "par",
	"arrears", "dpd1-30", "dpd31-60", "dpd61-90", "dpd91+", "late", "par30",
	"par90", "cure", "issued"
};
static const enum coltype types[] = {
	COL_TEXT, COL_NUM, COL_NUM, COL_SHARE, COL_MONEY, COL_MONEY, COL_SHARE, COL_MONEY,
	COL_NUM, COL_NUM, COL_NUM, COL_NUM, COL_SHARE, COL_SHARE, COL_SHARE, COL_SHARE, COL_MONEY
};
static const int drop[] = {16, 12, 8, 9, 10, 15, 14, 11, 7, 5, 13, 4, 6, 1, 2, -1};

static const char *const rows[][17] = {
	{"2024-01", "1000", "127", "0.127450", "1234567.89", "98765.43", "0.080000", "5432.10",
	 "60", "30", "20", "17", "0.200000", "0.050000", "0.010000", "", "50000000.00"},
	{"2024-02", "1200", "0", "0.000000", "0.00", "0.00", "", "0.00",
	 "0", "0", "0", "0", "", "", "", "0.333333", "60000000.00"},
	{"2024-03", "0", "0", "", "999.99", "0.00", "1.000000", "0.00",
	 "0", "0", "0", "0", "", "", "", "1.000000", "123456789012.34"},
};

/* the output of a table of the rows above in format f, at width w */
static char *
run(enum fmt f, int ncol, int w, const int *dr, int utf8)
{
	char *p = NULL;
	size_t n = 0;
	struct table t = {0};

	t.fmt = f;
	t.ncol = ncol;
	t.names = names;
	t.types = types;
	t.heads = heads;
	t.bar = ncol > 3 ? 3 : -1;
	t.utf8 = utf8;
	t.width = w;
	t.drop = dr;
	t.out = open_memstream(&p, &n);
	table_begin(&t);
	for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++)
		table_row(&t, rows[r]);
	table_end(&t);
	fclose(t.out);
	return p;
}

static size_t
cols(const char *s, size_t n)
{
	size_t w = 0;

	for (size_t i = 0; i < n; i++)
		w += ((unsigned char)s[i] & 0xC0) != 0x80;
	return w;
}

/* the widest line of s in display columns (UTF-8 code points) */
static size_t
widest(const char *s)
{
	size_t max = 0;

	while (*s) {
		size_t n = strcspn(s, "\n"), w = cols(s, n);

		max = w > max ? w : max;
		s += n + (s[n] == '\n');
	}
	return max;
}

/* line k (0 = the first) of s, in a static buffer */
static const char *
line_of(const char *s, int k)
{
	static char b[1024];
	size_t n;

	for (; k > 0 && *s; k--)
		s += strcspn(s, "\n") + 1;
	n = strcspn(s, "\n");
	n = n < sizeof b - 1 ? n : sizeof b - 1;
	memcpy(b, s, n);
	b[n] = '\0';
	return b;
}

/* is word w a whole word of the headings line of s? */
static int
has_head(const char *s, const char *w)
{
	char l[1100];
	size_t n = strlen(w);

	snprintf(l, sizeof l, " %s ", line_of(s, 0));
	for (char *p = l; (p = strstr(p, w)) != NULL; p++)
		if (p[-1] == ' ' && p[n] == ' ')
			return 1;
	return 0;
}

static void
thousands(const char *in, const char *want)
{
	char out[48];

	report_thousands(in, out, sizeof out);
	is_str(out, want, "report_thousands(\"%s\")", in);
}

static void
test_thousands(void)
{
	thousands("0.00", "0.00");
	thousands("999.99", "999.99");
	thousands("1000.00", "1 000.00");
	thousands("1234567.89", "1 234 567.89");
	thousands("-1234567.89", "-1 234 567.89");
	thousands("123456", "123 456");
	thousands("999999999999999.99", "999 999 999 999 999.99");
	thousands("", "");
	thousands("abc", "abc");
	thousands("12.3x", "12.3x");
}

static void
test_term_width(void)
{
	FILE *f = tmpfile();

	unsetenv("COLUMNS");
	is_int(term_width(f), 80, "no terminal, no COLUMNS: 80");
	setenv("COLUMNS", "132", 1);
	is_int(term_width(f), 132, "no terminal: COLUMNS=132");
	setenv("COLUMNS", "0", 1);
	is_int(term_width(f), 80, "COLUMNS=0 is no width: 80");
	setenv("COLUMNS", "wide", 1);
	is_int(term_width(f), 80, "COLUMNS=wide is no width: 80");
	setenv("COLUMNS", "-5", 1);
	is_int(term_width(f), 80, "COLUMNS=-5 is no width: 80");
	unsetenv("COLUMNS");
	fclose(f);
}

/* TSV, CSV and JSON print the values as they are, whatever the types and width */
static void
test_programs(void)
{
	char *s = run(FMT_TSV, 4, 80, drop, 1);

	is_str(s, "month\tactive_loans\toverdue_loans\toverdue_share\n"
	    "2024-01\t1000\t127\t0.127450\n2024-02\t1200\t0\t0.000000\n2024-03\t0\t0\t\n", "tsv unchanged");
	free(s);
	s = run(FMT_TSV, 17, 80, drop, 1);
	is_str(line_of(s, 1), "2024-01\t1000\t127\t0.127450\t1234567.89\t98765.43\t0.080000\t5432.10\t60\t30"
	    "\t20\t17\t0.200000\t0.050000\t0.010000\t\t50000000.00", "tsv: money as it is, no column left out");
	free(s);
	s = run(FMT_CSV, 5, 80, drop, 1);
	is_str(s, "month,active_loans,overdue_loans,overdue_share,outstanding\n"
	    "2024-01,1000,127,0.127450,1234567.89\n2024-02,1200,0,0.000000,0.00\n"
	    "2024-03,0,0,,999.99\n", "csv unchanged");
	free(s);
	s = run(FMT_JSON, 5, 80, drop, 1);
	is_str(s, "[\n  {\"month\":\"2024-01\",\"active_loans\":1000,\"overdue_loans\":127,"
	    "\"overdue_share\":0.127450,\"outstanding\":1234567.89},\n"
	    "  {\"month\":\"2024-02\",\"active_loans\":1200,\"overdue_loans\":0,"
	    "\"overdue_share\":0.000000,\"outstanding\":0.00},\n"
	    "  {\"month\":\"2024-03\",\"active_loans\":0,\"overdue_loans\":0,"
	    "\"overdue_share\":null,\"outstanding\":999.99}\n]\n", "json unchanged, money a number");
	free(s);
}

static void
test_unlimited(void)
{
	char *s = run(FMT_TABLE, 17, 0, drop, 0);

	ok(strstr(line_of(s, 1), " 12.7% ") != NULL, "0.127450 shows as 12.7%%: %s", line_of(s, 1));
	ok(strstr(line_of(s, 1), " 1 234 567.89 ") != NULL, "money with thousands separators");
	ok(strstr(line_of(s, 3), " 123 456 789 012.34") != NULL, "big money in full at no width limit");
	ok(strstr(line_of(s, 2), " 0.0% ") != NULL && strstr(line_of(s, 3), " 100.0% ") != NULL,
	    "0 is 0.0%%, 1 is 100.0%%");
	ok(has_head(s, "issued") && has_head(s, "overdue_out") && !has_head(s, "overdue_outstanding"),
	    "the headings are the short ones, every column shown");
	ok(strstr(s, "Left out") == NULL, "nothing left out, no note");
	ok(strstr(line_of(s, 0), "0%") != NULL && strstr(line_of(s, 0), "20%") != NULL,
	    "the bar's heading gives its scale (the largest share 12.7%% -> 20%%): %s", line_of(s, 0));
	/* the bar: 30 cells stand for 20 %: 12.745 % is 19 cells (ASCII) */
	ok(strstr(line_of(s, 1), "  ###################\0") != NULL &&
	    strstr(line_of(s, 1), "####################") == NULL, "the 12.7%% bar is 19 of 30 cells");
	is_int(strlen(line_of(s, 3)) - strlen(line_of(s, 3) + strcspn(line_of(s, 3), "#")), strlen(line_of(s, 3)),
	    "an empty share draws no bar");
	free(s);
}

/*
 * At width w: no line is longer, the columns left out are the first
 * `want` of the drop order, the note names each of them, month and the
 * bar's column stay.
 */
static char *
test_width(int w, int want)
{
	char *s = run(FMT_TABLE, 17, w, drop, 1), *note = strstr(s, "Left out to fit");
	int gone = 0, prefix = 1, named = 1;

	ok(widest(s) <= (size_t)w, "width %d: no line is longer (widest %zu)", w, widest(s));
	for (char *p = note; p != NULL && *p; p++)
		*p = *p == '\n' ? ' ' : *p;	/* the note's words, whatever the lines */
	for (int k = 0; drop[k] >= 0; k++) {
		char name[64];

		snprintf(name, sizeof name, " %s", names[drop[k]]);
		if (has_head(s, heads[drop[k]]))
			continue;
		prefix &= gone++ == k;
		named &= note != NULL && strstr(note, name) != NULL;
	}
	is_int(gone, want, "width %d: %d columns left out", w, want);
	ok(prefix && named, "width %d: they are the first of the drop order, and the note names them", w);
	ok(has_head(s, "month") && has_head(s, "share"), "width %d: month and the bar's column stay", w);
	if (want > 0)
		ok(note != NULL && strstr(note, "--format tsv has every column") != NULL,
		    "width %d: the note says tsv has them", w);
	else
		ok(note == NULL, "width %d: no note", w);
	return s;
}

/*
 * The rows above, in display columns: full money 174 with every column
 * (bar 10), compact 160.  Leaving out issued_amount and late_share makes
 * full money 147 wide; then dpd_1_30 -9, dpd_31_60 -10, dpd_61_90 -10,
 * cure_rate -8, par90_share -7, dpd_91_plus -8, arrears -10,
 * overdue_outstanding -13 (72); par30_share -7, outstanding -14 (51).
 */
static void
test_fit(void)
{
	char *s = test_width(200, 0);

	ok(strstr(s, " 1 234 567.89 ") != NULL, "width 200: money in full");
	ok(strstr(line_of(s, 0), "  0%                         20%") != NULL, "width 200: the bar 30 cells");
	free(s);
	s = test_width(165, 0);
	ok(strstr(s, "1 234 567.89") == NULL && strstr(line_of(s, 1), " 1.2M ") != NULL &&
	    strstr(line_of(s, 1), " 98.8k ") != NULL && strstr(line_of(s, 3), " 123.5B") != NULL &&
	    strstr(line_of(s, 3), " 999.99 ") != NULL,
	    "width 165: money compact (1.2M, 98.8k, 123.5B, 999.99) rather than a column left out");
	free(s);
	s = test_width(150, 2);
	ok(strstr(s, " 1 234 567.89 ") != NULL, "width 150: without issued_amount money fits in full");
	free(s);
	free(test_width(80, 10));
	free(test_width(60, 12));
	s = test_width(100, 8);
	ok(strstr(line_of(s, 0), "0%") != NULL, "the bar keeps its heading at 100");
	free(s);
	s = run(FMT_TABLE, 17, 20, drop, 1);
	ok(has_head(s, "month") && has_head(s, "share") && !has_head(s, "active") &&
	    strstr(line_of(s, 0), " 0%     20%") != NULL, "too narrow for anything: month, share and a 10-cell bar");
	free(s);
}

/* one odd month (1 loan of 1 overdue) does not flatten the other bars */
static void
test_outlier(void)
{
	static const char *const n2[] = {"month", "overdue_share"};
	static const enum coltype t2[] = {COL_TEXT, COL_SHARE};
	struct table t = {0};
	char *p = NULL, month[16];
	size_t n = 0;

	t.fmt = FMT_TABLE;
	t.ncol = 2;
	t.names = n2;
	t.types = t2;
	t.bar = 1;
	t.width = 40;		/* 5 + 2 + 13 + 2: the bar gets 18 cells */
	t.out = open_memstream(&p, &n);
	table_begin(&t);
	for (int i = 0; i <= 20; i++) {
		const char *v[2] = {month, i == 0 ? "1.000000" : i == 1 ? "0.050000" : "0.100000"};

		snprintf(month, sizeof month, "m%02d", i);
		table_row(&t, v);
	}
	table_end(&t);
	fclose(t.out);
	is_str(line_of(p, 0), "month  overdue_share  0%             10%", "the scale is 10%%, not 100%%");
	is_str(line_of(p, 1), "m00           100.0%  #################>", "beyond the scale: a full bar and '>'");
	is_str(line_of(p, 2), "m01             5.0%  #########", "5%% is half the bar");
	is_str(line_of(p, 3), "m02            10.0%  ##################", "10%% is the whole bar");
	free(p);
}

/* a table without a drop list that is a little too wide: one space between columns */
static void
test_narrow_gap(void)
{
	char *s = run(FMT_TABLE, 3, 0, NULL, 1), *t;

	is_str(line_of(s, 0), "month    active  overdue", "two spaces between columns when it fits");
	free(s);
	s = run(FMT_TABLE, 3, 24, NULL, 1);
	is_str(line_of(s, 0), "month    active  overdue", "... also at 24 (7 + 2 + 6 + 2 + 7)");
	t = run(FMT_TABLE, 3, 23, NULL, 1);
	is_str(line_of(t, 0), "month   active overdue", "one space at 23, nothing to leave out");
	is_str(line_of(t, 1), "2024-01   1000     127", "... in the rows too");
	ok(strstr(t, "Left out") == NULL, "... and no note");
	free(s);
	free(t);
}

int
main(void)
{
	test_thousands();
	test_term_width();
	test_programs();
	test_unlimited();
	test_fit();
	test_outlier();
	test_narrow_gap();
	return done_testing();
}
