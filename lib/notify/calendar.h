/*
 * calendar.h - the production calendar (SPEC 9): which days are working
 * days, from a data file, not a formula.  etc/calendar-ru.tsv (compiled in
 * as the default; --calendar FILE overrides) lists, per year from 2010 on,
 * the non-working holidays (Labour Code art. 112 plus the government's
 * yearly transfers) and the working Saturdays/Sundays:
 *
 *   # date      kind      note
 *   2024-01-01  holiday   Новогодние каникулы
 *   2024-04-27  workday   перенос с 29 апреля
 *
 * kind: holiday (a non-working holiday or a transferred day off) or
 * workday (a Saturday or Sunday that is worked).  Any other Saturday or
 * Sunday is a weekend; any other day a working day.
 */
#ifndef OVERDUE_NOTIFY_CALENDAR_H
#define OVERDUE_NOTIFY_CALENDAR_H

#include <stdint.h>

enum daykind { DAY_WORK, DAY_WEEKEND, DAY_HOLIDAY };

struct calendar;

/*
 * Parse the text of a calendar file (name for messages).  Dies with
 * EX_DATAERR naming name:line on a bad line (not a date, unknown kind, a
 * date listed twice).
 */
struct calendar *cal_parse(const char *text, const char *name);
/* The compiled-in etc/calendar-ru.tsv, or the file at path when not NULL. */
struct calendar *cal_load(const char *path);
void cal_free(struct calendar *c);

enum daykind cal_day(const struct calendar *c, int32_t day);
/* 1 when day is not a working day (weekend or holiday) */
int cal_nonworking(const struct calendar *c, int32_t day);
/* The first and last year the file lists (outside them: Sat/Sun rule only). */
void cal_years(const struct calendar *c, int *first, int *last);

#endif
