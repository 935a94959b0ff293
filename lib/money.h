/*
 * money.h - exact decimal money in int64 minor units (kopecks).
 * Never a binary float: text is parsed digit by digit and formatted back.
 */
#ifndef OVERDUE_MONEY_H
#define OVERDUE_MONEY_H

#include <stddef.h>
#include <stdint.h>

/* Largest magnitude accepted: 999 999 999 999 999.99 (fits numeric(17,2)). */
#define MONEY_MAX INT64_C(99999999999999999)
#define MONEY_BUFSZ 24		/* "-999999999999999.99" plus NUL, with room */

enum money_err {
	MONEY_OK = 0,
	MONEY_SYNTAX,		/* not a JSON number */
	MONEY_PRECISION,	/* more than 2 significant fractional digits */
	MONEY_RANGE		/* beyond MONEY_MAX */
};

/*
 * Parse a JSON number ("12", "12.5", "1.0", "-0", "1.5e3", "1234.500") into
 * kopecks.  Trailing fractional zeros are fine; a non-zero third decimal is
 * MONEY_PRECISION, never rounded.
 */
enum money_err money_parse(const char *s, size_t len, int64_t *out);
const char *money_strerror(enum money_err e);

/* "-12.30": always 2 decimals; returns the length written (buf >= MONEY_BUFSZ). */
size_t money_format(int64_t v, char *buf);

#endif
