/*
 * calendar.c - the production calendar from its data file (calendar.h).
 *
 * The listed years become one byte per day (unlisted, holiday, workday);
 * every other day follows the Saturday/Sunday rule.
 */
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "notify/calendar.h"
#include "db/sql.h"
#include "util.h"
#include "slurp.h"

enum { MARK_NONE, MARK_HOLIDAY, MARK_WORKDAY };

struct calendar {
	int first, last;	/* years listed; first > last when none */
	int32_t base;		/* day number of first-01-01 */
	int32_t ndays;
	uint8_t *mark;		/* ndays marks from base */
};

struct entry {
	int32_t day;
	uint8_t mark;
	long line;
};

/* ISO weekday, Monday 1 .. Sunday 7; day 0 (1970-01-01) was a Thursday. */
static int
weekday(int32_t day)
{
	int r = (int)(((int64_t)day + 3) % 7);

	if (r < 0)
		r += 7;
	return r + 1;
}

/* The next tab- or blank-separated field of [*p, end); NULL when none. */
static const char *
field(const char **p, const char *end, size_t *len)
{
	const char *s = *p, *e;

	while (s < end && (*s == '\t' || *s == ' '))
		s++;
	if (s == end)
		return NULL;
	e = s;
	while (e < end && *e != '\t' && *e != ' ')
		e++;
	*len = (size_t)(e - s);
	*p = e;
	return s;
}

struct calendar *
cal_parse(const char *text, const char *name)
{
	struct calendar *c = ecalloc(1, sizeof *c);
	struct entry *ent = NULL;
	size_t n = 0, cap = 0;
	long lineno = 0;
	int32_t lo = INT32_MAX, hi = INT32_MIN;

	for (const char *p = text; *p != '\0';) {
		const char *eol = strchr(p, '\n'), *end, *q = p, *f, *ds;
		size_t len;
		struct entry e;

		if (eol == NULL)
			eol = p + strlen(p);
		end = eol;
		if (end > p && end[-1] == '\r')
			end--;
		lineno++;
		f = field(&q, end, &len);
		p = *eol != '\0' ? eol + 1 : eol;
		if (f == NULL || *f == '#')
			continue;
		ds = f;
		if (len != 10 || date_parse(f, len, &e.day) != 0)
			die(EX_DATAERR, "%s:%ld: '%.*s' is not a date YYYY-MM-DD", name, lineno,
			    (int)len, f);
		f = field(&q, end, &len);
		if (f != NULL && len == 7 && memcmp(f, "holiday", 7) == 0)
			e.mark = MARK_HOLIDAY;
		else if (f != NULL && len == 7 && memcmp(f, "workday", 7) == 0)
			e.mark = MARK_WORKDAY;
		else
			die(EX_DATAERR, "%s:%ld: unknown kind '%.*s' (holiday or workday)", name,
			    lineno, f != NULL ? (int)len : 0, f != NULL ? f : "");
		if (e.mark == MARK_WORKDAY && weekday(e.day) < 6)
			die(EX_DATAERR, "%s:%ld: %.10s is a weekday, a working day already "
			    "(only a Saturday or Sunday is listed as a workday)", name, lineno, ds);
		e.line = lineno;
		if (n == cap) {
			cap = cap ? 2 * cap : 256;
			ent = ereallocarray(ent, cap, sizeof *ent);
		}
		ent[n++] = e;
		if (e.day < lo)
			lo = e.day;
		if (e.day > hi)
			hi = e.day;
	}
	if (n == 0) {
		c->first = 0, c->last = -1;
		free(ent);
		return c;
	}
	date_to_civil(lo, &c->first, &(int){0}, &(int){0});
	date_to_civil(hi, &c->last, &(int){0}, &(int){0});
	c->base = date_from_civil(c->first, 1, 1);
	c->ndays = date_from_civil(c->last, 12, 31) - c->base + 1;
	c->mark = ecalloc((size_t)c->ndays, 1);
	for (size_t i = 0; i < n; i++) {
		uint8_t *mk = &c->mark[ent[i].day - c->base];

		if (*mk != MARK_NONE) {
			char buf[DATE_BUFSZ];

			date_format(ent[i].day, buf);
			die(EX_DATAERR, "%s:%ld: %s is listed twice", name, ent[i].line, buf);
		}
		*mk = ent[i].mark;
	}
	free(ent);
	return c;
}

struct calendar *
cal_load(const char *path)
{
	struct calendar *c;
	char *text;

	if (path == NULL)
		return cal_parse(sql_text("etc/calendar-ru.tsv"), "etc/calendar-ru.tsv");
	text = slurp(path, 0);
	c = cal_parse(text, path);
	free(text);
	return c;
}

void
cal_free(struct calendar *c)
{
	if (c == NULL)
		return;
	free(c->mark);
	free(c);
}

enum daykind
cal_day(const struct calendar *c, int32_t day)
{
	if (day >= c->base && day - c->base < c->ndays) {
		switch (c->mark[day - c->base]) {
		case MARK_HOLIDAY:
			return DAY_HOLIDAY;
		case MARK_WORKDAY:
			return DAY_WORK;
		default:
			break;
		}
	}
	return weekday(day) >= 6 ? DAY_WEEKEND : DAY_WORK;
}

int
cal_nonworking(const struct calendar *c, int32_t day)
{
	return cal_day(c, day) != DAY_WORK;
}

void
cal_years(const struct calendar *c, int *first, int *last)
{
	*first = c->first;
	*last = c->last;
}
