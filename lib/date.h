/*
 * date.h - calendar dates as integer day numbers (days since 1970-01-01,
 * proleptic Gregorian), years 1..9999.  No time zones: a date is a date.
 */
#ifndef OVERDUE_DATE_H
#define OVERDUE_DATE_H

#include <stddef.h>
#include <stdint.h>

#define DATE_BUFSZ 11		/* "YYYY-MM-DD" plus NUL */

int date_is_leap(int y);
int date_days_in_month(int y, int m);
int date_valid(int y, int m, int d);

/* Day number of a valid civil date, and back. */
int32_t date_from_civil(int y, int m, int d);
void date_to_civil(int32_t days, int *y, int *m, int *d);

/*
 * "YYYY-MM-DD", optionally followed by 'T' or ' ' and any time/zone text
 * (ignored: the calendar date counts).  0 on success, -1 when the text is not
 * such a date or the date does not exist (2023-02-30).
 */
int date_parse(const char *s, size_t len, int32_t *out);

/* Milliseconds since the epoch (pandas' default) to the UTC calendar date. */
int date_from_epoch_ms(int64_t ms, int32_t *out);

/* Writes "YYYY-MM-DD" and a NUL; returns 10. */
size_t date_format(int32_t days, char *buf);

#define DATE_UTC_BUFSZ 24
/* The UTC instant t (seconds since the epoch) as "YYYY-MM-DD<sep>HH:MM:SS"
 * and a NUL into buf (DATE_UTC_BUFSZ); returns 19. */
size_t date_utc_format(int64_t t, char sep, char *buf);

/*
 * The date `months` months after `days`, with the day clamped to the last day
 * of the target month (2024-01-31 + 1 month = 2024-02-29).
 */
int32_t date_add_months(int32_t days, int months);

/* Whole months from a's month to b's month (b's year*12+month - a's). */
int date_month_diff(int32_t a, int32_t b);

/* Whole years from birth to day (an age: one less before the birthday). */
int date_age_years(int32_t birth, int32_t day);

/* Today's date in local time; dies (EX_OSERR) when the clock cannot be read. */
int32_t date_today(void);

/* First and last day of the month containing `days`. */
int32_t date_month_start(int32_t days);
int32_t date_month_end(int32_t days);

#endif
