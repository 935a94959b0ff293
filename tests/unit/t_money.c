/* t_money.c - exact decimal money: parsing and formatting. */
#include "money.h"
#include "tap.h"

static void
parses(const char *s, int64_t want)
{
	int64_t v = -777;
	enum money_err e = money_parse(s, strlen(s), &v);

	ok(e == MONEY_OK && v == want, "money_parse(\"%s\") = %lld kopecks (got %lld, err %d)",
	    s, (long long)want, (long long)v, (int)e);
}

static void
fails(const char *s, enum money_err want)
{
	int64_t v;

	is_int(money_parse(s, strlen(s), &v), want, "money_parse(\"%s\") fails: %s", s, money_strerror(want));
}

static void
formats(int64_t v, const char *want)
{
	char b[MONEY_BUFSZ];
	size_t n = money_format(v, b);

	ok(strcmp(b, want) == 0 && n == strlen(want), "money_format(%lld) = \"%s\" (got \"%s\")",
	    (long long)v, want, b);
}

int
main(void)
{
	/* table: the seed's shapes and the edges */
	parses("0", 0);
	parses("-0", 0);
	parses("1", 100);
	parses("1.0", 100);
	parses("12.5", 1250);
	parses("12.50", 1250);
	parses("12.05", 1205);
	parses("0.01", 1);
	parses("-0.01", -1);
	parses("1234.500", 123450);
	parses("93480", 9348000);
	parses("1.5e3", 150000);
	parses("1E2", 10000);
	parses("125e-2", 125);
	parses("100000.0000000000000000000", 10000000);
	parses("999999999999999.99", INT64_C(99999999999999999));
	parses("-999999999999999.99", -INT64_C(99999999999999999));
	fails("1000000000000000", MONEY_RANGE);
	fails("99999999999999999999999", MONEY_RANGE);
	fails("1e20", MONEY_RANGE);
	fails("12.345", MONEY_PRECISION);
	fails("0.001", MONEY_PRECISION);
	fails("0.30000000000000004", MONEY_PRECISION);
	fails("125e-3", MONEY_PRECISION);
	fails("", MONEY_SYNTAX);
	fails("abc", MONEY_SYNTAX);
	fails("1.", MONEY_SYNTAX);
	fails(".5", MONEY_SYNTAX);
	fails("01", MONEY_SYNTAX);
	fails("+1", MONEY_SYNTAX);
	fails("1e", MONEY_SYNTAX);
	fails("1 ", MONEY_SYNTAX);
	fails("--1", MONEY_SYNTAX);
	fails("NaN", MONEY_SYNTAX);
	fails("Infinity", MONEY_SYNTAX);

	formats(0, "0.00");
	formats(1, "0.01");
	formats(-1, "-0.01");
	formats(10, "0.10");
	formats(100, "1.00");
	formats(123456, "1234.56");
	formats(-123456, "-1234.56");
	formats(INT64_C(99999999999999999), "999999999999999.99");
	formats(INT64_MIN, "-92233720368547758.08");

	/* property: format then parse is the identity over a spread of values */
	int bad = 0;
	for (int64_t v = -100000; v <= 100000; v += 7) {
		char b[MONEY_BUFSZ];
		int64_t back;
		money_format(v * 1013, b);
		if (money_parse(b, strlen(b), &back) != MONEY_OK || back != v * 1013)
			bad++;
	}
	is_int(bad, 0, "format/parse round trip over 28 572 values");
	return done_testing();
}
