/* date.c - civil dates <-> day numbers (the days-from-civil algorithm). */
#include <stdio.h>
#include <time.h>

#include "date.h"
#include "util.h"

int
date_is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int
date_days_in_month(int y, int m)
{
	static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (m == 2 && date_is_leap(y))
		return 29;
	return dim[m - 1];
}

int
date_valid(int y, int m, int d)
{
	return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 &&
	    d <= date_days_in_month(y, m);
}

int32_t
date_from_civil(int y, int m, int d)
{
	/* shift the year to start in March so the leap day is last */
	int yy = m <= 2 ? y - 1 : y;
	int era = (yy >= 0 ? yy : yy - 399) / 400;
	int yoe = yy - era * 400;				/* [0, 399] */
	int mp = (m + 9) % 12;					/* March = 0 */
	int doy = (153 * mp + 2) / 5 + d - 1;			/* [0, 365] */
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;	/* [0, 146096] */

	return (int32_t)(era * 146097 + doe - 719468);
}

void
date_to_civil(int32_t days, int *y, int *m, int *d)
{
	int32_t z = days + 719468;
	int32_t era = (z >= 0 ? z : z - 146096) / 146097;
	int32_t doe = z - era * 146097;
	int32_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int32_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int32_t mp = (5 * doy + 2) / 153;
	int mm = mp < 10 ? mp + 3 : mp - 9;

	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mm;
	*y = yoe + era * 400 + (mm <= 2);
}

static int
digits(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int
date_parse(const char *s, size_t len, int32_t *out)
{
	int y, m, d;

	if (len < 10 || s[4] != '-' || s[7] != '-')
		return -1;
	if (len > 10 && s[10] != 'T' && s[10] != ' ' && s[10] != 't')
		return -1;
	y = digits(s, 4);
	m = digits(s + 5, 2);
	d = digits(s + 8, 2);
	if (y < 0 || m < 0 || d < 0 || !date_valid(y, m, d))
		return -1;
	*out = date_from_civil(y, m, d);
	return 0;
}

int
date_from_epoch_ms(int64_t ms, int32_t *out)
{
	const int64_t day_ms = INT64_C(86400000);
	int64_t days = ms / day_ms;

	if (ms % day_ms != 0 && ms < 0)
		days--;			/* floor, not truncation, before 1970 */
	/* 0001-01-01 .. 9999-12-31 */
	if (days < -719162 || days > 2932896)
		return -1;
	*out = (int32_t)days;
	return 0;
}

size_t
date_format(int32_t days, char *buf)
{
	int y, m, d;

	date_to_civil(days, &y, &m, &d);
	buf[0] = (char)('0' + y / 1000 % 10);
	buf[1] = (char)('0' + y / 100 % 10);
	buf[2] = (char)('0' + y / 10 % 10);
	buf[3] = (char)('0' + y % 10);
	buf[4] = '-';
	buf[5] = (char)('0' + m / 10);
	buf[6] = (char)('0' + m % 10);
	buf[7] = '-';
	buf[8] = (char)('0' + d / 10);
	buf[9] = (char)('0' + d % 10);
	buf[10] = '\0';
	return 10;
}

int32_t
date_add_months(int32_t days, int months)
{
	int y, m, d, idx, dim;

	date_to_civil(days, &y, &m, &d);
	idx = y * 12 + (m - 1) + months;
	y = idx / 12;
	m = idx % 12 + 1;
	dim = date_days_in_month(y, m);
	if (d > dim)
		d = dim;
	return date_from_civil(y, m, d);
}

int
date_month_diff(int32_t a, int32_t b)
{
	int ya, ma, da, yb, mb, db;

	date_to_civil(a, &ya, &ma, &da);
	date_to_civil(b, &yb, &mb, &db);
	return (yb * 12 + mb) - (ya * 12 + ma);
}

int32_t
date_month_start(int32_t days)
{
	int y, m, d;

	date_to_civil(days, &y, &m, &d);
	return date_from_civil(y, m, 1);
}

int32_t
date_month_end(int32_t days)
{
	int y, m, d;

	date_to_civil(days, &y, &m, &d);
	return date_from_civil(y, m, date_days_in_month(y, m));
}

int
date_age_years(int32_t birth, int32_t day)
{
	int by, bm, bd, y, m, d, age;

	date_to_civil(birth, &by, &bm, &bd);
	date_to_civil(day, &y, &m, &d);
	age = y - by;
	if (m < bm || (m == bm && d < bd))
		age--;
	return age;
}

int32_t
date_today(void)
{
	time_t t = time(NULL);
	struct tm tm;

	if (t == (time_t)-1 || localtime_r(&t, &tm) == NULL)
		die(EX_OSERR, "cannot read the clock:");
	return date_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

size_t
date_utc_format(int64_t t, char sep, char *buf)
{
	int64_t day = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
	int64_t sec = t - day * 86400;

	date_format((int32_t)day, buf);
	buf[10] = sep;
	snprintf(buf + 11, DATE_UTC_BUFSZ - 11, "%02d:%02d:%02d", (int)(sec / 3600),
	    (int)(sec / 60 % 60), (int)(sec % 60));
	return 19;
}
