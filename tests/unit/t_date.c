/* t_date.c - day numbers, leap years, month-end clamping, epoch ms. */
#include "date.h"
#include "tap.h"

static const char *
fmt(int32_t d)
{
	static char b[4][DATE_BUFSZ];
	static int i;

	i = (i + 1) % 4;
	date_format(d, b[i]);
	return b[i];
}

static int32_t
day(const char *s)
{
	int32_t d = INT32_MIN;

	if (date_parse(s, strlen(s), &d) != 0)
		printf("# cannot parse %s\n", s);
	return d;
}

static void
addm(const char *from, int n, const char *want)
{
	is_str(fmt(date_add_months(day(from), n)), want, "%s + %d months = %s", from, n, want);
}

static void
bad(const char *s)
{
	int32_t d;

	is_int(date_parse(s, strlen(s), &d), -1, "\"%s\" is rejected", s);
}

int
main(void)
{
	is_int(date_from_civil(1970, 1, 1), 0, "epoch is day 0");
	is_int(date_from_civil(2000, 3, 1), 11017, "2000-03-01 is day 11017");
	is_int(date_from_civil(1969, 12, 31), -1, "1969-12-31 is day -1");
	is_str(fmt(date_from_civil(1, 1, 1)), "0001-01-01", "year 1 round-trips");
	is_str(fmt(date_from_civil(9999, 12, 31)), "9999-12-31", "year 9999 round-trips");

	ok(date_is_leap(2024) && date_is_leap(2000) && !date_is_leap(1900) && !date_is_leap(2023),
	    "leap years: 2024, 2000 yes; 1900, 2023 no");
	is_int(date_days_in_month(2024, 2), 29, "Feb 2024 has 29 days");
	is_int(date_days_in_month(1900, 2), 28, "Feb 1900 has 28 days");

	is_str(fmt(day("2024-02-29")), "2024-02-29", "2024-02-29 parses");
	is_str(fmt(day("2010-01-01T00:00:00")), "2010-01-01", "ISO date-time: time ignored");
	is_str(fmt(day("2010-01-01T23:59:59+03:00")), "2010-01-01", "ISO date-time with zone: calendar date");
	is_str(fmt(day("2010-01-01 12:00:00.000")), "2010-01-01", "date-time with a space");
	bad("2023-02-29");
	bad("2023-02-30");
	bad("2024-13-01");
	bad("2024-00-10");
	bad("2024-04-31");
	bad("0000-01-01");
	bad("2024-1-01");
	bad("2024/01/01");
	bad("20240101");
	bad("2024-01-01X");
	bad("");

	/* the spec's clamping example */
	addm("2024-01-31", 1, "2024-02-29");
	addm("2024-01-31", 2, "2024-03-31");
	addm("2024-01-31", 3, "2024-04-30");
	addm("2023-01-31", 1, "2023-02-28");
	addm("2024-03-31", -1, "2024-02-29");
	addm("2024-12-15", 1, "2025-01-15");
	addm("2024-02-29", 12, "2025-02-28");
	addm("2024-02-29", 48, "2028-02-29");
	addm("2010-01-01", 203, "2026-12-01");
	/* computed from the start each time: k-1 months from the 31st */
	is_str(fmt(date_add_months(date_add_months(day("2024-01-31"), 1), 1)), "2024-03-29",
	    "chaining +1 month twice drifts (why we always add from the start)");

	int32_t d;
	ok(date_from_epoch_ms(INT64_C(1262304000000), &d) == 0 && d == day("2010-01-01"),
	    "epoch ms 1262304000000 = 2010-01-01");
	ok(date_from_epoch_ms(INT64_C(1262390399999), &d) == 0 && d == day("2010-01-01"),
	    "last ms of 2010-01-01 is still 2010-01-01");
	ok(date_from_epoch_ms(-1, &d) == 0 && d == -1, "epoch ms -1 = 1969-12-31 (floor)");
	ok(date_from_epoch_ms(INT64_C(-86400000), &d) == 0 && d == -1, "epoch ms -86400000 = 1969-12-31");
	ok(date_from_epoch_ms(INT64_MAX, &d) != 0, "epoch ms beyond year 9999 rejected");

	is_int(date_month_diff(day("2023-12-31"), day("2024-01-01")), 1, "month diff across a year");
	is_str(fmt(date_month_end(day("2024-02-10"))), "2024-02-29", "month end of Feb 2024");
	is_str(fmt(date_month_start(day("2024-02-10"))), "2024-02-01", "month start");

	/* property: civil -> day -> civil over 1600..2400, day numbers consecutive */
	int badcount = 0;
	int32_t prev = date_from_civil(1600, 1, 1) - 1;
	for (int y = 1600; y <= 2400; y++)
		for (int m = 1; m <= 12; m++)
			for (int dd = 1; dd <= date_days_in_month(y, m); dd++) {
				int32_t n = date_from_civil(y, m, dd);
				int yy, mm, ddd;
				date_to_civil(n, &yy, &mm, &ddd);
				if (n != prev + 1 || yy != y || mm != m || ddd != dd)
					badcount++;
				prev = n;
			}
	is_int(badcount, 0, "every day 1600..2400 round-trips and numbers are consecutive");
	{
		char u[DATE_UTC_BUFSZ];

		is_int(date_utc_format(0, 'T', u), 19, "a UTC instant is 19 characters");
		is_str(u, "1970-01-01T00:00:00", "the epoch");
		date_utc_format(1714294799, ' ', u);
		is_str(u, "2024-04-28 08:59:59", "a second before 09:00 UTC");
		date_utc_format(-1, 'T', u);
		is_str(u, "1969-12-31T23:59:59", "a second before the epoch");
	}
	return done_testing();
}
