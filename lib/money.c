/* money.c - exact decimal money in kopecks. */
#include <string.h>

#include "money.h"

static int
isdig(char c)
{
	return c >= '0' && c <= '9';
}

enum money_err
money_parse(const char *s, size_t len, int64_t *out)
{
	const char *p = s, *end = s + len;
	int neg = 0, fracdigits = 0, expneg = 0;
	int64_t mant = 0;	/* all significant digits, scaled by 10^-fracdigits */
	long exp = 0;
	int overflow = 0, nonzero_dropped = 0;

	if (p < end && *p == '-') {
		neg = 1;
		p++;
	}
	if (p >= end || !isdig(*p))
		return MONEY_SYNTAX;
	if (*p == '0' && p + 1 < end && isdig(p[1]))
		return MONEY_SYNTAX;	/* JSON forbids leading zeros */
	for (; p < end && isdig(*p); p++) {
		if (mant > (INT64_MAX - 9) / 10)
			overflow = 1;
		else
			mant = mant * 10 + (*p - '0');
	}
	if (p < end && *p == '.') {
		p++;
		if (p >= end || !isdig(*p))
			return MONEY_SYNTAX;
		for (; p < end && isdig(*p); p++) {
			/* keep up to 18 fractional digits; beyond that only zero-ness matters */
			if (fracdigits >= 18 || mant > (INT64_MAX - 9) / 10) {
				if (*p != '0')
					nonzero_dropped = 1;
				continue;
			}
			mant = mant * 10 + (*p - '0');
			fracdigits++;
		}
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			expneg = *p++ == '-';
		if (p >= end || !isdig(*p))
			return MONEY_SYNTAX;
		for (; p < end && isdig(*p); p++)
			if (exp < 100000)
				exp = exp * 10 + (*p - '0');
	}
	if (p != end)
		return MONEY_SYNTAX;
	if (overflow)
		return MONEY_RANGE;
	if (nonzero_dropped)
		return MONEY_PRECISION;

	/* value = mant * 10^(scale) with scale = (±exp) - fracdigits; want kopecks */
	long scale = (expneg ? -exp : exp) - fracdigits + 2;
	if (mant == 0) {
		*out = 0;
		return MONEY_OK;
	}
	while (scale < 0) {
		if (mant % 10 != 0)
			return MONEY_PRECISION;
		mant /= 10;
		scale++;
	}
	while (scale > 0) {
		if (mant > MONEY_MAX / 10)
			return MONEY_RANGE;
		mant *= 10;
		scale--;
	}
	if (mant > MONEY_MAX)
		return MONEY_RANGE;
	*out = neg ? -mant : mant;
	return MONEY_OK;
}

const char *
money_strerror(enum money_err e)
{
	switch (e) {
	case MONEY_OK:
		return "ok";
	case MONEY_SYNTAX:
		return "not a decimal number";
	case MONEY_PRECISION:
		return "more than 2 fractional digits";
	case MONEY_RANGE:
		return "amount out of range";
	}
	return "unknown money error";
}

size_t
money_format(int64_t v, char *buf)
{
	char tmp[MONEY_BUFSZ];
	size_t n = 0, i;
	/* work in unsigned so INT64_MIN cannot overflow */
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

	do {
		tmp[n++] = (char)('0' + u % 10);
		u /= 10;
		if (n == 2)
			tmp[n++] = '.';
	} while (u != 0 || n < 4);
	i = 0;
	if (v < 0)
		buf[i++] = '-';
	while (n > 0)
		buf[i++] = tmp[--n];
	buf[i] = '\0';
	return i;
}
