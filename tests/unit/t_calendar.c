/*
 * t_calendar.c - the production calendar: the compiled-in etc/calendar-ru.tsv
 * against the published calendars (day kinds of 2024, working days per year
 * and per month), and the parser's refusals.
 */

#include "date.h"
#include "notify/calendar.h"
#include "tap.h"
#include "util.h"

static int32_t
day(const char *s)
{
	int32_t d = INT32_MIN;

	if (date_parse(s, strlen(s), &d) != 0)
		printf("# cannot parse %s\n", s);
	return d;
}

static const char *
kindname(enum daykind k)
{
	return k == DAY_WORK ? "work" : k == DAY_WEEKEND ? "weekend" : "holiday";
}

static void
kind(const struct calendar *c, const char *date, enum daykind want)
{
	is_str(kindname(cal_day(c, day(date))), kindname(want), "%s is a %s day", date,
	    kindname(want));
}

static int
working(const struct calendar *c, int32_t from, int32_t to)
{
	int n = 0;

	for (int32_t d = from; d <= to; d++)
		n += !cal_nonworking(c, d);
	return n;
}

/* SPEC 9's 2024, day by day */
static void
year2024(const struct calendar *c)
{
	static const char *const off[] = {
		"2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05",
		"2024-01-06", "2024-01-07", "2024-01-08", "2024-02-23", "2024-03-08",
		"2024-04-29", "2024-04-30", "2024-05-01", "2024-05-09", "2024-05-10",
		"2024-06-12", "2024-11-04", "2024-12-30", "2024-12-31",
	};
	int32_t d0 = day("2024-01-01");
	int listed = 0, other = 0;

	for (size_t i = 0; i < sizeof off / sizeof *off; i++)
		kind(c, off[i], DAY_HOLIDAY);
	kind(c, "2024-04-27", DAY_WORK);	/* working Saturdays */
	kind(c, "2024-11-02", DAY_WORK);
	kind(c, "2024-12-28", DAY_WORK);
	kind(c, "2024-04-28", DAY_WEEKEND);	/* the Sunday after stays off */
	kind(c, "2024-03-09", DAY_WEEKEND);
	kind(c, "2024-01-09", DAY_WORK);
	kind(c, "2024-03-07", DAY_WORK);
	kind(c, "2024-05-08", DAY_WORK);
	kind(c, "2024-11-05", DAY_WORK);
	ok(cal_nonworking(c, day("2024-04-29")) && cal_nonworking(c, day("2024-04-28")) &&
	   !cal_nonworking(c, day("2024-04-27")), "cal_nonworking: holiday, Sunday, working Saturday");
	/* exactly those holidays: no other date of 2024 is one */
	for (int32_t d = d0; d < day("2025-01-01"); d++)
		if (cal_day(c, d) == DAY_HOLIDAY) {
			char b[DATE_BUFSZ];
			int found = 0;

			date_format(d, b);
			for (size_t i = 0; i < sizeof off / sizeof *off; i++)
				found |= strcmp(off[i], b) == 0;
			listed += found;
			if (!found) {
				other++;
				printf("# unexpected holiday %s\n", b);
			}
		}
	is_int(listed, (int)(sizeof off / sizeof *off), "2024: every SPEC 9 holiday and no other");
	is_int(other, 0, "2024: no holiday beyond SPEC 9's list");
}

/*
 * Working days of a five-day week per year, as the government's production
 * calendars publish them (2010-2026; 2027's decree is not out yet).
 */
static void
totals(const struct calendar *c)
{
	static const struct {
		int year, days;
	} want[] = {
		{2010, 249}, {2011, 248}, {2012, 249}, {2013, 247}, {2014, 247}, {2015, 247},
		{2016, 247}, {2017, 247}, {2018, 247}, {2019, 247}, {2020, 248}, {2021, 247},
		{2022, 247}, {2023, 247}, {2024, 248}, {2025, 247}, {2026, 247},
	};

	for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
		int y = want[i].year;

		is_int(working(c, date_from_civil(y, 1, 1), date_from_civil(y, 12, 31)), want[i].days,
		    "%d has %d working days", y, want[i].days);
	}
}

/* Month by month for a few years (a row moved inside a year changes these). */
static void
months(const struct calendar *c)
{
	static const struct {
		int year, n;
		int days[12];
	} want[] = {
		{2012, 12, {16, 20, 21, 21, 21, 20, 22, 23, 20, 23, 21, 21}},
		{2014, 9, {17, 20, 20, 22, 19, 19, 23, 21, 22}},
		{2019, 6, {17, 20, 20, 22, 18, 19}},
		{2020, 6, {17, 19, 21, 22, 17, 21}},
		{2024, 12, {17, 20, 20, 21, 20, 19, 23, 22, 21, 23, 21, 21}},
	};

	for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
		int y = want[i].year, bad = 0;

		for (int m = 1; m <= want[i].n; m++) {
			int32_t a = date_from_civil(y, m, 1);
			int got = working(c, a, date_month_end(a));

			if (got != want[i].days[m - 1]) {
				printf("# %d-%02d: %d working days, want %d\n", y, m, got,
				    want[i].days[m - 1]);
				bad++;
			}
		}
		is_int(bad, 0, "%d: working days month by month (%d months)", y, want[i].n);
	}
}

static void
basics(void)
{
	struct calendar *c = cal_parse("# a comment\n\n2030-01-01\tholiday\tНовый год\n"
	    "2030-01-05 workday  a Saturday, blank-separated\r\n2031-06-12\tholiday", "t.tsv");
	int first, last;

	cal_years(c, &first, &last);
	is_int(first, 2030, "first year listed");
	is_int(last, 2031, "last year listed");
	kind(c, "2030-01-01", DAY_HOLIDAY);
	kind(c, "2030-01-05", DAY_WORK);
	kind(c, "2030-01-06", DAY_WEEKEND);
	kind(c, "2031-06-12", DAY_HOLIDAY);
	kind(c, "2035-03-10", DAY_WEEKEND);	/* outside the years: Saturday/Sunday rule */
	kind(c, "2035-03-12", DAY_WORK);
	kind(c, "1969-12-27", DAY_WEEKEND);	/* before the epoch: a Saturday */
	kind(c, "1969-12-26", DAY_WORK);
	cal_free(c);

	c = cal_parse("", "empty.tsv");
	kind(c, "2024-01-01", DAY_WORK);
	kind(c, "2024-01-06", DAY_WEEKEND);
	cal_free(c);
}

/* Parse text (in a tap_child: a bad file dies). */
static void
parse_bad(const char *text)
{
	cal_free(cal_parse(text, "bad.tsv"));
}

static void
refused(const char *text, const char *want, const char *what)
{
	char err[1024];

	is_int(tap_child(parse_bad, text, err, sizeof err), EX_DATAERR, "%s: refused with EX_DATAERR", what);
	if (!ok(strstr(err, want) != NULL, "%s: the message names '%s'", what, want))
		printf("#   stderr: %s", err);
}

static void
errors(void)
{
	refused("2024-01-01\tholiday\n2024-01-02\tvacation\tx\n", "bad.tsv:2: unknown kind 'vacation'",
	    "an unknown kind");
	{
		char err[256];

		is_int(tap_child(parse_bad, "2024-01-01\tholiday\n", err, sizeof err), 0, "(control) a good file parses");
	}
	refused("2024-01-01\tholiday\n2024-03-08\tholiday\n2024-01-01\tholiday\n",
	    "bad.tsv:3: 2024-01-01 is listed twice", "a date listed twice");
	refused("2024-02-30\tholiday\n", "bad.tsv:1: '2024-02-30' is not a date", "a date that does not exist");
	refused("\n24-01-01\tholiday\n", "bad.tsv:2: '24-01-01' is not a date", "a short date");
	refused("2024-01-01T10:00\tholiday\n", "is not a date", "a date with a time");
	refused("2024-01-01\n", "bad.tsv:1: unknown kind ''", "a missing kind");
	refused("2024-04-26\tworkday\n", "bad.tsv:1: 2024-04-26 is a weekday", "a Friday as a workday");
}

int
main(void)
{
	struct calendar *c;
	int first, last;

	setprogname("t_calendar");
	c = cal_load(NULL);
	cal_years(c, &first, &last);
	is_int(first, 2010, "the compiled-in calendar starts in 2010");
	ok(last >= 2027, "and lists 2027 (last year %d)", last);
	year2024(c);
	totals(c);
	months(c);
	cal_free(c);
	basics();
	errors();
	return done_testing();
}
